"""What a processed order does to its subscription, by order type, and who is told.

Called when the vendor completes the provisioning request, when the order's invoice is paid (products
the vendor does not provision), or at once when there is nothing to pay or provision.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canal.catalog.models import ProductKind
from canal.core.audit import AuditActor
from canal.notifications.services import emit_event
from canal.orders import notices, windows
from canal.orders.models import Order, OrderKind, OrderStatus
from canal.orders.states import ORDER_MACHINE
from canal.subscriptions.models import Subscription, SubscriptionStatus
from canal.subscriptions.states import SUBSCRIPTION_MACHINE


def term_months(subscription: Subscription) -> int:
    return windows.months_of(subscription.plan.term if subscription.plan else "")


def renewal_start(subscription: Subscription, today: date) -> date:
    """Where a renewal's new term starts: where the old one ends, except that an on-premise license
    renewed after its updates lapsed gets a whole year from today (R2.8: one year after the later of
    today and the old updatable-until)."""
    if subscription.product.kind == ProductKind.ON_PREMISE_LICENSE:
        return max(subscription.term_end, today)
    return subscription.term_end


def order_event(order: Order) -> dict[str, object]:
    """The order as webhooks carry it (docs/orders.md)."""
    return {
        "order_id": order.pk,
        "reference": order.reference,
        "kind": order.kind,
        "status": order.status,
        "customer_id": order.customer_id,
        "product": order.product.code,
        "configuration": order.configuration,
        "subscription_id": order.subscription_id,
        "contract_id": order.contract_id,
        "invoice": order.invoice_code or None,
    }


def complete_order(
    *, actor: AuditActor | None, order: Order, now: datetime, vendor_account_id: str = ""
) -> Order:
    """Marks the order processed and applies it to its subscription, in the caller's transaction."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        ORDER_MACHINE.transition(order, OrderStatus.COMPLETED, actor=actor, extra={"processed_at": now})
        subscription = order.subscription
        if subscription is not None:
            subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
            _apply(actor, order, subscription, now, vendor_account_id)
            if order.kind in (OrderKind.NEW, OrderKind.TRIAL, OrderKind.CONVERSION, OrderKind.UPGRADE) and (
                order.product.provisioning_hours is not None
            ):
                notices.provisioning_done(order, subscription)
            if order.kind == OrderKind.RENEWAL:
                notices.renewal_done(order, subscription)
        emit_event(organisation=order.placed_by, event="order.completed", payload=order_event(order))
    return order


def _apply(
    actor: AuditActor | None, order: Order, subscription: Subscription, now: datetime, account: str
) -> None:
    today = timezone.localdate(now)
    configuration = order.configuration
    account = account or subscription.vendor_account_id
    match order.kind:
        case OrderKind.NEW | OrderKind.UPGRADE:
            start, end = (
                windows.term_from(today, term_months(subscription))
                if order.kind == OrderKind.NEW
                else (subscription.term_start, subscription.term_end)  # R1.14: the upgrade keeps the term
            )
            SUBSCRIPTION_MACHINE.transition(
                subscription,
                SubscriptionStatus.ACTIVE,
                actor=actor,
                reason=order.reference,
                extra={
                    "term_start": start,
                    "term_end": end,
                    "vendor_account_id": account,
                    "provisioned_at": now,
                },
            )
            if order.kind == OrderKind.UPGRADE:
                _replace(actor, order, subscription, now)
        case OrderKind.TRIAL:
            days = order.plan.trial_days if order.plan and order.plan.trial_days else 30
            ends = windows.trial_end(today, days)
            SUBSCRIPTION_MACHINE.transition(
                subscription,
                SubscriptionStatus.TRIAL,
                actor=actor,
                reason=order.reference,
                extra={
                    "term_start": today,
                    "term_end": ends,
                    "trial_ends_on": ends,
                    "vendor_account_id": account,
                    "provisioned_at": now,
                },
            )
        case OrderKind.CONVERSION:
            # R1.9: the same row, so the paid subscription keeps the trial's account and data.
            subscription.plan = order.plan
            start, end = windows.term_from(today, term_months(subscription))
            SUBSCRIPTION_MACHINE.transition(
                subscription,
                SubscriptionStatus.ACTIVE,
                actor=actor,
                reason=order.reference,
                extra={
                    "plan": order.plan,
                    "quantity": order.quantity,
                    "add_ons": configuration.get("add_ons", []),
                    "package": configuration.get("package", ""),
                    "modules": configuration.get("modules", []),
                    "trial_ends_on": None,
                    "term_start": start,
                    "term_end": end,
                    "contract_id": order.contract_id or subscription.contract_id,
                    "payer": order.payer,
                    "currency": order.currency,
                },
            )
        case OrderKind.CHANGE | OrderKind.TRIAL_CHANGE:
            _update(
                actor,
                subscription,
                order,
                plan=order.plan,
                quantity=order.quantity,
                add_ons=configuration.get("add_ons", []),
                package=configuration.get("package", "") or subscription.package,
                modules=configuration.get("modules", []),
            )
        case OrderKind.RENEWAL:
            start = renewal_start(subscription, today)
            _update(
                actor,
                subscription,
                order,
                quantity=order.quantity,
                add_ons=configuration.get("add_ons", []),
                package=configuration.get("package", "") or subscription.package,
                modules=configuration.get("modules", []),
                term_start=start,
                term_end=windows.add_months(start, term_months(subscription)),
                renewal_quantity=None,
                renewal_add_ons=None,
                renewal_package="",
            )
        case OrderKind.RENEWAL_SETTINGS:
            _update(
                actor,
                subscription,
                order,
                renewal_quantity=configuration.get("quantity", 0),
                renewal_add_ons=configuration.get("add_ons", []),
                renewal_package=configuration.get("package", ""),
            )
        case OrderKind.TRIAL_TERMINATION:
            pass  # the trial ended when the termination was placed; the vendor has now deleted the data


def _update(actor: AuditActor | None, subscription: Subscription, order: Order, **changes: object) -> None:
    from canal.core import audit

    before = {name: _plain(getattr(subscription, name)) for name in changes}
    for name, value in changes.items():
        setattr(subscription, name, value)
    subscription.save(update_fields=list(changes))
    audit.record(
        actor=actor,
        action=f"subscription.{order.kind}",
        obj=subscription,
        before=before,
        after={name: _plain(value) for name, value in changes.items()},
        reason=order.reference,
    )


def _plain(value: object) -> object:
    if hasattr(value, "pk"):
        return getattr(value, "code", None) or value.pk  # type: ignore[union-attr]
    if isinstance(value, list | dict | int | str | bool) or value is None:
        return value
    return str(value)


def _replace(actor: AuditActor | None, order: Order, new: Subscription, now: datetime) -> None:
    """R1.14: the upgraded subscription replaces the old one, which ends without expiring."""
    old = Subscription.objects.select_for_update().get(pk=order.previous_configuration["subscription_id"])
    if old.status in (SubscriptionStatus.ACTIVE, SubscriptionStatus.SUSPENDED):
        SUBSCRIPTION_MACHINE.transition(
            old,
            SubscriptionStatus.CANCELLED,
            actor=actor,
            reason=_("Replaced by the upgrade %(order)s") % {"order": order.reference},
            extra={"replaced_by": new, "ended_at": now, "end_reason": "upgraded"},
        )
