"""A partnership once it exists: the client changes access and payer (R4.5, R4.6), the partner's legal
representative assigns its users to clients (R4.12), and either side ends it (R4.13)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from canal.accounts.actor import Actor
from canal.accounts.models import (
    AccessLevel,
    ClientManager,
    ClientRelationship,
    Membership,
    PaymentMode,
    ProductGrant,
    RelationshipStatus,
    Role,
    User,
)
from canal.billing import cycles
from canal.billing.selectors import active_recurring_charges
from canal.catalog.selectors import products_visible_to
from canal.core import audit
from canal.core.errors import NotFound, PermissionDenied, RuleViolation
from canal.partners import notices


def _snapshot(relationship: ClientRelationship) -> dict:
    return {
        "access": relationship.access,
        "payment_mode": relationship.payment_mode,
        "products": sorted(relationship.grants.values_list("product_code", flat=True)),
    }


def _move_charges(actor: Actor | None, relationship: ClientRelationship, *, to_partner: bool) -> int:
    """Active recurring charges follow the new payer from their next renewal; nothing billed changes."""
    old, new = (
        (relationship.client, relationship.partner)
        if to_partner
        else (relationship.partner, relationship.client)
    )
    moved = 0
    for charge in active_recurring_charges(beneficiary=relationship.client, payer=old):
        cycles.update_recurring_charge(
            actor=actor, charge=charge, payer=new, reason="partner_programme.payer_changed"
        )
        moved += 1
    return moved


def clean_access(
    *, actor: Actor, access: str, payment_mode: str, product_codes: Iterable[str]
) -> tuple[str, str, list[str]]:
    """R4.5, R4.6: full access with a payer, or limited access to known products (then the client pays)."""
    if access not in AccessLevel.values:
        raise RuleViolation(_("Choose full or limited access."), field="access")
    if payment_mode not in PaymentMode.values:
        raise RuleViolation(_("Choose who pays: the client or the partner."), field="payment_mode")
    codes = sorted(set(product_codes))
    if access == AccessLevel.FULL:
        return access, payment_mode, []
    if not codes:
        raise RuleViolation(
            _("Limited access needs at least one product; choose products or grant full access."),
            field="product_codes",
        )
    known = set(products_visible_to(actor).filter(code__in=codes).values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise RuleViolation(
            _("These products do not exist: %(codes)s.") % {"codes": ", ".join(unknown)},
            field="product_codes",
        )
    # Under limited access the partner never holds the billing (R4.6 applies to full access only).
    return access, PaymentMode.CUSTOMER, codes


def set_access(
    *,
    actor: Actor | None,
    relationship: ClientRelationship,
    access: str,
    payment_mode: str,
    product_codes: Iterable[str],
) -> ClientRelationship:
    """Writes the access, the grants and the payer (already checked by the caller), moving charges."""
    before = _snapshot(relationship)
    paid_by_partner_before = (
        relationship.access == AccessLevel.FULL and relationship.payment_mode == PaymentMode.PARTNER
    )
    relationship.access = access
    relationship.payment_mode = payment_mode
    relationship.save(update_fields=["access", "payment_mode"])
    relationship.grants.all().delete()
    if access == AccessLevel.LIMITED:
        ProductGrant.objects.bulk_create(
            ProductGrant(relationship=relationship, product_code=code) for code in sorted(set(product_codes))
        )
    paid_by_partner_after = access == AccessLevel.FULL and payment_mode == PaymentMode.PARTNER
    if paid_by_partner_before != paid_by_partner_after:
        _move_charges(actor, relationship, to_partner=paid_by_partner_after)
    audit.record(
        actor=actor,
        action="client_relationship.access_changed",
        obj=relationship,
        before=before,
        after=_snapshot(relationship),
    )
    return relationship


def relationship_of_client(actor: Actor, relationship_id: int) -> ClientRelationship:
    relationship = (
        ClientRelationship.objects.select_for_update()
        .filter(pk=relationship_id, client=actor.organisation, status=RelationshipStatus.ACTIVE)
        .select_related("partner", "client")
        .first()
    )
    if relationship is None:
        raise NotFound(_("No partnership with this id."), field="relationship")
    return relationship


def change_access(
    *,
    actor: Actor,
    relationship_id: int,
    access: str,
    payment_mode: str | None = None,
    product_codes: Iterable[str] = (),
) -> ClientRelationship:
    """R4.5, R4.6: the client's legal representative widens or narrows the access, or switches the payer,
    at any time; the partner is told."""
    with transaction.atomic():
        relationship = relationship_of_client(actor, relationship_id)
        actor.require_role(Role.LEGAL_REPRESENTATIVE)
        access, payment_mode, codes = clean_access(
            actor=actor,
            access=access,
            payment_mode=payment_mode or relationship.payment_mode,
            product_codes=product_codes,
        )
        set_access(
            actor=actor,
            relationship=relationship,
            access=access,
            payment_mode=payment_mode,
            product_codes=codes,
        )
        notices.tell(
            relationship.partner,
            "access_changed",
            {"relationship": relationship, "products": codes},
            message=gettext_noop("A client changed your access or who pays"),
            url=reverse("partners:relationship", args=[relationship.pk]),
        )
    return relationship


def _relationship_of_partner(actor: Actor, relationship_id: int) -> ClientRelationship:
    relationship = (
        ClientRelationship.objects.select_for_update()
        .filter(pk=relationship_id, partner=actor.organisation, status=RelationshipStatus.ACTIVE)
        .first()
    )
    if relationship is None:
        raise NotFound(_("No client with this id."), field="relationship")
    return relationship


def _partner_user(actor: Actor, user_id: int) -> User:
    membership = (
        Membership.objects.filter(organisation=actor.organisation, user_id=user_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise NotFound(_("No user with this id in your organisation."), field="user_id")
    return membership.user


def assign_manager(*, actor: Actor, relationship_id: int, user_id: int) -> ClientManager:
    """R4.12: the partner's legal representative lets one of its users manage one client."""
    with transaction.atomic():
        relationship = _relationship_of_partner(actor, relationship_id)
        actor.require_role(Role.LEGAL_REPRESENTATIVE)
        user = _partner_user(actor, user_id)
        return assign_manager_for_upgrade(actor=actor, relationship=relationship, user=user)


