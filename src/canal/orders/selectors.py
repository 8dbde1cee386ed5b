"""Reads of orders, scoped to the actor: the customer's orders, those of the clients a partner manages
(within its grants) and those it placed, a vendor's orders for its products, everything for operators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.scope import scoped
from canal.core.errors import NotFound
from canal.core.models import AuditEntry
from canal.orders.models import Order, OrderStatus


def orders_visible_to(actor: Actor) -> QuerySet[Order]:
    queryset = Order.objects.select_related(
        "customer", "placed_by", "placed_by_user", "payer", "product", "plan", "subscription"
    )
    visible = scoped(
        queryset,
        actor,
        organisation_field="customer",
        product_field="product__code",
        vendor_field="product__vendor",
    )
    if actor.is_operator:
        return visible
    # The orders an organisation placed or pays stay visible even after the relationship ended.
    return queryset.filter(
        Q(pk__in=visible.values("pk")) | Q(placed_by=actor.organisation) | Q(payer=actor.organisation)
    )


def order_for(actor: Actor, order_id: int) -> Order:
    order = orders_visible_to(actor).filter(pk=order_id).first()
    if order is None:
        raise NotFound(_("No order with this id."))
    return order


@dataclass(frozen=True)
class OrderFilters:
    """The filters of the orders list (R2.15): status, type, processed yes/no, customer, dates, search."""

    status: str = ""
    kind: str = ""
    processed: bool | None = None
    customer_id: int | None = None
    placed_from: date | None = None
    placed_to: date | None = None
    search: str = ""


def filtered_orders(actor: Actor, filters: OrderFilters) -> QuerySet[Order]:
    orders = orders_visible_to(actor)
    if filters.status:
        orders = orders.filter(status=filters.status)
    if filters.kind:
        orders = orders.filter(kind=filters.kind)
    if filters.processed is True:
        orders = orders.filter(status=OrderStatus.COMPLETED)
    elif filters.processed is False:
        orders = orders.filter(status__in=[OrderStatus.PLACED, OrderStatus.PROVISIONING])
    if filters.customer_id:
        orders = orders.filter(customer_id=filters.customer_id)
    if filters.placed_from:
        orders = orders.filter(placed_at__date__gte=filters.placed_from)
    if filters.placed_to:
        orders = orders.filter(placed_at__date__lte=filters.placed_to)
    if filters.search:
        term = filters.search.strip()
        match = (
            Q(summary__icontains=term) | Q(subscription_name__icontains=term) | Q(contract_id__icontains=term)
        )
        match |= Q(customer__name__icontains=term) | Q(invoice_code__icontains=term)
        if term.upper().startswith("ORD-") and term[4:].isdigit():
            match |= Q(pk=int(term[4:]))
        orders = orders.filter(match)
    return orders


def timeline_of(order: Order) -> QuerySet[AuditEntry]:
    """Every recorded step of the order and of its provisioning request, oldest first."""
    request_ids = [
        str(pk)
        for pk in type(order).objects.filter(pk=order.pk).values_list("provisioning__pk", flat=True)
        if pk
    ]
    return (
        AuditEntry.objects.filter(
            Q(object_type="orders.order", object_id=str(order.pk))
            | Q(object_type="subscriptions.provisioningrequest", object_id__in=request_ids)
        )
        .select_related("user", "organisation")
        .order_by("at", "id")
    )
