"""R4.4, R4.17: invitations both ways. A partner's legal representative invites a client by e-mail; a
client's legal representative invites a partner found in the directory. The invited side accepts (the
client may grant other rights than asked) or refuses; the inviting side resends or withdraws while it is
pending. Links carry a single-use token (only its digest is stored) and expire."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from canal.accounts.actor import Actor
from canal.accounts.models import (
    ClientRelationship,
    Membership,
    Organisation,
    OrganisationKind,
    PaymentMode,
    RelationshipStatus,
    Role,
)
from canal.accounts.services import link_client
from canal.core import audit
from canal.core.errors import Conflict, NotFound, RuleViolation
from canal.core.state_machine import machine
from canal.partners import notices
from canal.partners.models import Invitation, InvitationDirection, InvitationStatus, PartnerProfile
from canal.partners.relationships import assign_manager_for_upgrade, clean_access, set_access

INVITATION_DAYS = 14

INVITATION = machine(
    "invitation",
    {
        InvitationStatus.PENDING: {
            InvitationStatus.ACCEPTED,
            InvitationStatus.REFUSED,
            InvitationStatus.WITHDRAWN,
            InvitationStatus.EXPIRED,
        }
    },
)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, _digest(token)


def _open_relationship(partner: Organisation, client: Organisation) -> ClientRelationship | None:
    return (
        ClientRelationship.objects.select_for_update()
        .filter(partner=partner, client=client)
        .exclude(status=RelationshipStatus.ENDED)
        .first()
    )


def _expire_if_late(invitation: Invitation) -> None:
    if invitation.status == InvitationStatus.PENDING and invitation.expires_at <= timezone.now():
        INVITATION.transition(invitation, InvitationStatus.EXPIRED, actor=None)


def _send(invitation: Invitation, token: str) -> None:
    url = reverse("partners:invitation", args=[token])
    context = {"invitation": invitation, "link": notices.absolute(url)}
    if invitation.direction == InvitationDirection.TO_CLIENT:
        notices.mail_address(
            invitation.email,
            "invitation_to_client",
            context,
            notices.language_of(None, invitation.client or invitation.partner),
        )
    else:
        for user in notices.people(invitation.partner, notices.LEGAL_ROLES):
            notices.mail_address(
                user.email,
                "invitation_to_partner",
                {**context, "recipient": user},
                notices.language_of(user, invitation.partner),
            )


def invite_client(
    *,
    actor: Actor,
    email: str,
    access: str,
    payment_mode: str = PaymentMode.CUSTOMER,
    product_codes: Iterable[str] = (),
    message: str = "",
) -> tuple[Invitation, str]:
    """R4.4: only a partner's legal representative invites; the token is returned once (for the e-mail)."""
    if actor.kind != OrganisationKind.PARTNER:
        raise NotFound(_("Only partners invite clients."), field="organisation")
    actor.require_role(Role.LEGAL_REPRESENTATIVE)
    email = email.strip().lower()
    if "@" not in email:
        raise RuleViolation(_("Give the client's e-mail address."), field="email")
    access, payment_mode, codes = clean_access(
        actor=actor, access=access, payment_mode=payment_mode, product_codes=product_codes
    )
    token, digest = _new_token()
    with transaction.atomic():
        if Invitation.objects.filter(
            partner=actor.organisation, email=email, status=InvitationStatus.PENDING
        ).exists():
            raise Conflict(
                _("An invitation to this address is already pending; resend it instead."), field="email"
            )
        invitation = Invitation.objects.create(
            direction=InvitationDirection.TO_CLIENT,
            partner=actor.organisation,
            email=email,
            access=access,
            payment_mode=payment_mode,
            product_codes=codes,
            message=message.strip(),
            token_digest=digest,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
            created_by=actor.user,
        )
        audit.record(
            actor=actor,
            action="invitation.sent",
            obj=invitation,
            after={"email": email, "access": access, "payment_mode": payment_mode, "products": codes},
        )
        _send(invitation, token)
    return invitation, token


