"""Orders and billing meet here: who pays at which price (billing's partner terms), the invoice of an
order, its credit note when the order is cancelled, and whether it is paid.

Billing decides payer, discount and cashback (R4.6-R4.8, R4.10) in one place; orders only say what was
ordered. Every invoice of an order carries the origin key `order:<id>`, so the order is invoiced once
however often placement is retried.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from canal.accounts.actor import Actor
from canal.accounts.models import Organisation
from canal.billing import invoicing
from canal.billing import services as billing
from canal.billing.invoicing import Charge
from canal.billing.models import Invoice, InvoiceStatus, Payment, PaymentMethod
from canal.billing.partner_money import PartnerTerms, partner_terms, price_for
from canal.catalog import quoting
from canal.catalog.offer import Configuration, Offer
from canal.core.money import Money
from canal.orders.models import Order
from canal.pricing import Proration

PAY_WITH = billing.PAY_WITH
DEFAULT_PAY_WITH = "bank_transfer"  # the invoice waits for the payer, as with a distributor's terms


def terms_for(*, orderer: Organisation, customer: Organisation, product_code: str) -> PartnerTerms:
    return partner_terms(orderer=orderer, client=customer, product_code=product_code)


def charges_for(
    *,
    terms: PartnerTerms,
    offer: Offer,
    configuration: Configuration,
    currency: str,
    proration: Proration | None = None,
    only: set[str] | None = None,
) -> list[Charge]:
    """The priced lines of `configuration` for the payer of `terms` (discounted, with cashback per line)."""
    items = quoting.items_for(offer, configuration, currency)
    priced = price_for(terms, items, currency=currency, proration=proration, product_code=offer.code)
    charges = list(priced.charges)
    if only is not None:
        charges = [charge for charge in charges if charge.code in only]
    return charges


def difference(
    new: list[Charge], old: list[Charge], *, label: str, plan_codes: frozenset[str] = frozenset()
) -> list[Charge]:
    """What a change costs: each line's new amount less what its old version cost for the same period.

    Lines match by code, except the plan line: its code is the plan's own, so on an upgrade the new
    plan's line (`business`) is matched with the old plan's line (`professional`) through `plan_codes`.
    A line that costs less than before costs nothing (annual prepaid: nothing is refunded, it only
    lowers the next renewal, R2.6); the breakdown keeps the new line's steps and adds the deduction
    when something was deducted.
    """

    def key(code: str) -> str:
        return "\x00plan" if code in plan_codes else code

    before = {key(charge.code): charge for charge in old}
    result = []
    for charge in new:
        previous = before.get(key(charge.code))
        if previous is None or previous.amount.amount == 0:
            result.append(charge)
            continue
        extra = charge.amount - previous.amount
        if extra.amount <= 0:
            continue
        cashback = None
        if charge.cashback_amount is not None:
            earlier = previous.cashback_amount
            cashback = charge.cashback_amount - earlier if earlier is not None else charge.cashback_amount
            cashback = cashback if cashback.amount > 0 else None
        step = {
            "kind": "already_paid",
            "label": label,
            "rate_or_factor": "1",
            "amount_before": str(charge.amount.amount),
            "amount_after": str(extra.amount),
        }
        same_line = previous.code == charge.code
        result.append(
            replace(
                charge,
                quantity=(charge.quantity - previous.quantity if same_line else 0) or charge.quantity,
                amount=extra,
                steps=(*charge.steps, step),
                cashback_amount=cashback,
                cashback_partner=charge.cashback_partner if cashback is not None else None,
            )
        )
    return result


def lines_of(charges: list[Charge]) -> list[dict[str, Any]]:
    """The charges as the order keeps them (and shows them): JSON with amounts as strings."""
    return [
        {
            "code": charge.code,
            "description": charge.description,
            "quantity": charge.quantity,
            "unit_price": str(charge.unit_price.amount),
            "amount": str(charge.amount.amount),
            "currency": charge.amount.currency,
            "steps": list(charge.steps),
            "cashback": str(charge.cashback_amount.amount) if charge.cashback_amount else "0",
        }
        for charge in charges
    ]


def total_of(charges: list[Charge], currency: str) -> Money:
    total = Money.zero(currency)
    for charge in charges:
        total = total + charge.amount
    return total


def invoice_order(
    *,
    actor: Actor | None,
    order: Order,
    charges: list[Charge],
    today: date,
    pay_with: str,
    card_token: str = "",
) -> Invoice:
    """Issues the order's invoice to its payer (and takes the money at once when paying from a balance;
    by card only the intent is recorded, charged after commit by `charge_order_card`); R1.11: the
    invoice carries the custom contract id, else the order reference."""
    stamped = [
        replace(charge, source_app="orders", source_id=str(order.pk), product_code=order.product.code)
        for charge in charges
    ]
    result = billing.invoice_and_charge(
        actor=actor,
        payer=order.payer,
        charges=stamped,
        issue_date=today,
        pay_with=pay_with,
        card_token=card_token,
        customer=order.customer,
        reference=order.contract_id or order.reference,
        origin_key=f"order:{order.pk}",
    )
    return result.invoice


def card_payment_of(order: Order) -> Payment | None:
    """The latest card payment of the order's invoice (the checkout's intent), if any."""
    if order.invoice_id is None:
        return None
    return (
        Payment.objects.filter(invoice_id=order.invoice_id, method=PaymentMethod.CARD).order_by("-id").first()
    )


def charge_order_card(*, actor: Actor | None, order: Order) -> Payment | None:
    """Charges the checkout's card intent (no transaction may be open); a decided one is left as it is."""
    payment = card_payment_of(order)
    if payment is None:
        return None
    return billing.charge_card_intent(payment_id=payment.pk, actor=actor)


def credit_order_invoice(*, actor: Actor | None, order: Order, today: date, reason: str) -> Invoice | None:
    """R1.15: cancelling an order credits its invoice in full (what was paid goes to the wallet)."""
    if order.invoice_id is None:
        return None
    invoice = Invoice.objects.get(pk=order.invoice_id)
    if invoice.status not in (InvoiceStatus.ISSUED, InvoiceStatus.PAID):
        return None
    return invoicing.credit(actor=actor, invoice=invoice, issue_date=today, reason=reason)


def paid_invoice_ids(invoice_ids: list[int]) -> set[int]:
    return set(
        Invoice.objects.filter(pk__in=invoice_ids, status=InvoiceStatus.PAID).values_list("pk", flat=True)
    )


def invoice_of(order: Order) -> Invoice | None:
    return Invoice.objects.filter(pk=order.invoice_id).first() if order.invoice_id else None


def pay_from_wallet_if_set(invoice: Invoice) -> None:
    """Renewals are paid from the payer's prepaid wallet as far as it goes, like the billing run does."""
    from canal.billing.payments import pay_what_the_wallet_covers

    if invoice.total > Decimal(0) and invoicing.billing_account_of(invoice.organisation).pay_from_wallet:
        pay_what_the_wallet_covers(invoice=invoice)