def assign_manager_for_upgrade(
    *, actor: Actor | None, relationship: ClientRelationship, user: User
) -> ClientManager:
    """R4.17: a partner user already linked to the client keeps reaching it, now through the partnership."""
    manager, created = ClientManager.objects.get_or_create(relationship=relationship, user=user)
    if created:
        audit.record(actor=actor, action="client_manager.assigned", obj=manager, after={"user": user.pk})
    return manager


def unassign_manager(*, actor: Actor, relationship_id: int, user_id: int) -> None:
    with transaction.atomic():
        relationship = _relationship_of_partner(actor, relationship_id)
        actor.require_role(Role.LEGAL_REPRESENTATIVE)
        manager = ClientManager.objects.filter(relationship=relationship, user_id=user_id).first()
        if manager is None:
            raise NotFound(_("This user does not manage this client."), field="user_id")
        audit.record(actor=actor, action="client_manager.unassigned", obj=manager, before={"user": user_id})
        manager.delete()


def end_relationship(
    *, actor: Actor, relationship_id: int, confirmed: bool, password: str
) -> ClientRelationship:
    """R4.13: either side ends the partnership after two confirmations, the second with the account
    password. Access stops at once; charges the partner paid go back to the client; both are told."""
    with transaction.atomic():
        relationship = (
            ClientRelationship.objects.select_for_update()
            .filter(pk=relationship_id, status=RelationshipStatus.ACTIVE)
            .filter(partner=actor.organisation)
            .select_related("partner", "client")
            .first()
        ) or (
            ClientRelationship.objects.select_for_update()
            .filter(pk=relationship_id, status=RelationshipStatus.ACTIVE, client=actor.organisation)
            .select_related("partner", "client")
            .first()
        )
        if relationship is None:
            raise NotFound(_("No partnership with this id."), field="relationship")
        actor.require_role(Role.LEGAL_REPRESENTATIVE, Role.ADMIN)
        if not confirmed:
            raise RuleViolation(_("Confirm that you want to end this partnership."), field="confirm")
        if not password or not actor.user.check_password(password):
            raise PermissionDenied(_("The password is wrong; type your account password to confirm."))
        if relationship.access == AccessLevel.FULL and relationship.payment_mode == PaymentMode.PARTNER:
            _move_charges(actor, relationship, to_partner=False)
        relationship.status = RelationshipStatus.ENDED
        relationship.ended_at = timezone.now()
        relationship.save(update_fields=["status", "ended_at"])
        relationship.managers.all().delete()
        audit.record(
            actor=actor,
            action="client_relationship.ended",
            obj=relationship,
            before={"status": RelationshipStatus.ACTIVE},
            after={"status": RelationshipStatus.ENDED},
        )
        for side in (relationship.partner, relationship.client):
            notices.tell(
                side,
                "relationship_ended",
                {"relationship": relationship, "ended_by": actor.organisation},
                message=gettext_noop("A partnership has ended"),
                url=reverse("partners:space"),
            )
    return relationship
