"""Who is acting: a user on behalf of one of its organisations, with the roles it holds there."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from canal.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from canal.core.errors import NotFound, PermissionDenied


@dataclass(frozen=True)
class Actor:
    user: User
    organisation: Organisation
    roles: frozenset[str]

    @property
    def kind(self) -> str:
        return self.organisation.kind

    @property
    def is_operator(self) -> bool:
        return self.organisation.kind == OrganisationKind.OPERATOR

    def __str__(self) -> str:
        return f"user {self.user.pk} in organisation {self.organisation.pk}"

    @property
    def role_labels(self) -> list[str]:
        return sorted(str(Role(role).label) for role in self.roles)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def require_role(self, *roles: str) -> None:
        if not self.has_role(*roles):
            names = ", ".join(str(Role(role).label) for role in roles)
            raise PermissionDenied(
                _("Only these roles may do this: %(roles)s. Ask one of them in your organisation.")
                % {"roles": names}
            )


def actor_for(user: User, organisation_id: int | None = None) -> Actor:
    """The actor for `user` in the given organisation, or in its first one when none is given."""
    memberships = Membership.objects.filter(user=user).select_related("organisation")
    if organisation_id is not None:
        memberships = memberships.filter(organisation_id=organisation_id)
    rows = list(memberships.order_by("organisation__name", "organisation_id"))
    if not rows:
        raise NotFound(_("You are not a member of this organisation."), field="organisation")
    organisation = rows[0].organisation
    roles = frozenset(row.role for row in rows if row.organisation_id == organisation.id)
    return Actor(user=user, organisation=organisation, roles=roles)


def organisations_of(user: User) -> list[Organisation]:
    return list(Organisation.objects.filter(memberships__user=user).distinct().order_by("name", "id"))
