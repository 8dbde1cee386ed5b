"""What a payment action will do, worked out by the real service in a rolled-back transaction
(`canal.core.dry_run`), so the confirmation page shows the exact amounts the confirmed action produces."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from canal.accounts.actor import Actor
from canal.billing import selectors, services
from canal.billing.models import Payment
from canal.core.dry_run import dry_run
from canal.core.money import Money


@dataclass(frozen=True)
class PaymentPreview:
    payment: Payment
    amount: Money
    applied: Money
    to_wallet: Money
    invoice_code: str
    still_due: Money | None
    balance_after: Money | None


def _look(actor: Actor, payment: Payment, balance_kind: str = "") -> PaymentPreview:
    currency = payment.currency
    invoice = payment.invoice
    balance_after = None
    if balance_kind:
        balance_after = next(
            (
                Money(balance.amount, currency)
                for balance in selectors.balances_of(actor)
                if balance.kind == balance_kind and balance.currency == currency
            ),
            Money.zero(currency),
        )
    if invoice is not None:
        invoice.refresh_from_db(fields=["amount_paid", "amount_credited", "status"])
    return PaymentPreview(
        payment=payment,
        amount=Money(payment.amount, currency),
        applied=Money(payment.applied_amount, currency),
        to_wallet=Money(payment.to_wallet_amount, currency),
        invoice_code=invoice.code if invoice is not None else "",
        still_due=Money(invoice.amount_due, currency) if invoice is not None else None,
        balance_after=balance_after,
    )


def balance_payment(*, actor: Actor, invoice_id: int, amount: Decimal | None, method: str) -> PaymentPreview:
    """Paying an invoice from the wallet or cashback: the amount, and the balance and debt left after."""

    def pay() -> PaymentPreview:
        payment = services.pay_from_balance(actor=actor, invoice_id=invoice_id, amount=amount, method=method)
        return _look(actor, payment, balance_kind=method)

    return dry_run(pay)


def transfer_confirmation(
    *, actor: Actor, payment_id: int, amount_received: Decimal | None, note: str
) -> PaymentPreview:
    """Confirming a notified transfer: what goes to the invoice and what to the payer's wallet."""

    def confirm() -> PaymentPreview:
        payment = services.confirm_payment(
            actor=actor, payment_id=payment_id, amount_received=amount_received, note=note
        )
        return _look(actor, payment)

    return dry_run(confirm)
