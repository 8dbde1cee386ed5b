from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from canal.accounts.models import Role
from canal.billing.models import InvoiceStatus, PaymentStatus
from canal.billing.services import (
    confirm_payment,
    notify_bank_transfer,
    pay_by_card,
    pay_from_balance,
    reject_payment,
)
from canal.billing.tests.helpers import fund_wallet, issued_invoice, wallet_of
from canal.core.errors import NotFound, PermissionDenied, RuleViolation


def receipt() -> SimpleUploadedFile:
    return SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 transfer", content_type="application/pdf")


def test_paying_from_the_wallet_settles_the_invoice(customer):
    fund_wallet(customer.organisation, "150.00")
    invoice = issued_invoice(customer.organisation, "100.00")

    payment = pay_from_balance(actor=customer, invoice_id=invoice.pk)

    invoice.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED
    assert invoice.status == InvoiceStatus.PAID
    assert wallet_of(customer.organisation) == Decimal("50.00")


def test_a_partial_payment_leaves_the_rest_due(customer):
    fund_wallet(customer.organisation, "30.00")
    invoice = issued_invoice(customer.organisation, "100.00")

    pay_from_balance(actor=customer, invoice_id=invoice.pk, amount="30.00")

    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid, invoice.amount_due) == (InvoiceStatus.ISSUED, 30, 70)


def test_a_card_payment_above_what_is_due_puts_the_excess_in_the_wallet(customer):
    invoice = issued_invoice(customer.organisation, "100.00")

    payment = pay_by_card(actor=customer, invoice_id=invoice.pk, amount="120.00", card_token="tok_visa")

    invoice.refresh_from_db()
    assert (payment.applied_amount, payment.to_wallet_amount) == (Decimal("100.00"), Decimal("20.00"))
    assert invoice.status == InvoiceStatus.PAID
    assert wallet_of(customer.organisation) == Decimal("20.00")


def test_a_declined_card_is_recorded_and_moves_no_money(customer):
    invoice = issued_invoice(customer.organisation, "100.00")

    payment = pay_by_card(actor=customer, invoice_id=invoice.pk, amount=None, card_token="tok_declined")

    invoice.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert "declined" in payment.failure_message
    assert invoice.amount_paid == 0


def test_a_balance_never_pays_more_than_is_due(customer):
    fund_wallet(customer.organisation, "500.00")
    invoice = issued_invoice(customer.organisation, "100.00")

    with pytest.raises(RuleViolation) as refused:
        pay_from_balance(actor=customer, invoice_id=invoice.pk, amount="150.00")

    assert refused.value.code == "more_than_due"


def test_another_organisations_invoice_cannot_be_paid(customer, make_actor):
    stranger = make_actor("customer")
    fund_wallet(stranger.organisation, "500.00")
    invoice = issued_invoice(customer.organisation, "100.00")

    with pytest.raises(NotFound):
        pay_from_balance(actor=stranger, invoice_id=invoice.pk)


def test_a_technical_member_may_not_pay(make_actor):
    technical = make_actor("customer", Role.TECHNICAL)
    invoice = issued_invoice(technical.organisation, "100.00")

    with pytest.raises(PermissionDenied):
        pay_from_balance(actor=technical, invoice_id=invoice.pk)


def test_r2_15_a_notified_transfer_waits_for_the_operator_then_pays_the_invoice(customer, operator):
    invoice = issued_invoice(customer.organisation, "100.00")

    payment = notify_bank_transfer(
        actor=customer, invoice_id=invoice.pk, amount=None, receipt=receipt(), reference=invoice.code
    )
    invoice.refresh_from_db()
    assert (payment.status, invoice.status) == (PaymentStatus.PENDING, InvoiceStatus.ISSUED)
    assert payment.receipt.name.endswith(".pdf")

    confirm_payment(actor=operator, payment_id=payment.pk)

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.PAID


def test_r2_15_a_transfer_needs_its_receipt(customer):
    invoice = issued_invoice(customer.organisation, "100.00")

    with pytest.raises(RuleViolation) as refused:
        notify_bank_transfer(actor=customer, invoice_id=invoice.pk, amount=None, receipt=None)

    assert refused.value.field == "receipt"


def test_r2_15_a_rejected_transfer_moves_nothing_and_tells_the_payer_why(
    customer, operator, mailoutbox, django_capture_on_commit_callbacks
):
    invoice = issued_invoice(customer.organisation, "100.00")
    payment = notify_bank_transfer(actor=customer, invoice_id=invoice.pk, amount=None, receipt=receipt())

    with django_capture_on_commit_callbacks(execute=True):
        reject_payment(actor=operator, payment_id=payment.pk, reason="No such transfer on the statement")

    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert payment.status == PaymentStatus.REJECTED
    assert invoice.amount_paid == 0
    assert any("No such transfer" in message.body for message in mailoutbox)


def test_the_operator_confirms_the_amount_the_bank_shows(customer, operator):
    invoice = issued_invoice(customer.organisation, "100.00")
    payment = notify_bank_transfer(actor=customer, invoice_id=invoice.pk, amount="100.00", receipt=receipt())

    confirm_payment(actor=operator, payment_id=payment.pk, amount_received="60.00", note="Partial transfer")

    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.status) == (Decimal("60.00"), InvoiceStatus.ISSUED)


def test_a_transfer_top_up_lands_in_the_wallet_once_confirmed(customer, operator):
    payment = notify_bank_transfer(actor=customer, invoice_id=None, amount="250.00", receipt=receipt())
    assert wallet_of(customer.organisation) == 0

    confirm_payment(actor=operator, payment_id=payment.pk)

    assert wallet_of(customer.organisation) == Decimal("250.00")


def test_a_confirmed_payment_cannot_be_rejected_later(customer, operator):
    payment = notify_bank_transfer(actor=customer, invoice_id=None, amount="250.00", receipt=receipt())
    confirm_payment(actor=operator, payment_id=payment.pk)

    with pytest.raises(Exception) as refused:  # noqa: PT011
        reject_payment(actor=operator, payment_id=payment.pk, reason="Changed my mind")

    assert refused.value.code == "illegal_transition"


def test_only_the_operator_confirms_payments(customer):
    payment = notify_bank_transfer(actor=customer, invoice_id=None, amount="250.00", receipt=receipt())

    with pytest.raises(NotFound):
        confirm_payment(actor=customer, payment_id=payment.pk)


def test_confirming_a_payment_twice_never_reaches_the_ledger(customer, operator, monkeypatch):
    from canal.billing import ledger

    payment = notify_bank_transfer(actor=customer, invoice_id=None, amount="250.00", receipt=receipt())
    confirm_payment(actor=operator, payment_id=payment.pk)
    posted = []
    real_post = ledger.post
    monkeypatch.setattr(ledger, "post", lambda **kwargs: posted.append(kwargs) or real_post(**kwargs))

    with pytest.raises(Exception) as refused:  # noqa: PT011
        confirm_payment(actor=operator, payment_id=payment.pk)

    assert refused.value.code == "illegal_transition"
    assert posted == []
    assert wallet_of(customer.organisation) == Decimal("250.00")
