"""Row locks of the order lifecycle, always taken in the same order so two transactions never wait for
each other (a deadlock on PostgreSQL): first the order, then its provisioning request."""

from __future__ import annotations

from django.db.models import QuerySet

from canal.orders.models import Order
from canal.subscriptions.models import ProvisioningRequest


def lock_order_and_request(
    *, order_id: int, orders: QuerySet[Order] | None = None
) -> tuple[Order, ProvisioningRequest | None]:
    """Locks the order, then its provisioning request (if it has one); call inside a transaction."""
    order = (
        (orders if orders is not None else Order.objects.all())
        .select_for_update(of=("self",))
        .get(pk=order_id)
    )
    request = (
        ProvisioningRequest.objects.select_for_update(of=("self",))
        .select_related("order", "subscription")
        .filter(order_id=order.pk)
        .first()
    )
    return order, request
