"""Cancelling an order (R1.15, R2.15): the 48-hour window of vendor-provisioned orders, and who may."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from canal.accounts.actor import actor_for
from canal.accounts.models import Role
from canal.accounts.tests.factories import MembershipFactory
from canal.orders.models import Order, OrderStatus
from canal.orders.tests.conftest import order_body, place

pytestmark = pytest.mark.django_db


def test_r1_15_a_vendor_provisioned_order_still_provisioning_after_48_hours_cannot_be_cancelled(
    api_as, marketplace
):
    order = place(api_as(marketplace.partner), order_body(marketplace.client))
    assert order["status"] == "provisioning"

    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        response = api_as(marketplace.partner).post(f"/orders/{order['id']}/cancel", {})

    assert response.status_code == 422
    assert response.json()["code"] == "cancellation_refused"
    assert "within 48 hours of placement" in response.json()["message"]
    assert Order.objects.get(pk=order["id"]).status == OrderStatus.PROVISIONING


def test_r1_15_the_window_is_the_stored_cancellable_until(api_as, marketplace):
    order = place(api_as(marketplace.partner), order_body(marketplace.client))
    Order.objects.filter(pk=order["id"]).update(cancellable_until=timezone.now() - timedelta(minutes=1))

    response = api_as(marketplace.partner).post(f"/orders/{order['id']}/cancel", {})

    assert response.status_code == 422
    assert response.json()["code"] == "cancellation_refused"


def test_r2_15_an_unprocessed_order_without_vendor_provisioning_is_cancellable_after_48_hours(
    api_as, load_catalog, customer
):
    load_catalog("redwall")
    order = place(
        api_as(customer),
        {"product": "redwall-server", "plan": "pro", "quantity": 250, "modules": ["qos"], "name": "s1"},
    )
    assert order["processed"] is False

    with time_machine.travel(timezone.now() + timedelta(days=5)):
        response = api_as(customer).post(f"/orders/{order['id']}/cancel", {})

    assert response.status_code == 200, response.json()
    assert Order.objects.get(pk=order["id"]).status == OrderStatus.CANCELLED


def test_r1_15_a_plain_member_of_the_customer_may_not_cancel(api_as, marketplace):
    order = place(api_as(marketplace.client_admin), order_body(marketplace.client, customer_id=None))
    member = MembershipFactory(organisation=marketplace.client, role=Role.MEMBER).user

    response = api_as(actor_for(member, marketplace.client.pk)).post(f"/orders/{order['id']}/cancel", {})

    assert response.status_code == 403
    assert Order.objects.get(pk=order["id"]).status == OrderStatus.PROVISIONING
