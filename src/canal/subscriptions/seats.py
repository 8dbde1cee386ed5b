"""Seat licenses (R3): assign and release per user and type, never overselling a pool.

Assigning increments `SeatPool.assigned` with a conditional UPDATE (`assigned + 1 <= total`): the row lock
it takes serialises racing requests, and the CHECK constraint `assigned <= total` backs it in the database.
"""

from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import OrganisationKind, Role, User
from canal.core import audit
from canal.core.errors import Conflict, NotFound, RuleViolation
from canal.notifications.services import emit_event
from canal.subscriptions.models import SeatAssignment, SeatCountChange, SeatPool

SEAT_MANAGER_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN, Role.TECHNICAL)


def purchase_url(subscription_id: int) -> str:
    return reverse("subscriptions:buy_seats", args=[subscription_id])


def require_seat_manager(actor: Actor) -> None:
    """The customer's admins (or its managing partner's) change seats; vendors only look (404 to writes)."""
    if actor.kind == OrganisationKind.VENDOR:
        raise NotFound(_("No subscription with this id."))
    if actor.is_operator or actor.kind == OrganisationKind.PARTNER:
        actor.require_role(Role.LEGAL_REPRESENTATIVE, Role.ADMIN)
    else:
        actor.require_role(*SEAT_MANAGER_ROLES)


def record_counts(pool: SeatPool, reason: str) -> None:
    """Appends the pool's current counts to its history (after a purchase or an end-of-cycle trim)."""
    pool.refresh_from_db(fields=["total", "assigned"])
    SeatCountChange.objects.create(pool=pool, total=pool.total, assigned=pool.assigned, reason=reason)


def assign_seat(*, actor: Actor, pool: SeatPool, user: User) -> SeatAssignment:
    """Gives `user` a license of the pool's type (R3.1); refused with a link to buy when none is free (R3.3).

    `pool` comes from `selectors.seat_pool_for` (scoped to the actor) and `user` from
    `selectors.customer_user_for`. The pool row is locked last, so it is held only until the commit.
    """
    require_seat_manager(actor)
    try:
        with transaction.atomic():
            assignment = SeatAssignment.objects.create(pool=pool, user=user)
            audit.record(
                actor=actor,
                action="seat.assigned",
                obj=assignment,
                after={"user": user.email, "license_type": pool.license_type.code},
            )
            counts = _change_assigned(pool, +1)
            if counts is None:
                raise RuleViolation(
                    _(
                        "No free %(type)s license: all %(total)s are in use. "
                        "Buy more licenses, or release one from another user, to assign it."
                    )
                    % {"type": pool.license_type.name, "total": pool.total},
                    code="no_free_license",
                    field="license_type",
                    suggestion=purchase_url(pool.subscription_id),
                )
            _record(pool, counts, "assigned")
            _tell_vendor(pool, user, "seat.assigned")
    except IntegrityError:
        # The user already holds this license (perhaps from a parallel request): one seat, not two.
        existing = SeatAssignment.objects.filter(pool=pool, user=user).first()
        if existing is None:
            raise Conflict(_("The license changed while you assigned it; try again.")) from None
        return existing
    return assignment


def release_seat(*, actor: Actor, pool: SeatPool, user: User) -> None:
    """Frees the user's license of the pool's type at once; the user loses its features at once (R3.6)."""
    require_seat_manager(actor)
    with transaction.atomic():
        deleted, _rows = SeatAssignment.objects.filter(pool=pool, user=user).delete()
        if not deleted:
            return
        audit.record(
            actor=actor,
            action="seat.released",
            obj=pool,
            before={"user": user.email, "license_type": pool.license_type.code},
        )
        counts = _change_assigned(pool, -1)
        _record(pool, counts, "released")
        _tell_vendor(pool, user, "seat.released")


def _tell_vendor(pool: SeatPool, user: User, event: str) -> None:
    """R3.6: the vendor's application hears at once (a signed webhook, sent on commit) which license
    changed and whether the user still holds any, so it grants or removes features without polling."""
    subscription = pool.subscription
    emit_event(
        organisation=subscription.product.vendor,
        event=event,
        payload={
            "email": user.email,
            "license_type": pool.license_type.code,
            "product": subscription.product.code,
            "subscription_id": subscription.pk,
            "customer_id": subscription.customer_id,
            "active": SeatAssignment.objects.filter(
                user=user, pool__subscription__product__vendor=subscription.product.vendor
            ).exists(),
        },
    )


def _change_assigned(pool: SeatPool, delta: int) -> tuple[int, int] | None:
    """Moves `assigned` by `delta` unless that would oversell; returns (total, assigned) or None."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {SeatPool._meta.db_table} SET assigned = assigned + %s "  # noqa: S608 - our own table name
            "WHERE id = %s AND assigned + %s <= total AND assigned + %s >= 0 RETURNING total, assigned",
            [delta, pool.pk, delta, delta],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def _record(pool: SeatPool, counts: tuple[int, int] | None, reason: str) -> None:
    if counts is not None:
        SeatCountChange.objects.create(pool=pool, total=counts[0], assigned=counts[1], reason=reason)


def holds_any_license(user: User, subscription_id: int) -> bool:
    """R3.5: a user of the customer is active only while it holds at least one license."""
    return SeatAssignment.objects.filter(user=user, pool__subscription_id=subscription_id).exists()
