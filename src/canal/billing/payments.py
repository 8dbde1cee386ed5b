"""Payments: from the prepaid wallet (or cashback), by card through the provider, by bank transfer that the
payer notifies with a receipt and operator staff confirm or reject (R2.15); and wallet top-ups.

A payment may be partial (the invoice stays open for the rest) or larger than what is due (the excess
goes to the prepaid wallet). Every confirmed payment is one journal entry.
"""

from __future__ import annotations

import logging
import os
import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from canal.accounts.actor import Actor
from canal.accounts.models import Membership, Organisation, OrganisationKind, Role
from canal.billing import ledger
from canal.billing.invoicing import INVOICE_MACHINE
from canal.billing.ledger import Leg
from canal.billing.models import (
    AccountKind,
    EntryReason,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentMethod,
    PaymentPurpose,
    PaymentStatus,
)
from canal.billing.providers import CardResult, ProviderUnavailable, card_provider
from canal.core import audit
from canal.core.errors import Conflict, IllegalTransition, NotFound, PermissionDenied, RuleViolation
from canal.core.money import Money, round_money, to_decimal
from canal.core.state_machine import machine
from canal.notifications.email import send_email
from canal.notifications.services import notify

logger = logging.getLogger(__name__)

PAYMENT_MACHINE = machine(
    "payment",
    {
        PaymentStatus.PENDING: {PaymentStatus.CONFIRMED, PaymentStatus.REJECTED, PaymentStatus.FAILED},
        PaymentStatus.CONFIRMED: set(),
        PaymentStatus.REJECTED: set(),
        PaymentStatus.FAILED: set(),
    },
)
PAYING_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN, Role.BILLING)
CLEARING = {PaymentMethod.BANK_TRANSFER: AccountKind.BANK, PaymentMethod.CARD: AccountKind.CARD}
MAX_RECEIPT_BYTES = 10 * 1024 * 1024
# Receipts are checked by extension and by their first bytes, never by the browser's content type,
# and stored under a random name: a page disguised as an image must never reach a browser as HTML.
RECEIPT_KINDS = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
RECEIPT_TYPES = {content_type for content_type, _magic in RECEIPT_KINDS.values()}


def _may_pay(actor: Actor, invoice_id: int | None) -> None:
    """An invoice the actor's organisation does not pay is absent (404) before any role check, so a
    stranger learns nothing from the answer; then only paying roles pay."""
    if (
        invoice_id is not None
        and not Invoice.objects.filter(
            pk=invoice_id, organisation=actor.organisation, kind="invoice"
        ).exists()
    ):
        raise NotFound(_("No invoice with this id."), field="invoice")
    actor.require_role(*PAYING_ROLES)


def _payable_invoice(actor: Actor, invoice_id: int) -> Invoice:
    """The invoice, locked, if the actor's organisation pays it (R4.10); 404 otherwise."""
    invoice = (
        Invoice.objects.select_for_update()
        .filter(pk=invoice_id, organisation=actor.organisation, kind="invoice")
        .first()
    )
    if invoice is None:
        raise NotFound(_("No invoice with this id."), field="invoice")
    if invoice.status != InvoiceStatus.ISSUED or invoice.amount_due <= 0:
        raise Conflict(
            _("Invoice %(code)s has nothing left to pay (%(status)s).")
            % {"code": invoice, "status": invoice.get_status_display()},
            code="nothing_due",
            field="invoice",
        )
    return invoice


def _amount(value: Decimal | str | int | None, currency: str, default: Decimal | None = None) -> Decimal:
    if value is None:
        if default is None:
            raise RuleViolation(_("Enter the amount."), code="amount_required", field="amount")
        return default
    amount = to_decimal(value)
    if amount <= 0 or amount != round_money(amount, currency):
        raise RuleViolation(
            _("The amount must be positive, in whole %(currency)s cents at most.") % {"currency": currency},
            code="invalid_amount",
            field="amount",
        )
    return amount


