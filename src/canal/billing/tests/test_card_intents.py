"""Card payments: an intent first, charged with no transaction open, settled once, reconciled later."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from canal.billing.models import InvoiceStatus, Payment, PaymentStatus
from canal.billing.payments import reconcile_card_intents
from canal.billing.providers import CardResult, OfflineTestProvider, ProviderUnavailable
from canal.billing.services import pay_by_card
from canal.billing.tests.helpers import issued_invoice
from canal.core.money import Money


class RecordingGateway:
    """A stand-in for a real gateway (outside Canal): charges each idempotency key once, and remembers
    whether Canal held a transaction open while it waited for the answer."""

    name = "recording"
    charged: dict[str, Decimal] = {}
    calls_inside_a_transaction = 0
    unavailable = False

    def charge(self, *, amount: Money, token: str, description: str, idempotency_key: str) -> CardResult:
        if connection.in_atomic_block:
            RecordingGateway.calls_inside_a_transaction += 1
        if RecordingGateway.unavailable:
            raise ProviderUnavailable("timeout")
        RecordingGateway.charged.setdefault(idempotency_key, amount.amount)
        return CardResult(approved=True, reference=f"rec_{idempotency_key}")


@pytest.fixture
def gateway(settings):
    settings.BILLING_CARD_PROVIDER = "canal.billing.tests.test_card_intents.RecordingGateway"
    RecordingGateway.charged = {}
    RecordingGateway.calls_inside_a_transaction = 0
    RecordingGateway.unavailable = False
    return RecordingGateway


@pytest.mark.django_db(transaction=True)
def test_the_card_is_charged_while_no_row_is_locked(customer, gateway):
    invoice = issued_invoice(customer.organisation, "100.00")

    payment = pay_by_card(actor=customer, invoice_id=invoice.pk, amount=None, card_token="tok_visa")

    invoice.refresh_from_db()
    assert payment.status == PaymentStatus.CONFIRMED
    assert invoice.status == InvoiceStatus.PAID
    assert gateway.calls_inside_a_transaction == 0


def test_a_retry_with_the_same_key_charges_once(customer, gateway):
    invoice = issued_invoice(customer.organisation, "100.00")

    first = pay_by_card(
        actor=customer, invoice_id=invoice.pk, amount=None, card_token="t", idempotency_key="k1"
    )
    again = pay_by_card(
        actor=customer, invoice_id=invoice.pk, amount=None, card_token="t", idempotency_key="k1"
    )

    assert first.pk == again.pk
    assert list(gateway.charged.values()) == [Decimal("100.00")]
    assert Payment.objects.filter(invoice=invoice).count() == 1


def test_a_payment_the_gateway_did_not_answer_is_completed_by_reconciliation(customer, gateway):
    invoice = issued_invoice(customer.organisation, "100.00")
    gateway.unavailable = True
    payment = pay_by_card(
        actor=customer, invoice_id=invoice.pk, amount=None, card_token="t", idempotency_key="k2"
    )
    invoice.refresh_from_db()
    assert (payment.status, invoice.status) == (PaymentStatus.PENDING, InvoiceStatus.ISSUED)

    gateway.unavailable = False
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        settled = reconcile_card_intents()

    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert settled == 1
    assert payment.status == PaymentStatus.CONFIRMED
    assert invoice.status == InvoiceStatus.PAID
    assert gateway.charged == {"k2": Decimal("100.00")}
    assert payment.card_token == ""


def test_a_card_payment_above_the_maximum_is_refused_before_anything_is_recorded(api_as, customer, settings):
    settings.BILLING_CARD_MAX_AMOUNT = "5000.00"

    response = api_as(customer).post(
        "/billing/wallet/top-ups", {"amount": "5000.01", "card_token": "tok_visa"}
    )

    assert response.status_code == 422
    assert response.json()["code"] == "card_amount_too_large"
    assert "bank transfer" in response.json()["message"]
    assert not Payment.objects.exists()


@pytest.mark.parametrize("amount", ["0", "-1", "50000.01", "1e16"])
def test_the_test_gateway_refuses_amounts_no_card_can_pay(amount):
    result = OfflineTestProvider().charge(
        amount=Money(Decimal(amount), "EUR"), token="tok_visa", description="", idempotency_key="x"
    )

    assert not result.approved
