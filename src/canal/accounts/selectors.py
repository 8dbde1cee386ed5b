from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import (
    ApiToken,
    ClientManager,
    ClientRelationship,
    Membership,
    Organisation,
    OrganisationKind,
    User,
)
from canal.accounts.scope import ALL_CLIENTS_ROLES, scoped, visible_organisations
from canal.core.errors import NotFound


def organisations_visible_to(actor: Actor) -> QuerySet[Organisation]:
    return visible_organisations(actor)


def organisation_for(actor: Actor, organisation_id: int) -> Organisation:
    try:
        return visible_organisations(actor).get(pk=organisation_id)
    except Organisation.DoesNotExist:
        raise NotFound(_("No organisation with this id.")) from None


def members_visible_to(actor: Actor) -> QuerySet[Membership]:
    return scoped(Membership.objects.select_related("user", "organisation"), actor)


def team_of(actor: Actor) -> QuerySet[User]:
    """The people of the actor's organisation, each once, with their roles there in `roles_here`."""
    memberships = members_visible_to(actor).filter(organisation=actor.organisation)
    return User.objects.filter(pk__in=memberships.values("user_id")).prefetch_related(
        Prefetch("memberships", queryset=memberships.order_by("role"), to_attr="roles_here")
    )


def api_tokens_visible_to(actor: Actor) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(organisation=actor.organisation).select_related("user")


def client_relationships_visible_to(actor: Actor) -> QuerySet[ClientRelationship]:
    """A partner sees its clients (R4.12: a user other than its legal representatives and administrators
    only the clients assigned to it); a client sees its partners; the operator sees all."""
    queryset = ClientRelationship.objects.select_related("partner", "client").prefetch_related("grants")
    if actor.is_operator:
        return queryset
    as_partner = queryset.filter(partner=actor.organisation)
    if not actor.has_role(*ALL_CLIENTS_ROLES):
        assigned = ClientManager.objects.filter(user=actor.user).values("relationship_id")
        as_partner = as_partner.filter(pk__in=assigned)
    return as_partner | queryset.filter(client=actor.organisation)


def client_relationship_for(actor: Actor, relationship_id: int) -> ClientRelationship:
    try:
        return client_relationships_visible_to(actor).get(pk=relationship_id)
    except ClientRelationship.DoesNotExist:
        raise NotFound(_("No client relationship with this id.")) from None


def organisation_counts(actor: Actor) -> dict[str, int]:
    counts = dict.fromkeys(OrganisationKind.values, 0)
    for row in visible_organisations(actor).values("kind").annotate(total=Count("id")):
        counts[row["kind"]] = row["total"]
    return counts
