"""R4.16: support staff identify a caller by its support code (every user) or its VIP code (premium
support customers), and a customer grants support staff temporary access to its services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import Organisation, OrganisationKind, Role, User
from canal.core import audit
from canal.core.errors import Conflict, NotFound, RuleViolation
from canal.partners.models import SupportAccess

MAX_HOURS = 24 * 7
GRANT_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN)


def active_for(organisation: Organisation) -> SupportAccess | None:
    return (
        SupportAccess.objects.filter(
            organisation=organisation, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-expires_at")
        .first()
    )


def grant(*, actor: Actor, hours: int) -> SupportAccess:
    """The customer's administrators choose for how many hours support staff may access its services."""
    if actor.kind not in {OrganisationKind.CUSTOMER, OrganisationKind.PARTNER}:
        raise NotFound(_("No page here."))
    actor.require_role(*GRANT_ROLES)
    if not 1 <= hours <= MAX_HOURS:
        raise RuleViolation(
            _("Choose between 1 and %(maximum)s hours.") % {"maximum": MAX_HOURS}, field="hours"
        )
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=actor.organisation.pk)
        if active_for(actor.organisation) is not None:
            raise Conflict(
                _("Support staff already have access; revoke it first to choose another duration."),
                field="hours",
            )
        access = SupportAccess.objects.create(
            organisation=actor.organisation,
            granted_by=actor.user,
            expires_at=timezone.now() + timedelta(hours=hours),
        )
        audit.record(actor=actor, action="support_access.granted", obj=access, after={"hours": hours})
    return access


def revoke(*, actor: Actor, access_id: int) -> SupportAccess:
    with transaction.atomic():
        access = (
            SupportAccess.objects.select_for_update()
            .filter(pk=access_id, organisation=actor.organisation)
            .first()
        )
        if access is None:
            raise NotFound(_("No support access with this id."), field="access")
        actor.require_role(*GRANT_ROLES)
        if access.revoked_at is None:
            access.revoked_at = timezone.now()
            access.save(update_fields=["revoked_at"])
            audit.record(actor=actor, action="support_access.revoked", obj=access, after={"revoked": True})
    return access


@dataclass(frozen=True)
class Caller:
    kind: str  # "support_code" or "vip_code"
    user: User | None
    organisations: list[Organisation]
    access_until: object


def find_caller(*, actor: Actor, code: str) -> Caller:
    """Operator staff look a caller up by the code it reads over the phone; nobody else may."""
    if not actor.is_operator:
        raise NotFound(_("No caller with this code."), field="code")
    code = code.strip().upper()
    user = User.objects.filter(support_code=code, is_active=True).first() if code else None
    if user is not None:
        organisations = list(Organisation.objects.filter(memberships__user=user).distinct())
        kind = "support_code"
    else:
        organisation = (
            Organisation.objects.filter(vip_code=code, premium_support=True).first() if code else None
        )
        if organisation is None:
            raise NotFound(_("No caller with this code."), field="code")
        organisations, kind = [organisation], "vip_code"
    accesses = [active_for(organisation) for organisation in organisations]
    until = max((access.expires_at for access in accesses if access), default=None)
    audit.record(
        actor=actor,
        action="support.caller_identified",
        obj=organisations[0] if organisations else user,
        after={"by": kind},
    )
    return Caller(kind=kind, user=user, organisations=organisations, access_until=until)