def invite_partner(
    *,
    actor: Actor,
    partner_id: int,
    access: str,
    payment_mode: str = PaymentMode.CUSTOMER,
    product_codes: Iterable[str] = (),
    message: str = "",
) -> tuple[Invitation, str]:
    """R4.4, R4.17: a client's legal representative invites a partner it found in the directory."""
    if actor.kind != OrganisationKind.CUSTOMER:
        raise NotFound(_("Only clients invite partners."), field="organisation")
    actor.require_role(Role.LEGAL_REPRESENTATIVE)
    profile = PartnerProfile.objects.select_related("organisation").filter(organisation_id=partner_id).first()
    if profile is None or profile.organisation.kind != OrganisationKind.PARTNER:
        raise NotFound(_("No partner with this id."), field="partner_id")
    access, payment_mode, codes = clean_access(
        actor=actor, access=access, payment_mode=payment_mode, product_codes=product_codes
    )
    partner = profile.organisation
    email = next((user.email for user in notices.people(partner, notices.LEGAL_ROLES)), "")
    token, digest = _new_token()
    with transaction.atomic():
        if Invitation.objects.filter(
            partner=partner, client=actor.organisation, status=InvitationStatus.PENDING
        ).exists():
            raise Conflict(
                _("An invitation to this partner is already pending; resend it instead."), field="partner_id"
            )
        invitation = Invitation.objects.create(
            direction=InvitationDirection.TO_PARTNER,
            partner=partner,
            client=actor.organisation,
            email=email,
            access=access,
            payment_mode=payment_mode,
            product_codes=codes,
            message=message.strip(),
            token_digest=digest,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
            created_by=actor.user,
        )
        audit.record(
            actor=actor,
            action="invitation.sent",
            obj=invitation,
            after={"partner": partner.pk, "access": access, "payment_mode": payment_mode, "products": codes},
        )
        _send(invitation, token)
        notices.tell(
            partner,
            "invitation_received",
            {"invitation": invitation},
            message=gettext_noop("A client invites you to manage its products"),
            url=reverse("partners:space"),
            roles=notices.LEGAL_ROLES,
        )
    return invitation, token


def _inviting_side(actor: Actor, invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .filter(pk=invitation_id)
        .filter(partner=actor.organisation, direction=InvitationDirection.TO_CLIENT)
        .first()
        if actor.kind == OrganisationKind.PARTNER
        else Invitation.objects.select_for_update()
        .filter(pk=invitation_id, client=actor.organisation, direction=InvitationDirection.TO_PARTNER)
        .first()
    )
    if invitation is None:
        raise NotFound(_("No invitation with this id."), field="invitation")
    actor.require_role(Role.LEGAL_REPRESENTATIVE)
    return invitation


def resend(*, actor: Actor, invitation_id: int) -> tuple[Invitation, str]:
    """A new link (the old one stops working) and a new expiry date."""
    with transaction.atomic():
        invitation = _inviting_side(actor, invitation_id)
        _expire_if_late(invitation)
        if invitation.status not in {InvitationStatus.PENDING, InvitationStatus.EXPIRED}:
            raise Conflict(_("Only a pending invitation can be resent."), field="invitation")
        if invitation.status == InvitationStatus.EXPIRED:
            # An expired invitation comes back to life when resent: the inviter still wants it.
            invitation.status = InvitationStatus.PENDING
        token, invitation.token_digest = _new_token()
        invitation.expires_at = timezone.now() + timedelta(days=INVITATION_DAYS)
        invitation.sent_count += 1
        invitation.last_sent_at = timezone.now()
        invitation.save()
        audit.record(
            actor=actor, action="invitation.resent", obj=invitation, after={"sent": invitation.sent_count}
        )
        _send(invitation, token)
    return invitation, token


def withdraw(*, actor: Actor, invitation_id: int) -> Invitation:
    with transaction.atomic():
        invitation = _inviting_side(actor, invitation_id)
        INVITATION.transition(invitation, InvitationStatus.WITHDRAWN, actor=actor)
    return invitation