def _settle(
    *, payment: Payment, actor: Actor | None, source: Leg, invoice: Invoice | None, amount: Decimal
) -> Payment:
    """Posts a received `amount` from `source`: what the invoice still owes, then the rest to the wallet."""
    currency = payment.currency
    payer_id = payment.organisation_id
    applied = min(amount, invoice.amount_due) if invoice is not None else Decimal(0)
    excess = amount - applied
    legs = [source]
    if applied:
        legs.append(Leg(ledger.organisation_account(payer_id, AccountKind.RECEIVABLE, currency), applied))
    if excess:
        legs.append(Leg(ledger.organisation_account(payer_id, AccountKind.WALLET, currency), excess))
    reason = EntryReason.TOP_UP if invoice is None else EntryReason.PAYMENT
    ledger.post(
        reason=reason,
        memo=(
            gettext_noop("Payment of %(code)s")
            if invoice is not None
            else gettext_noop("Top-up of the prepaid wallet")
        ),
        memo_params={"code": invoice.code} if invoice is not None else None,
        legs=legs,
        invoice=invoice,
        payment=payment,
        user=getattr(actor, "user", None),
    )
    payment.applied_amount, payment.to_wallet_amount = applied, excess
    payment.save(update_fields=["applied_amount", "to_wallet_amount"])
    if invoice is not None and applied:
        before = str(invoice.amount_paid)
        invoice.amount_paid += applied
        invoice.save(update_fields=["amount_paid"])
        audit.record(
            actor=actor,
            action="invoice.payment_applied",
            obj=invoice,
            before={"amount_paid": before},
            after={"amount_paid": str(invoice.amount_paid), "payment": payment.pk},
        )
        if invoice.amount_due == 0:
            INVOICE_MACHINE.transition(
                invoice, InvoiceStatus.PAID, actor=actor, extra={"settled_at": timezone.now()}
            )
    return payment


def pay_from_balance(
    *,
    actor: Actor,
    invoice_id: int,
    amount: Decimal | str | None = None,
    method: str = PaymentMethod.WALLET,
) -> Payment:
    """Pays an invoice (all that is due, or `amount` of it) from the wallet or the cashback balance."""
    _may_pay(actor, invoice_id)
    if method not in {PaymentMethod.WALLET, PaymentMethod.CASHBACK}:
        raise RuleViolation(_("Pay from the wallet or the cashback balance."), field="method")
    with transaction.atomic():
        invoice = _payable_invoice(actor, invoice_id)
        return settle_from_balance(actor=actor, invoice=invoice, amount=amount, method=method)


def settle_from_balance(
    *, actor: Actor | None, invoice: Invoice, amount: Decimal | str | None, method: str
) -> Payment:
    """Pays a locked, issued invoice from the payer's wallet or cashback; the caller checked the role."""
    due = invoice.amount_due
    value = _amount(amount, invoice.currency, default=due)
    if value > due:
        raise RuleViolation(
            _("At most %(due)s is due on %(code)s; a balance pays no more than that.")
            % {"due": Money(due, invoice.currency).quantize(), "code": invoice},
            code="more_than_due",
            field="amount",
        )
    kind = AccountKind.WALLET if method == PaymentMethod.WALLET else AccountKind.CASHBACK
    payment = Payment.objects.create(
        organisation_id=invoice.organisation_id,
        invoice=invoice,
        purpose=PaymentPurpose.INVOICE,
        method=method,
        status=PaymentStatus.PENDING,
        amount=value,
        currency=invoice.currency,
        created_by=getattr(actor, "user", None),
    )
    source = Leg(ledger.organisation_account(invoice.organisation_id, kind, invoice.currency), -value)
    _settle(payment=payment, actor=actor, source=source, invoice=invoice, amount=value)
    PAYMENT_MACHINE.transition(
        payment, PaymentStatus.CONFIRMED, actor=actor, extra={"decided_at": timezone.now()}
    )
    return payment


