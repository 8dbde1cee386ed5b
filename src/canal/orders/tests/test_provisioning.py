"""Provisioning requests (R1.12): a signed webhook to the vendor, the callback, inquiries, failures,
overdue requests flagged to operators, and the vendor's calendar."""

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from canal.accounts.models import Role
from canal.accounts.tests.factories import MembershipFactory
from canal.billing.models import Invoice, InvoiceKind
from canal.notifications.models import Notification, WebhookDelivery
from canal.notifications.services import register_webhook
from canal.notifications.signing import verify
from canal.notifications.tests.test_webhooks import Receiver
from canal.orders import windows
from canal.orders.models import Order, OrderStatus
from canal.orders.tests.conftest import order_body, place
from canal.subscriptions.models import ProvisioningRequest, SubscriptionStatus
from canal.subscriptions.provisioning import flag_overdue_requests, vendor_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(settings):
    # The vendor's test receiver listens on loopback: allowed explicitly, as in development.
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    endpoint = Receiver()
    yield endpoint
    endpoint.close()


def test_r1_12_the_vendor_receives_a_signed_webhook_and_completes_by_callback(
    api_as, marketplace, receiver, django_capture_on_commit_callbacks
):
    _endpoint, secret = register_webhook(
        actor=marketplace.vendor_actor, url=receiver.url, events=["provisioning.requested"]
    )

    with django_capture_on_commit_callbacks(execute=True):
        order = place(api_as(marketplace.partner), order_body(marketplace.client))

    headers, body = receiver.received[0]
    assert verify(secret=secret, header=headers["Canal-Signature"], body=body, now=int(time.time()))
    data = json.loads(body)["data"]
    assert data["end_customer"]["email"] == "marta@cliente.example"
    assert data["action"] == "create"
    callback = data["callback"]["complete"]
    assert WebhookDelivery.objects.get(event="provisioning.requested").status == "succeeded"

    response = api_as(marketplace.vendor_actor).client.post(
        callback, {"vendor_account_id": "TW-5"}, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    assert Order.objects.get(pk=order["id"]).status == OrderStatus.COMPLETED


def test_r1_12_the_due_time_is_48_business_hours_on_the_vendors_calendar(marketplace):
    # Friday 2026-07-03 16:00 in New York; Monday 6 July is no holiday, but Friday 3 July is one
    # (Independence Day observed): the 48 hours start on Monday and run to Monday of the next week.
    placed = datetime(2026, 7, 3, 20, 0, tzinfo=UTC)
    due = windows.provisioning_due(vendor_calendar(marketplace.vendor), placed, 48)
    assert due.astimezone(vendor_calendar(marketplace.vendor).zone) == datetime(
        2026, 7, 13, 12, 0, tzinfo=vendor_calendar(marketplace.vendor).zone
    )


def test_r1_12_an_overdue_request_is_flagged_to_operators_once(
    api_as, marketplace, operator, django_capture_on_commit_callbacks
):
    order = place(api_as(marketplace.partner), order_body(marketplace.client))
    request = ProvisioningRequest.objects.get(order_id=order["id"])
    mail.outbox.clear()

    with (
        time_machine.travel(request.due_at + timedelta(minutes=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert flag_overdue_requests() == 1
        assert flag_overdue_requests() == 0

    request.refresh_from_db()
    assert request.overdue_flagged_at is not None
    flagged = Notification.objects.filter(recipient=operator.user)
    assert [note.params["order"] for note in flagged] == [order["reference"]]
    assert [message.to for message in mail.outbox] == [[operator.user.email]]
    overdue = api_as(operator).get("/provisioning-requests", overdue=True).json()["results"]
    assert [row["id"] for row in overdue] == [request.pk]


def test_r1_12_the_vendor_asks_the_orderer_and_the_answer_returns_the_request_to_the_queue(
    api_as, marketplace
):
    order = place(api_as(marketplace.partner), order_body(marketplace.client))
    request = ProvisioningRequest.objects.get(order_id=order["id"])

    asked = api_as(marketplace.vendor_actor).post(
        f"/provisioning-requests/{request.pk}/inquire", {"question": "Which region hosts the account?"}
    )
    answered = api_as(marketplace.partner).post(
        f"/provisioning-requests/{request.pk}/answer", {"answer": "EU"}
    )

    assert asked.json()["status"] == "inquiring"
    assert answered.json()["status"] == "pending"
    assert answered.json()["answer"] == "EU"
    assert Notification.objects.filter(recipient=marketplace.partner.user).exists()


def test_r1_12_a_failed_request_fails_the_order_and_credits_its_invoice(api_as, marketplace):
    order = place(api_as(marketplace.partner), order_body(marketplace.client))
    request = ProvisioningRequest.objects.get(order_id=order["id"])

    response = api_as(marketplace.vendor_actor).post(
        f"/provisioning-requests/{request.pk}/fail", {"reason": "The e-mail domain is already in use"}
    )

    assert response.status_code == 200
    failed = Order.objects.get(pk=order["id"])
    assert failed.status == OrderStatus.FAILED
    assert failed.subscription.status == SubscriptionStatus.CANCELLED
    assert Invoice.objects.filter(
        kind=InvoiceKind.CREDIT_NOTE, credited_invoice_id=failed.invoice_id
    ).exists()


def test_r1_12_only_the_products_vendor_completes_and_others_see_nothing(api_as, marketplace, make_actor):
    from canal.accounts.models import OrganisationKind

    order = place(api_as(marketplace.partner), order_body(marketplace.client))
    request = ProvisioningRequest.objects.get(order_id=order["id"])
    stranger = make_actor(OrganisationKind.VENDOR, Role.ADMIN)
    member = MembershipFactory(organisation=marketplace.vendor, role=Role.MEMBER).user
    from canal.accounts.actor import actor_for

    by_stranger = api_as(stranger).post(
        f"/provisioning-requests/{request.pk}/complete", {"vendor_account_id": "X"}
    )
    by_member = api_as(actor_for(member, marketplace.vendor.pk)).post(
        f"/provisioning-requests/{request.pk}/complete", {"vendor_account_id": "X"}
    )
    other_order = api_as(stranger).get(f"/orders/{order['id']}")

    assert by_stranger.status_code == 404
    assert by_member.status_code == 403
    assert other_order.status_code == 404


def test_r1_12_completion_needs_the_vendor_account_id(api_as, marketplace):
    order = place(api_as(marketplace.partner), order_body(marketplace.client))
    request = ProvisioningRequest.objects.get(order_id=order["id"])

    response = api_as(marketplace.vendor_actor).post(f"/provisioning-requests/{request.pk}/complete", {})

    assert response.status_code == 422
    assert response.json()["field"] == "vendor_account_id"
    assert timezone.now() < request.due_at
