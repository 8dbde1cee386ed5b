"""R2.13: support packs bought through the normal checkout. The invoice is paid by wallet or card at once,
or by bank transfer when operator staff confirm it; the pack's credits land in the organisation's
support-credit ledger account when its invoice is paid, exactly once (the purchase row is locked and
moves awaiting_payment → credited in the same transaction as the ledger entry)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import OrganisationKind
from canal.billing import services as billing
from canal.billing.invoicing import Charge, seller, treatment_for
from canal.billing.models import InvoiceStatus, PaymentStatus
from canal.billing.payments import PAYING_ROLES
from canal.billing.taxes import line_tax, totals
from canal.catalog import quoting
from canal.catalog.offer import Configuration
from canal.catalog.selectors import offer_for
from canal.catalog.services import ConfigurationRefused, validate_configuration
from canal.core import audit
from canal.core.errors import NotFound, RuleViolation
from canal.core.money import Money
from canal.support.models import PackPurchase, PackPurchaseStatus
from canal.support.selectors import pack_for
from canal.support.states import PACK_MACHINE

PAY_WITH = ("wallet", "card", "bank_transfer")


@dataclass(frozen=True)
class PackPreview:
    """What buying the pack costs, exactly as the invoice will say it (R2.13: the price is shown)."""

    pack: object
    credits: int
    charges: tuple[Charge, ...]
    net: Money
    tax: Money
    total: Money
    tax_name: str


def preview_pack(*, actor: Actor, pack_id: int) -> PackPreview:
    """Prices the pack for the actor's organisation as its invoice would; anyone may look."""
    pack = pack_for(actor, pack_id)
    product = pack.product
    configuration = Configuration(product=product.code, quantity=1, support_pack=pack.code)
    violations = validate_configuration(actor=actor, configuration=configuration)
    if violations:
        raise ConfigurationRefused(violations)
    offer = offer_for(actor, product.code)
    currency = actor.organisation.currency if actor.organisation.currency in offer.prices else None
    currency = currency or sorted(offer.prices)[0]
    items = quoting.items_for(offer, configuration, currency)
    customer = actor.organisation
    terms = billing.partner_terms(orderer=customer, client=customer, product_code=product.code)
    charges = tuple(billing.price_for(terms, items, currency=currency, product_code=product.code).charges)
    treatment = treatment_for(customer, seller().country)
    result = totals(
        ((charge.amount, line_tax(charge.amount, treatment.rate)) for charge in charges), currency
    )
    return PackPreview(
        pack=pack,
        credits=pack.credits,
        charges=charges,
        net=result.net,
        tax=result.tax,
        total=result.total,
        tax_name=treatment.name,
    )


def buy_pack(*, actor: Actor, pack_id: int, pay_with: str, card_token: str = "") -> PackPurchase:
    """Invoices the pack to the customer and pays it as chosen; the credits arrive when it is paid."""
    # Like any id the actor may not act on, a pack it may not buy answers 404, saying who may buy it.
    if actor.kind != OrganisationKind.CUSTOMER or not actor.has_role(*PAYING_ROLES):
        raise NotFound(
            _(
                "No support pack with this id that you may buy: packs are bought by the customer's legal "
                "representative, administrators or billing staff."
            ),
            field="pack",
        )
    if pay_with not in PAY_WITH:
        raise RuleViolation(
            _("Choose how to pay: prepaid wallet, card or bank transfer."), code="pay_with", field="pay_with"
        )
    preview = preview_pack(actor=actor, pack_id=pack_id)
    with transaction.atomic():
        purchase = PackPurchase.objects.create(
            organisation=actor.organisation,
            pack=preview.pack,
            credits=preview.credits,
            pay_with=pay_with,
            created_by=actor.user,
        )
        charges = [
            replace(charge, source_app="support", source_id=str(purchase.pk)) for charge in preview.charges
        ]
        result = billing.invoice_and_charge(
            actor=actor,
            payer=actor.organisation,
            charges=charges,
            pay_with=pay_with,
            card_token=card_token,
            customer=actor.organisation,
            origin_key=f"support-pack:{purchase.pk}",
        )
        if (
            result.payment is not None
            and result.payment.status == PaymentStatus.PENDING
            and pay_with == "card"
        ):
            _charge_card_now(actor, result.payment.pk)
            result.invoice.refresh_from_db()
        purchase.invoice = result.invoice
        purchase.save(update_fields=["invoice"])
        audit.record(
            actor=actor,
            action="support_pack.bought",
            obj=purchase,
            after={"pack": preview.pack.code, "credits": preview.credits, "invoice": result.invoice.code},
        )
        if result.invoice.status == InvoiceStatus.PAID:
            _credit(purchase, actor=actor)
    return purchase


def _charge_card_now(actor: Actor, payment_id: int) -> None:
    # Known leftover (docs/billing.md): unlike checkout, a pack still charges its card inside its own
    # transaction and rolls back on a decline, so nothing is bought. A gateway that does not answer
    # leaves the intent for reconciliation and the pack awaiting payment.
    payment = billing.charge_card_intent(payment_id=payment_id, actor=actor)
    if payment.status == PaymentStatus.FAILED:
        raise RuleViolation(
            _("The card was not charged: %(reason)s Try another card or pay from the wallet.")
            % {"reason": payment.failure_message},
            code="card_declined",
            field="card_token",
        )


def credit_paid_packs(*, now: datetime | None = None) -> int:
    """Credits every pack whose invoice got paid (a confirmed transfer) and cancels those whose invoice was
    voided; safe to run from several workers at once."""
    credited = 0
    waiting = PackPurchase.objects.filter(
        status=PackPurchaseStatus.AWAITING_PAYMENT,
        invoice__status__in=[InvoiceStatus.PAID, InvoiceStatus.VOID],
    ).values_list("pk", flat=True)
    for purchase_id in list(waiting):
        with transaction.atomic():
            purchase = (
                PackPurchase.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("invoice", "organisation")
                .filter(pk=purchase_id, status=PackPurchaseStatus.AWAITING_PAYMENT)
                .first()
            )
            if purchase is None:
                continue  # another worker has it, or credited it already
            if purchase.invoice.status == InvoiceStatus.PAID:
                _credit(purchase, actor=None, now=now)
                credited += 1
            else:
                PACK_MACHINE.transition(
                    purchase, PackPurchaseStatus.CANCELLED, actor=None, reason="invoice voided"
                )
    return credited


def _credit(purchase: PackPurchase, *, actor: Actor | None, now: datetime | None = None) -> None:
    # The ledger line keeps a message id: each reader sees it in its own language.
    billing.add_support_credits(
        actor=actor,
        organisation=purchase.organisation,
        credits=purchase.credits,
        document=("support.pack", str(purchase.pk)),
    )
    PACK_MACHINE.transition(
        purchase, PackPurchaseStatus.CREDITED, actor=actor, extra={"credited_at": now or timezone.now()}
    )
