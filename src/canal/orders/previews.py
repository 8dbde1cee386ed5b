"""What an order will cost and how it will be paid, worked out by the real placement in a rolled-back
transaction (`canal.core.dry_run`): the invoice's tax and total, and what the payer's wallet settles at
once versus what waits for a transfer, so the confirmation page states the money that will move."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from canal.core.dry_run import dry_run
from canal.core.money import Money
from canal.orders import invoicing
from canal.orders.models import Order


@dataclass(frozen=True)
class OrderPreview:
    order: Order
    net: Money
    tax: Money
    tax_name: str
    total: Money
    paid_now: Money  # settled at once from the payer's prepaid wallet
    left_to_pay: Money  # the invoice waits for the payer's transfer


def order_preview(place: Callable[[], Order]) -> OrderPreview:
    """The outcome of `place()` (a placement service call) with nothing of it kept."""

    def outcome() -> OrderPreview:
        order = place()
        currency = order.currency
        invoice = invoicing.invoice_of(order)
        if invoice is None:  # nothing to pay: a free change
            zero = Money.zero(currency)
            return OrderPreview(order, Money(order.net_total, currency), zero, "", zero, zero, zero)
        invoice.refresh_from_db()
        return OrderPreview(
            order=order,
            net=Money(invoice.net, currency),
            tax=Money(invoice.tax, currency),
            tax_name=invoice.tax_name,
            total=Money(invoice.total, currency),
            paid_now=Money(invoice.amount_paid, currency),
            left_to_pay=Money(invoice.amount_due, currency),
        )

    return dry_run(outcome)
