"""POST /api/v1/orders: a partner orders the work-management product for its client (R1.7-R1.12)."""

import pytest
from django.core import mail

from canal.billing.models import Invoice
from canal.notifications.models import Notification
from canal.orders.models import Order, OrderStatus
from canal.orders.tests.conftest import order_body
from canal.subscriptions.models import ProvisioningRequest, Subscription

pytestmark = pytest.mark.django_db


def test_r1_12_an_order_is_confirmed_with_its_provisioning_due_time(
    api_as, marketplace, django_capture_on_commit_callbacks
):
    marketplace.partner.user.language = "en"
    marketplace.partner.user.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(marketplace.partner).post(
            "/orders", order_body(marketplace.client), **{"Idempotency-Key": "k1"}
        )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "provisioning"
    assert body["provisioning_due_at"] is not None
    request = ProvisioningRequest.objects.get(order_id=body["id"])
    assert request.vendor == marketplace.vendor
    confirmation = [message for message in mail.outbox if message.to == [marketplace.partner.user.email]]
    assert any(
        "The account will be provisioned within 48 business hours, by" in message.body
        for message in confirmation
    )


def test_r1_7_an_order_without_accepting_the_terms_is_refused(api_as, marketplace):
    response = api_as(marketplace.partner).post("/orders", order_body(marketplace.client, accept_terms=False))

    assert response.status_code == 422
    assert response.json()["code"] == "terms_not_accepted"
    assert response.json()["field"] == "accept_terms"
    assert not Order.objects.exists()


def test_r1_8_the_corporate_email_is_mandatory(api_as, marketplace):
    response = api_as(marketplace.partner).post(
        "/orders", order_body(marketplace.client, end_customer={"name": "Marta", "email": ""})
    )

    assert response.status_code == 422
    assert response.json()["field"] == "end_customer_email"
    assert "login" in response.json()["message"]
    assert not Subscription.objects.exists()


def test_r1_11_the_contract_id_is_on_the_order_subscription_and_invoice(api_as, marketplace):
    body = api_as(marketplace.partner).post("/orders", order_body(marketplace.client)).json()

    order = Order.objects.get(pk=body["id"])
    assert order.contract_id == "NUBE-2026-001"
    assert order.subscription.contract_id == "NUBE-2026-001"
    assert Invoice.objects.get(pk=order.invoice_id).reference == "NUBE-2026-001"


def test_r1_10_r1_12_completing_provisioning_notifies_the_reseller_and_mails_the_end_customer(
    api_as, marketplace, django_capture_on_commit_callbacks
):
    placed = api_as(marketplace.partner).post("/orders", order_body(marketplace.client)).json()
    request = ProvisioningRequest.objects.get(order_id=placed["id"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(marketplace.vendor_actor).post(
            f"/provisioning-requests/{request.pk}/complete", {"vendor_account_id": "TW-9001"}
        )

    assert response.status_code == 200, response.json()
    order = Order.objects.get(pk=placed["id"])
    assert order.status == OrderStatus.COMPLETED
    assert order.subscription.status == "active"
    assert order.subscription.vendor_account_id == "TW-9001"
    recipients = [message.to[0] for message in mail.outbox]
    assert "marta@cliente.example" in recipients
    assert marketplace.partner.user.email in recipients
    assert Notification.objects.filter(recipient=marketplace.partner.user).exists()
