"""Checkout by card: the order and its invoice (with a card intent) commit first, then the card is charged
with no transaction open; a decline leaves the order placed and its invoice waiting (docs/orders.md)."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from canal.billing.models import Invoice, InvoiceStatus, JournalEntry, Payment, PaymentStatus
from canal.billing.payments import reconcile_card_intents
from canal.billing.providers import CardResult, ProviderUnavailable
from canal.core.money import Money
from canal.orders.models import Order, OrderStatus
from canal.orders.services import process_paid_orders
from canal.subscriptions.models import Subscription, SubscriptionStatus


class Gateway:
    """A stand-in for the external card gateway: charges each idempotency key once, declines
    `tok_declined`, can time out, and counts the calls Canal made with a transaction open (only a
    transactional test can see that: the others run inside the test's own transaction)."""

    name = "checkout-gateway"
    charged: dict[str, Decimal] = {}
    calls = 0
    calls_inside_a_transaction = 0
    unavailable = False

    def charge(self, *, amount: Money, token: str, description: str, idempotency_key: str) -> CardResult:
        if connection.in_atomic_block:
            Gateway.calls_inside_a_transaction += 1
        Gateway.calls += 1
        if Gateway.unavailable:
            raise ProviderUnavailable("timeout")
        if token == "tok_declined":
            return CardResult(approved=False, message="The card was declined.")
        Gateway.charged.setdefault(idempotency_key, amount.amount)
        return CardResult(approved=True, reference=f"gw_{idempotency_key}")


@pytest.fixture
def gateway(settings):
    settings.BILLING_CARD_PROVIDER = "canal.orders.tests.test_checkout_by_card.Gateway"
    Gateway.charged, Gateway.calls, Gateway.unavailable = {}, 0, False
    Gateway.calls_inside_a_transaction = 0
    return Gateway


@pytest.fixture
def redwall(load_catalog):
    return load_catalog("redwall")


def server_by_card(api, card_token="tok_visa", **headers):
    body = {
        "product": "redwall-server",
        "plan": "pro",
        "quantity": 250,
        "modules": ["firewall", "qos"],
        "name": "server1",
        "pay_with": "card",
        "card_token": card_token,
    }
    response = api.post("/orders", body, **headers)
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.mark.django_db(transaction=True)
def test_a_card_at_checkout_is_charged_with_no_transaction_open_and_completes_the_order(
    api_as, redwall, customer, gateway
):
    placed = server_by_card(api_as(customer), **{"Idempotency-Key": "buy-1"})

    order = Order.objects.get(pk=placed["id"])
    assert placed["payment_status"] == "paid"
    assert placed["payment_message"] == ""
    assert placed["status"] == OrderStatus.COMPLETED
    assert order.status == OrderStatus.COMPLETED
    assert Subscription.objects.get(pk=order.subscription_id).status == SubscriptionStatus.ACTIVE
    assert order.invoice_id is not None
    assert order.invoice_code
    assert list(gateway.charged.values()) == [Decimal("500.00")]
    assert (gateway.calls, gateway.calls_inside_a_transaction) == (1, 0)


@pytest.mark.django_db
def test_a_declined_card_leaves_the_order_placed_with_its_invoice_unpaid_and_says_what_to_do(
    api_as, redwall, customer, gateway
):
    customer.user.language = "en"
    customer.user.save(update_fields=["language"])

    placed = server_by_card(api_as(customer), card_token="tok_declined")

    order = Order.objects.select_related("subscription").get(pk=placed["id"])
    invoice = Invoice.objects.get(pk=order.invoice_id)
    assert placed["payment_status"] == "card_declined"
    assert "The card was not charged: The card was declined." in placed["payment_message"]
    assert "another card, from the wallet or by bank transfer" in placed["payment_message"]
    assert order.status == OrderStatus.PLACED
    assert order.subscription.status == SubscriptionStatus.PROVISIONING
    assert (invoice.status, invoice.amount_paid) == (InvoiceStatus.ISSUED, Decimal(0))
    payment = Payment.objects.get(invoice=invoice)
    assert payment.status == PaymentStatus.FAILED
    assert not JournalEntry.objects.filter(payment=payment).exists()
    assert gateway.charged == {}


@pytest.mark.django_db
def test_a_declined_card_is_told_in_spanish(api_as, redwall, customer, gateway):
    placed = server_by_card(api_as(customer, language="es"), card_token="tok_declined")

    assert placed["payment_status"] == "card_declined"
    assert "págala desde la página de la factura con otra tarjeta" in placed["payment_message"]


@pytest.mark.django_db
def test_a_declined_order_is_paid_later_from_its_invoice_and_then_completes(
    redwall, customer, api_as, gateway
):
    from canal.billing.services import pay_by_card

    placed = server_by_card(api_as(customer), card_token="tok_declined")
    order = Order.objects.get(pk=placed["id"])

    pay_by_card(actor=customer, invoice_id=order.invoice_id, amount=None, card_token="tok_visa")
    process_paid_orders()

    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED


@pytest.mark.django_db
def test_a_retry_with_the_same_key_charges_the_card_once(api_as, redwall, customer, gateway):
    api = api_as(customer)

    first = server_by_card(api, **{"Idempotency-Key": "buy-2"})
    again = server_by_card(api, **{"Idempotency-Key": "buy-2"})

    assert first["id"] == again["id"]
    assert again["payment_status"] == "paid"
    assert Order.objects.count() == 1
    assert gateway.calls == 1
    assert list(gateway.charged.values()) == [Decimal("500.00")]


@pytest.mark.django_db
def test_a_gateway_that_times_out_leaves_the_intent_and_reconciliation_completes_the_order(
    api_as, redwall, customer, gateway
):
    gateway.unavailable = True
    placed = server_by_card(api_as(customer), **{"Idempotency-Key": "buy-3"})
    order = Order.objects.get(pk=placed["id"])
    assert placed["payment_status"] == "card_pending"
    assert order.status == OrderStatus.PLACED
    assert Payment.objects.get(invoice_id=order.invoice_id).status == PaymentStatus.PENDING

    gateway.unavailable = False
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert reconcile_card_intents() == 1
        process_paid_orders()  # the scheduled sweep that completes every paid order

    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert Subscription.objects.get(pk=order.subscription_id).status == SubscriptionStatus.ACTIVE
    assert list(gateway.charged.values()) == [Decimal("500.00")]


@pytest.mark.django_db
def test_the_portal_checkout_tells_that_the_card_was_declined_and_keeps_the_order(
    portal_login, marketplace, gateway
):
    from django.urls import reverse

    from canal.orders.tests.test_order_pages import checkout_form

    marketplace.partner.user.language = "en"
    marketplace.partner.user.save(update_fields=["language"])
    browser = portal_login(marketplace.partner.user)

    page = browser.post(
        reverse("orders:checkout"),
        checkout_form(marketplace.client, pay_with="card", card_token="tok_declined"),
        follow=True,
    )

    order = Order.objects.get()
    assert page.redirect_chain[-1][0] == reverse("orders:detail", args=[order.pk])
    assert "The card was not charged: The card was declined." in page.content.decode()
    assert "another card, from the wallet or by bank transfer" in page.content.decode()
    assert Invoice.objects.get(pk=order.invoice_id).status == InvoiceStatus.ISSUED
    assert gateway.charged == {}