def _invitation_for_token(
    token: str = "", *, actor: Actor | None = None, invitation_id: int = 0
) -> Invitation:
    """By the e-mailed link's token; or, for an invitation to a partner, by id from the partner's own
    list (it is addressed to the organisation, not to one e-mail)."""
    if invitation_id and actor is not None:
        invitation = (
            Invitation.objects.select_for_update()
            .filter(pk=invitation_id, partner=actor.organisation, direction=InvitationDirection.TO_PARTNER)
            .first()
        )
    else:
        invitation = Invitation.objects.select_for_update().filter(token_digest=_digest(token)).first()
    if invitation is None:
        raise NotFound(_("This invitation link is not valid."), field="token")
    _expire_if_late(invitation)
    if invitation.status != InvitationStatus.PENDING:
        raise Conflict(
            _("This invitation is no longer pending (%(status)s).")
            % {"status": invitation.get_status_display()},
            field="token",
        )
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The pending invitation behind a link, for its page (expired ones are marked so on the way)."""
    with transaction.atomic():
        return _invitation_for_token(token)


def _check_decider(actor: Actor, invitation: Invitation) -> None:
    """R4.17: on the client's side only a legal representative decides; on the partner's side too."""
    if invitation.direction == InvitationDirection.TO_CLIENT:
        if actor.kind != OrganisationKind.CUSTOMER:
            raise RuleViolation(
                _("Open this link from your company's customer account."), field="organisation"
            )
    elif actor.organisation.pk != invitation.partner_id:
        raise NotFound(_("This invitation link is not valid."), field="token")
    actor.require_role(Role.LEGAL_REPRESENTATIVE)


def accept(
    *,
    actor: Actor,
    token: str = "",
    invitation_id: int = 0,
    access: str | None = None,
    payment_mode: str | None = None,
    product_codes: Iterable[str] | None = None,
) -> ClientRelationship:
    """The invited side accepts. A client may grant other rights than asked (R4.4); a partner accepts
    what the client offered. A partner already linked to the client is upgraded (R4.17)."""
    with transaction.atomic():
        invitation = _invitation_for_token(token, actor=actor, invitation_id=invitation_id)
        _check_decider(actor, invitation)
        if invitation.direction == InvitationDirection.TO_CLIENT:
            client = actor.organisation
            access, payment_mode, codes = clean_access(
                actor=actor,
                access=access or invitation.access,
                payment_mode=payment_mode or invitation.payment_mode,
                product_codes=invitation.product_codes if product_codes is None else product_codes,
            )
        else:
            client = invitation.client
            access, payment_mode, codes = invitation.access, invitation.payment_mode, invitation.product_codes
        relationship = _start(actor, invitation, client, access, payment_mode, codes)
        INVITATION.transition(
            invitation,
            InvitationStatus.ACCEPTED,
            actor=actor,
            extra={
                "client": client,
                "relationship": relationship,
                "decided_by": actor.user,
                "decided_at": timezone.now(),
                "access": access,
                "payment_mode": payment_mode,
                "product_codes": codes,
            },
        )
        other = invitation.partner if invitation.direction == InvitationDirection.TO_CLIENT else client
        notices.tell(
            other,
            "invitation_accepted",
            {"invitation": invitation, "relationship": relationship},
            message=gettext_noop("Your partnership invitation was accepted"),
            url=reverse("partners:relationship", args=[relationship.pk]),
        )
    return relationship


def _start(
    actor: Actor,
    invitation: Invitation,
    client: Organisation,
    access: str,
    payment_mode: str,
    codes: list[str],
) -> ClientRelationship:
    partner = invitation.partner
    existing = _open_relationship(partner, client)
    if existing is not None:
        # R4.17: already linked: the partnership upgrades the link instead of adding a second one.
        set_access(
            actor=actor, relationship=existing, access=access, payment_mode=payment_mode, product_codes=codes
        )
        return existing
    relationship = link_client(
        actor=None,
        partner=partner,
        client=client,
        access=access,
        payment_mode=payment_mode,
        product_codes=codes,
    )
    # R4.17: a partner user who was an external member of the client now reaches it as its partner.
    external = Membership.objects.filter(
        organisation=client, user__memberships__organisation=partner
    ).select_related("user")
    for membership in external:
        assign_manager_for_upgrade(actor=actor, relationship=relationship, user=membership.user)
        audit.record(
            actor=actor,
            action="membership.upgraded_to_partnership",
            obj=membership,
            before={"organisation": client.pk, "role": membership.role},
            after={"relationship": relationship.pk},
        )
        membership.delete()
    return relationship


def refuse(*, actor: Actor, token: str = "", invitation_id: int = 0) -> Invitation:
    with transaction.atomic():
        invitation = _invitation_for_token(token, actor=actor, invitation_id=invitation_id)
        _check_decider(actor, invitation)
        INVITATION.transition(
            invitation,
            InvitationStatus.REFUSED,
            actor=actor,
            extra={"decided_by": actor.user, "decided_at": timezone.now()},
        )
        other = (
            invitation.partner if invitation.direction == InvitationDirection.TO_CLIENT else invitation.client
        )
        if other is not None:
            notices.tell(
                other,
                "invitation_refused",
                {"invitation": invitation},
                message=gettext_noop("Your partnership invitation was refused"),
                url=reverse("partners:space"),
            )
    return invitation


def expire_invitations() -> int:
    """The scheduler's sweep: pending invitations past their date become expired (audited)."""
    count = 0
    for invitation_id in Invitation.objects.filter(
        status=InvitationStatus.PENDING, expires_at__lte=timezone.now()
    ).values_list("pk", flat=True):
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
            if invitation.status == InvitationStatus.PENDING:
                INVITATION.transition(invitation, InvitationStatus.EXPIRED, actor=None)
                count += 1
    return count