def pay_what_the_wallet_covers(*, invoice: Invoice) -> Payment | None:
    """The billing run pays renewals from the wallet as far as its balance goes (system actor)."""
    wallet = ledger.existing_organisation_account(
        invoice.organisation_id, AccountKind.WALLET, invoice.currency
    )
    if wallet is None or wallet.balance <= 0:
        return None
    held = ledger.locked_balance(wallet)
    amount = min(held, invoice.amount_due)
    if amount <= 0:
        return None
    return settle_from_balance(actor=None, invoice=invoice, amount=amount, method=PaymentMethod.WALLET)


def pay_by_card(
    *,
    actor: Actor,
    invoice_id: int | None,
    amount: Decimal | str | None,
    card_token: str,
    idempotency_key: str = "",
    currency: str | None = None,
) -> Payment:
    """Charges a card through the provider: an invoice (partly, fully, or more: the excess to the wallet),
    or a top-up when `invoice_id` is None. A decline is kept as a failed payment with the reason.

    The provider is called outside any transaction, so no row stays locked while a gateway answers: the
    intent is recorded and committed first, then charged with its key, then settled. A retry with the
    same `idempotency_key` finds the intent and charges nothing twice.
    """
    _may_pay(actor, invoice_id)
    if not card_token:
        raise RuleViolation(_("Enter the card."), code="card_required", field="card_token")
    payment = _record_card_intent(
        actor=actor,
        invoice_id=invoice_id,
        amount=amount,
        card_token=card_token,
        key=idempotency_key,
        currency=currency,
    )
    if payment.status != PaymentStatus.PENDING:
        return payment
    return _complete_card_intent(payment, actor=actor)


def _record_card_intent(
    *,
    actor: Actor,
    invoice_id: int | None,
    amount: Decimal | str | None,
    card_token: str,
    key: str,
    currency: str | None,
) -> Payment:
    with transaction.atomic():
        if key:
            existing = Payment.objects.filter(organisation=actor.organisation, intent_key=key).first()
            if existing is not None:
                return _same_intent(existing, invoice_id, amount)
        invoice = _payable_invoice(actor, invoice_id) if invoice_id is not None else None
        currency = invoice.currency if invoice is not None else (currency or actor.organisation.currency)
        value = _card_amount(amount, currency, default=invoice.amount_due if invoice is not None else None)
        payment = _new_card_payment(
            payer_id=actor.organisation.pk,
            invoice=invoice,
            amount=value,
            currency=currency,
            actor=actor,
            card_token=card_token,
        )
        payment.intent_key = key or f"payment-{payment.pk}"
        payment.save(update_fields=["intent_key"])
    return payment


def _new_card_payment(
    *,
    payer_id: int,
    invoice: Invoice | None,
    amount: Decimal,
    currency: str,
    actor: Actor | None,
    card_token: str = "",
) -> Payment:
    return Payment.objects.create(
        organisation_id=payer_id,
        invoice=invoice,
        purpose=PaymentPurpose.INVOICE if invoice is not None else PaymentPurpose.TOP_UP,
        method=PaymentMethod.CARD,
        amount=amount,
        currency=currency,
        provider=card_provider().name,
        card_token=card_token,
        created_by=getattr(actor, "user", None),
    )


def _same_intent(payment: Payment, invoice_id: int | None, amount: Decimal | str | None) -> Payment:
    if payment.invoice_id != invoice_id or (amount is not None and to_decimal(amount) != payment.amount):
        raise Conflict(
            _("This key was already used for another payment. Send a new key for a new payment."),
            code="idempotency_key_reused",
            field="Idempotency-Key",
        )
    return payment


def _card_amount(value: Decimal | str | int | None, currency: str, default: Decimal | None) -> Decimal:
    amount = _amount(value, currency, default=default)
    limit = Decimal(settings.BILLING_CARD_MAX_AMOUNT)
    if amount > limit:
        raise RuleViolation(
            _("A card payment can be at most %(limit)s. Pay the rest by bank transfer.")
            % {"limit": Money(limit, currency).format(translation.get_language() or settings.LANGUAGE_CODE)},
            code="card_amount_too_large",
            field="amount",
        )
    return amount


