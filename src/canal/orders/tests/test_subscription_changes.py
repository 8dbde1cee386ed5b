"""Changes, upgrades, renewals and cancellation of work-management subscriptions (R1.13-R1.16)."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from canal.billing.models import Invoice, InvoiceKind
from canal.orders.models import Order, OrderStatus
from canal.orders.tests.conftest import order_body, place, provision
from canal.subscriptions.lifecycle import renew_due_subscriptions
from canal.subscriptions.models import Subscription, SubscriptionStatus

pytestmark = pytest.mark.django_db


def active_subscription(api_as, marketplace, **overrides):
    order = place(api_as(marketplace.partner), order_body(marketplace.client, **overrides))
    provision(api_as(marketplace.vendor_actor), order["id"], "TW-1000")
    return Subscription.objects.get(pk=order["subscription_id"])


def test_r1_13_seats_add_ons_and_onboarding_change_on_the_same_plan(api_as, marketplace):
    subscription = active_subscription(api_as, marketplace)

    response = api_as(marketplace.partner).post(
        f"/subscriptions/{subscription.pk}/change",
        {"quantity": 40, "add_ons": ["marketing-pack", "product-pack"], "package": "onboarding-ii"},
    )
    assert response.status_code == 201, response.json()
    order = Order.objects.get(pk=response.json()["id"])
    assert Decimal(order.net_total) > 0
    assert {line["code"] for line in order.lines} == {
        "business",
        "marketing-pack",
        "product-pack",
        "onboarding-ii",
    }
    provision(api_as(marketplace.vendor_actor), order.pk)

    subscription.refresh_from_db()
    assert (subscription.quantity, subscription.add_ons, subscription.package) == (
        40,
        ["marketing-pack", "product-pack"],
        "onboarding-ii",
    )
    assert subscription.vendor_account_id == "TW-1000"


def test_r1_14_a_downgrade_within_the_term_is_refused_and_says_to_order_at_the_end(api_as, marketplace):
    subscription = active_subscription(api_as, marketplace)
    api = api_as(marketplace.partner)

    by_change = api.post(f"/subscriptions/{subscription.pk}/change", {"plan": "professional", "quantity": 10})
    by_upgrade = api.post(
        f"/subscriptions/{subscription.pk}/upgrade",
        {"plan": "professional", "quantity": 10, "accept_terms": True},
    )

    for response in (by_change, by_upgrade):
        assert response.status_code == 422
        assert response.json()["code"] == "downgrade_within_term"
        assert "end of the term" in response.json()["message"]
        assert "new order" in response.json()["message"]


def test_r1_14_an_upgrade_is_a_new_order_that_replaces_the_subscription_and_keeps_the_account(
    api_as, marketplace
):
    old = active_subscription(api_as, marketplace, plan="professional", quantity=10, add_ons=[], package="")

    response = api_as(marketplace.partner).post(
        f"/subscriptions/{old.pk}/upgrade",
        {
            "plan": "business",
            "quantity": 20,
            "add_ons": ["marketing-pack"],
            "package": "onboarding-i",
            "accept_terms": True,
        },
    )
    assert response.status_code == 201, response.json()
    provision(api_as(marketplace.vendor_actor), response.json()["id"])

    old.refresh_from_db()
    new = Subscription.objects.get(pk=response.json()["subscription_id"])
    assert new.pk != old.pk
    assert old.status == SubscriptionStatus.CANCELLED
    assert old.replaced_by == new
    assert new.status == SubscriptionStatus.ACTIVE
    assert new.vendor_account_id == old.vendor_account_id == "TW-1000"
    assert (new.plan.code, new.term_end) == ("business", old.term_end)


def test_r1_15_cancellation_within_48_hours_credits_the_invoice_in_full(api_as, marketplace):
    subscription = active_subscription(api_as, marketplace)
    order = subscription.orders.get()

    with time_machine.travel(timezone.now() + timedelta(hours=47)):
        response = api_as(marketplace.partner).post(f"/orders/{order.pk}/cancel", {"reason": "Wrong client"})

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "cancelled"
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert note.total == -Invoice.objects.get(pk=order.invoice_id).total
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CANCELLED


def test_r1_15_cancellation_after_48_hours_is_refused(api_as, marketplace):
    subscription = active_subscription(api_as, marketplace)
    order = subscription.orders.get()

    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        response = api_as(marketplace.partner).post(f"/orders/{order.pk}/cancel", {})

    assert response.status_code == 422
    assert response.json()["code"] == "cancellation_refused"
    assert "48 hours" in response.json()["message"]
    assert "closed at" in response.json()["message"]
    assert Order.objects.get(pk=order.pk).status == OrderStatus.COMPLETED


def test_r1_15_cancelling_an_order_being_provisioned_stops_provisioning(api_as, marketplace):
    order = place(api_as(marketplace.partner), order_body(marketplace.client))

    response = api_as(marketplace.partner).post(f"/orders/{order['id']}/cancel", {})

    assert response.status_code == 200
    assert Order.objects.get(pk=order["id"]).provisioning.status == "cancelled"
    complete = api_as(marketplace.vendor_actor).post(
        f"/provisioning-requests/{Order.objects.get(pk=order['id']).provisioning.pk}/complete",
        {"vendor_account_id": "X"},
    )
    assert complete.status_code == 409


def test_r1_16_a_renewal_with_more_seats_takes_the_new_quantity(
    api_as, marketplace, django_capture_on_commit_callbacks
):
    subscription = active_subscription(api_as, marketplace)
    response = api_as(marketplace.partner).post(
        f"/subscriptions/{subscription.pk}/renewal",
        {"quantity": 30, "add_ons": ["services-pack"], "package": "onboarding-i"},
    )
    assert response.status_code == 201, response.json()
    end = subscription.term_end
    mail.outbox.clear()

    with (
        time_machine.travel(timezone.now() + timedelta(days=367)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert renew_due_subscriptions()["renewed"] == 1
        assert renew_due_subscriptions()["renewed"] == 0

    subscription.refresh_from_db()
    assert subscription.term_start == end
    assert (subscription.quantity, subscription.add_ons) == (30, ["services-pack"])
    renewal = subscription.orders.get(kind="renewal")
    assert renewal.status == OrderStatus.COMPLETED
    assert renewal.invoice_code
    assert any("renewed" in message.subject or "renovad" in message.subject for message in mail.outbox)


def test_r1_16_a_renewal_to_a_lower_plan_sets_the_quantity_to_zero_and_does_not_renew(api_as, marketplace):
    subscription = active_subscription(api_as, marketplace)

    response = api_as(marketplace.partner).post(
        f"/subscriptions/{subscription.pk}/renewal", {"quantity": 10, "plan": "professional"}
    )
    assert response.status_code == 201, response.json()
    subscription.refresh_from_db()
    assert subscription.renewal_quantity == 0

    with time_machine.travel(timezone.now() + timedelta(days=367)):
        assert renew_due_subscriptions()["expired"] == 1
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.EXPIRED
