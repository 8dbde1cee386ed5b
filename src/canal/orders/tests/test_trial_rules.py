"""Trials (R1.17, R1.9): no termination while a change is pending, expiry next to other orders, what a
conversion applies, one open trial per customer and product."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from canal.orders.models import Order, OrderKind, OrderStatus
from canal.orders.tests.conftest import order_body, place, provision
from canal.orders.tests.test_trials import running_trial, trial_body
from canal.subscriptions.models import SubscriptionStatus
from canal.subscriptions.trials import expire_trials

pytestmark = pytest.mark.django_db

TERMINATE = {"reason": "not_needed_by_customer", "acknowledge_data_deletion": True}


def test_r1_17_a_trial_cannot_be_terminated_while_its_change_is_pending(api_as, marketplace):
    trial = running_trial(api_as, marketplace)
    api = api_as(marketplace.partner)
    change = api.post(f"/subscriptions/{trial.pk}/trial", {"plan": "enterprise", "add_ons": []})
    assert change.status_code == 201, change.json()

    response = api.post(f"/subscriptions/{trial.pk}/terminate", TERMINATE)

    assert response.status_code == 409
    assert response.json()["code"] == "change_pending"
    assert Order.objects.get(pk=change.json()["id"]).reference in response.json()["message"]
    trial.refresh_from_db()
    assert trial.status == SubscriptionStatus.TRIAL


def test_r1_17_a_trial_cannot_be_terminated_while_its_conversion_is_pending(api_as, marketplace):
    trial = running_trial(api_as, marketplace, account="TW-777")
    place(api_as(marketplace.partner), order_body(marketplace.client, vendor_account_id="TW-777"))

    response = api_as(marketplace.partner).post(f"/subscriptions/{trial.pk}/terminate", TERMINATE)

    assert response.status_code == 409
    assert response.json()["code"] == "change_pending"


def test_r1_17_a_trial_with_a_cancelled_conversion_and_a_pending_change_expires(api_as, marketplace):
    trial = running_trial(api_as, marketplace, account="TW-777")
    api = api_as(marketplace.partner)
    conversion = place(api, order_body(marketplace.client, vendor_account_id="TW-777"))
    assert api.post(f"/orders/{conversion['id']}/cancel", {}).status_code == 200
    change = api.post(f"/subscriptions/{trial.pk}/trial", {"plan": "enterprise", "add_ons": []})
    assert change.status_code == 201, change.json()

    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert expire_trials() == 1

    trial.refresh_from_db()
    assert trial.status == SubscriptionStatus.EXPIRED


def test_r1_9_a_conversion_applies_the_orders_term_and_clears_the_trial_end(api_as, marketplace):
    trial = running_trial(api_as, marketplace, account="TW-777")
    assert trial.trial_ends_on is not None

    order = place(api_as(marketplace.partner), order_body(marketplace.client, vendor_account_id="TW-777"))
    provision(api_as(marketplace.vendor_actor), order["id"])

    trial.refresh_from_db()
    assert trial.status == SubscriptionStatus.ACTIVE
    assert trial.trial_ends_on is None
    assert trial.term_end == trial.term_start.replace(year=trial.term_start.year + 1)
    assert trial.package == "onboarding-i"


def test_r1_17_a_second_trial_of_the_same_product_is_refused(api_as, marketplace):
    api = api_as(marketplace.partner)
    place(api, trial_body(marketplace.client))

    response = api.post("/orders", trial_body(marketplace.client))

    assert response.status_code == 409
    assert response.json()["code"] == "trial_exists"
    assert Order.objects.filter(kind=OrderKind.TRIAL, status=OrderStatus.PROVISIONING).count() == 1
