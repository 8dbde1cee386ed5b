"""What cancelling an order gives back, exactly: the cancellation runs for real in a rolled-back
transaction (`canal.core.dry_run`), so the confirmation page shows the credited invoice and what returns
to the payer's wallet (R1.15) before anything is cancelled."""

from __future__ import annotations

from dataclasses import dataclass

from canal.accounts.actor import Actor
from canal.accounts.models import Organisation
from canal.billing.models import Invoice
from canal.billing.selectors import wallet_balance
from canal.core.dry_run import dry_run
from canal.core.money import Money
from canal.orders import services
from canal.orders.models import Order


@dataclass(frozen=True)
class CancellationPreview:
    order: Order
    credited: Money | None  # the invoice's total, cancelled by a credit note
    to_wallet: Money | None  # what the payer had paid, back in its prepaid wallet


def cancellation_preview(*, actor: Actor, order_id: int, reason: str) -> CancellationPreview:
    """Raises what cancelling would raise (outside the 48 hours, R1.15), changing nothing."""

    def cancel() -> CancellationPreview:
        # Read before the service looks the order up in the actor's scope; used only once it has.
        payer = Order.objects.filter(pk=order_id).values_list("payer", "currency").first()
        before = wallet_balance(Organisation.objects.get(pk=payer[0]), payer[1]) if payer else None
        order = services.cancel_order(actor=actor, order_id=order_id, reason=reason)
        invoice = Invoice.objects.filter(pk=order.invoice_id).first() if order.invoice_id else None
        if invoice is None or before is None:
            return CancellationPreview(order=order, credited=None, to_wallet=None)
        after = wallet_balance(order.payer, before.currency)
        return CancellationPreview(
            order=order, credited=Money(invoice.total, invoice.currency), to_wallet=after - before
        )

    return dry_run(cancel)