def _complete_card_intent(payment: Payment, *, actor: Actor | None) -> Payment:
    """Charges the intent with its key (outside any transaction) and settles what the provider says."""
    try:
        result = card_provider().charge(
            amount=Money(payment.amount, payment.currency),
            token=payment.card_token,
            description=str(payment.invoice or _("Wallet top-up")),
            idempotency_key=payment.intent_key,
        )
    except (ProviderUnavailable, OSError):
        # Unknown whether the card was charged: the intent stays pending and reconciliation asks again
        # with the same key, which the gateway answers without charging twice.
        logger.warning("card provider did not answer for payment %s; left for reconciliation", payment.pk)
        return payment
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != PaymentStatus.PENDING:
            return payment  # a reconciliation settled it meanwhile
        invoice = (
            Invoice.objects.select_for_update().get(pk=payment.invoice_id) if payment.invoice_id else None
        )
        return _record_card_outcome(payment, invoice=invoice, actor=actor, result=result)


def reconcile_card_intents(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Completes card intents a crash left without an outcome; returns how many it settled."""
    stale = Payment.objects.filter(
        method=PaymentMethod.CARD,
        status=PaymentStatus.PENDING,
        created_at__lt=timezone.now() - older_than,
    ).exclude(intent_key="")
    settled = 0
    for payment in stale.order_by("pk")[:200]:
        if _complete_card_intent(payment, actor=None).status != PaymentStatus.PENDING:
            settled += 1
    return settled


def record_card_intent_for(
    *, actor: Actor | None, invoice: Invoice, card_token: str, key: str | None
) -> Payment:
    """Records, in the caller's transaction, a card intent for what is due on a just-issued invoice.

    Nothing is charged here: the caller commits first and then calls `charge_card_intent()`, so the
    gateway never answers while the purchase's rows are locked, and a crash between commit and charge
    leaves an intent that `reconcile_card_intents()` completes. The same `key` finds the same intent.
    """
    if not card_token:
        raise RuleViolation(_("Enter the card."), code="card_required", field="card_token")
    intent_key = key or ""
    if intent_key:
        existing = Payment.objects.filter(
            organisation_id=invoice.organisation_id, intent_key=intent_key
        ).first()
        if existing is not None:
            return _same_intent(existing, invoice.pk, None)
    payment = _new_card_payment(
        payer_id=invoice.organisation_id,
        invoice=invoice,
        amount=_card_amount(invoice.amount_due, invoice.currency, default=None),
        currency=invoice.currency,
        actor=actor,
        card_token=card_token,
    )
    payment.intent_key = intent_key or f"payment-{payment.pk}"
    payment.save(update_fields=["intent_key"])
    return payment


def charge_card_intent(*, payment_id: int, actor: Actor | None) -> Payment:
    """Charges a recorded card intent with its key and settles the outcome; call it after the intent's
    transaction committed (no transaction open). An intent already decided is returned as it is, so a
    retry charges nothing twice."""
    payment = Payment.objects.get(pk=payment_id)
    if payment.method != PaymentMethod.CARD or payment.status != PaymentStatus.PENDING:
        return payment
    return _complete_card_intent(payment, actor=actor)


def _record_card_outcome(
    payment: Payment, *, invoice: Invoice | None, actor: Actor | None, result: CardResult
) -> Payment:
    if not result.approved:
        PAYMENT_MACHINE.transition(
            payment,
            PaymentStatus.FAILED,
            actor=actor,
            reason=result.message,
            extra={"failure_message": result.message, "card_token": ""},
        )
        return payment
    source = Leg(ledger.house_account(AccountKind.CARD, payment.currency), -payment.amount)
    _settle(payment=payment, actor=actor, source=source, invoice=invoice, amount=payment.amount)
    PAYMENT_MACHINE.transition(
        payment,
        PaymentStatus.CONFIRMED,
        actor=actor,
        extra={"provider_reference": result.reference, "decided_at": timezone.now(), "card_token": ""},
    )
    return payment


def _receipt_extension(name: str) -> str:
    return os.path.splitext(name or "")[1].lower()


def receipt_content_type(name: str) -> str:
    """The content type a stored receipt is served with; anything unexpected is served as bytes."""
    kind = RECEIPT_KINDS.get(_receipt_extension(name))
    return kind[0] if kind else "application/octet-stream"


def _check_receipt(receipt: UploadedFile | None) -> str:
    """Refuse anything but a real PDF, PNG or JPEG; return the extension to store it under."""
    if receipt is None:
        raise RuleViolation(
            _("Attach the bank's receipt of the transfer (PDF, PNG or JPEG)."),
            code="receipt_required",
            field="receipt",
        )
    if receipt.size and receipt.size > MAX_RECEIPT_BYTES:
        raise RuleViolation(_("The receipt may be at most 10 MB."), code="receipt_too_large", field="receipt")
    extension = _receipt_extension(receipt.name or "")
    kind = RECEIPT_KINDS.get(extension)
    receipt.seek(0)
    head = receipt.read(16)
    receipt.seek(0)
    if kind is None or not any(head.startswith(magic) for magic in kind[1]):
        raise RuleViolation(
            _("Attach the receipt as a PDF, PNG or JPEG file; this file is not one."),
            code="receipt_type",
            field="receipt",
        )
    return ".jpg" if extension == ".jpeg" else extension


def notify_bank_transfer(
    *,
    actor: Actor,
    invoice_id: int | None,
    amount: Decimal | str | None,
    receipt: UploadedFile | None,
    reference: str = "",
    currency: str | None = None,
) -> Payment:
    """R2.15: the payer says it transferred money and attaches the receipt; operator staff confirm it."""
    _may_pay(actor, invoice_id)
    extension = _check_receipt(receipt)
    with transaction.atomic():
        invoice = _payable_invoice(actor, invoice_id) if invoice_id is not None else None
        currency = invoice.currency if invoice is not None else (currency or actor.organisation.currency)
        value = _amount(amount, currency, default=invoice.amount_due if invoice is not None else None)
        payment = Payment(
            organisation=actor.organisation,
            invoice=invoice,
            purpose=PaymentPurpose.INVOICE if invoice is not None else PaymentPurpose.TOP_UP,
            method=PaymentMethod.BANK_TRANSFER,
            amount=value,
            currency=currency,
            reference=reference[:140],
            created_by=actor.user,
        )
        payment.receipt.save(f"{uuid.uuid4().hex}{extension}", receipt, save=False)  # type: ignore[arg-type]
        payment.save()
        audit.record(
            actor=actor,
            action="payment.notified",
            obj=payment,
            after={"amount": str(value), "currency": currency, "invoice": getattr(invoice, "code", None)},
        )
        _tell_operators(payment)
    return payment


def confirm_payment(
    *, actor: Actor, payment_id: int, amount_received: Decimal | str | None = None, note: str = ""
) -> Payment:
    """Operator staff saw the money arrive: it is applied to the invoice (the excess to the wallet).

    `amount_received` is what the bank statement shows when it differs from what was notified.
    """
    _require_operator(actor)
    with transaction.atomic():
        payment = _pending_transfer(payment_id)
        value = _amount(amount_received, payment.currency, default=payment.amount)
        invoice = (
            Invoice.objects.select_for_update().get(pk=payment.invoice_id) if payment.invoice_id else None
        )
        if invoice is not None and invoice.status != InvoiceStatus.ISSUED:
            invoice = None  # settled meanwhile (e.g. by card): the whole transfer goes to the wallet
        if value != payment.amount:
            audit.record(
                actor=actor,
                action="payment.amount_corrected",
                obj=payment,
                before={"amount": str(payment.amount)},
                after={"amount": str(value)},
                reason=note,
            )
            payment.amount = value
            payment.save(update_fields=["amount"])
        source = Leg(ledger.house_account(AccountKind.BANK, payment.currency), -value)
        _settle(payment=payment, actor=actor, source=source, invoice=invoice, amount=value)
        PAYMENT_MACHINE.transition(
            payment,
            PaymentStatus.CONFIRMED,
            actor=actor,
            reason=note,
            extra={"decided_by": actor.user, "decided_at": timezone.now(), "decision_note": note[:300]},
        )
        _tell_payer(payment)
    return payment


def reject_payment(*, actor: Actor, payment_id: int, reason: str) -> Payment:
    """Operator staff found no such transfer: nothing is posted and the payer is told why."""
    _require_operator(actor)
    if not reason.strip():
        raise RuleViolation(
            _("Say why the payment is rejected, so the payer can put it right."),
            code="reason_required",
            field="reason",
        )
    with transaction.atomic():
        payment = _pending_transfer(payment_id)
        PAYMENT_MACHINE.transition(
            payment,
            PaymentStatus.REJECTED,
            actor=actor,
            reason=reason,
            extra={"decided_by": actor.user, "decided_at": timezone.now(), "decision_note": reason[:300]},
        )
        _tell_payer(payment)
    return payment


def _require_operator(actor: Actor) -> None:
    if not actor.is_operator:
        raise NotFound(_("No payment with this id."))
    if not actor.has_role(Role.ADMIN, Role.BILLING):
        raise PermissionDenied(
            _("Only operator administrators and billing staff confirm payments."), field="payment"
        )


def _pending_transfer(payment_id: int) -> Payment:
    payment = Payment.objects.select_for_update().filter(pk=payment_id).first()
    if payment is None:
        raise NotFound(_("No payment with this id."))
    if payment.method != PaymentMethod.BANK_TRANSFER:
        raise Conflict(_("Only bank transfers wait for confirmation."), code="not_a_transfer")
    # Checked before anything is posted: a second confirmation must not reach the ledger.
    if payment.status != PaymentStatus.PENDING:
        raise IllegalTransition(
            _("This payment was already decided (%(status)s).") % {"status": payment.get_status_display()},
            field="status",
        )
    return payment


PAYMENT_TO_CONFIRM = gettext_noop("Payment to confirm: %(payer)s, %(amount)s")
PAYMENT_CONFIRMED = gettext_noop("Your payment of %(amount)s was confirmed.")
PAYMENT_REJECTED = gettext_noop("Your payment of %(amount)s was rejected.")


def _billing_users(organisation: Organisation) -> list:
    memberships = Membership.objects.filter(organisation=organisation, role__in=PAYING_ROLES).select_related(
        "user"
    )
    return list({membership.user.pk: membership.user for membership in memberships}.values())


def _tell_operators(payment: Payment) -> None:
    operators = Organisation.objects.filter(kind=OrganisationKind.OPERATOR)
    for operator in operators:
        for user in _billing_users(operator):
            notify(
                recipient=user,
                organisation=operator,
                message=PAYMENT_TO_CONFIRM,
                params={
                    "payer": payment.organisation.name,
                    "amount": Money(payment.amount, payment.currency),
                },
                url=reverse("billing:payment_queue"),
            )


def _tell_payer(payment: Payment) -> None:
    confirmed = payment.status == PaymentStatus.CONFIRMED
    payer = payment.organisation
    context = {"payment": payment, "payer": payer, "amount": Money(payment.amount, payment.currency)}
    for user in _billing_users(payer):
        notify(
            recipient=user,
            organisation=payer,
            message=PAYMENT_CONFIRMED if confirmed else PAYMENT_REJECTED,
            params={"amount": context["amount"]},
            body=payment.decision_note,
            url=reverse("billing:wallet"),
        )
        send_email(
            to=[user.email],
            template="billing/email/payment_decided",
            context=context,
            language=user.language or payer.language,
        )
