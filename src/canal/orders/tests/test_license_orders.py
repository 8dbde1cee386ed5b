"""The order side of the network-appliance portal (R2.5-R2.9) and its orders list (R2.15)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from canal.billing.payments import pay_by_card
from canal.orders.models import Order, OrderStatus
from canal.orders.services import process_paid_orders
from canal.subscriptions.models import Subscription, SubscriptionStatus

pytestmark = pytest.mark.django_db


def new_server(api, **overrides):
    body = {
        "product": "redwall-server",
        "plan": "pro",
        "quantity": 250,
        "modules": ["firewall", "qos"],
        "name": "server1",
    }
    body.update(overrides)
    response = api.post("/orders", body)
    assert response.status_code == 201, response.json()
    return response.json()


def pay(customer, order_id):
    order = Order.objects.get(pk=order_id)
    pay_by_card(actor=customer, invoice_id=order.invoice_id, amount=None, card_token="tok_visa")
    process_paid_orders()
    return Subscription.objects.get(pk=order.subscription_id)


@pytest.fixture
def redwall(load_catalog):
    return load_catalog("redwall")


def test_r2_5_a_pro_server_is_priced_live_in_usd_and_the_order_waits_for_payment(api_as, redwall, customer):
    order = new_server(api_as(customer))

    assert order["currency"] == "USD"
    assert order["net_total"] == "500.00"  # clients up to 250: 290, QoS 120, firewall 90
    assert order["invoice"] is not None
    assert order["processed"] is False
    assert Subscription.objects.get(pk=order["subscription_id"]).status == SubscriptionStatus.PROVISIONING


def test_r2_5_paying_processes_the_order_and_a_freemium_server_needs_no_payment(api_as, redwall, customer):
    subscription = pay(customer, new_server(api_as(customer))["id"])
    freemium = new_server(api_as(customer), plan="freemium", quantity=100, modules=[], name="server2")

    assert subscription.status == SubscriptionStatus.ACTIVE
    assert freemium["price"] == "Freemium"
    assert freemium["processed"] is True
    assert freemium["invoice"] is None


def test_r2_6_adding_a_module_is_an_order_and_removing_one_refunds_nothing(api_as, redwall, customer):
    subscription = pay(customer, new_server(api_as(customer))["id"])
    api = api_as(customer)

    added = api.post(
        f"/subscriptions/{subscription.pk}/change", {"modules": ["firewall", "qos", "hotspot"]}
    ).json()
    removed_response = api.post(f"/subscriptions/{subscription.pk}/change", {"modules": ["firewall"]})

    assert added["kind"] == "change"
    assert added["net_total"] == "75.00"  # hotspot for the whole term (changed on its first day)
    assert removed_response.status_code == 409  # the addition is not processed (paid) yet
    pay(customer, added["id"])
    removed = api.post(f"/subscriptions/{subscription.pk}/change", {"modules": ["firewall"]}).json()
    assert removed["net_total"] == "0.00"
    assert removed["invoice"] is None
    assert removed["processed"] is True
    subscription.refresh_from_db()
    assert subscription.modules == ["firewall"]


def test_r2_7_increasing_the_client_count_is_an_order(api_as, redwall, customer):
    subscription = pay(customer, new_server(api_as(customer))["id"])

    order = api_as(customer).post(f"/subscriptions/{subscription.pk}/change", {"quantity": 500}).json()
    pay(customer, order["id"])

    subscription.refresh_from_db()
    assert order["kind"] == "change"
    assert order["net_total"] == "160.00"  # clients up to 500: 450, less 290 already paid for up to 250
    assert subscription.quantity == 500


def test_r2_8_paying_a_renewal_moves_updatable_until_one_year_forward(api_as, redwall, customer):
    subscription = pay(customer, new_server(api_as(customer))["id"])
    until = subscription.term_end

    order = api_as(customer).post(f"/subscriptions/{subscription.pk}/renew").json()
    assert order["kind"] == "renewal"
    assert order["net_total"] == "500.00"
    pay(customer, order["id"])

    subscription.refresh_from_db()
    assert subscription.term_end.year == until.year + 1
    assert subscription.term_start == until


def test_r2_9_a_freemium_server_can_neither_add_clients_nor_renew(api_as, redwall, customer):
    freemium = new_server(api_as(customer), plan="freemium", quantity=100, modules=[])
    api = api_as(customer)

    more = api.post(f"/subscriptions/{freemium['subscription_id']}/change", {"quantity": 200})
    renew = api.post(f"/subscriptions/{freemium['subscription_id']}/renew")

    assert more.status_code == 422
    assert "new server" in more.json()["message"]
    assert renew.status_code == 422
    assert "new server" in renew.json()["message"]


def test_r2_15_the_orders_list_shows_date_type_server_price_and_processed(api_as, redwall, customer):
    api = api_as(customer)
    new_server(api)
    new_server(api, plan="freemium", quantity=100, modules=[], name="server2")

    rows = api.get("/orders").json()["results"]
    unprocessed = api.get("/orders", processed=False).json()["results"]

    assert [(row["name"], row["kind_label"], row["price"], row["processed"]) for row in rows] == [
        ("server2", "New subscription", "Freemium", True),
        ("server1", "New subscription", "USD 500.00", False),
    ]
    assert all(row["placed_at"] for row in rows)
    assert [row["name"] for row in unprocessed] == ["server1"]


def test_r2_15_an_unprocessed_order_can_be_cancelled_even_after_48_hours(api_as, redwall, customer):
    import time_machine

    order = new_server(api_as(customer))

    with time_machine.travel(timezone.now() + timedelta(days=5)):
        response = api_as(customer).post(f"/orders/{order['id']}/cancel", {"reason": "Created by accident"})

    assert response.status_code == 200, response.json()
    assert response.json()["credit_note"] is not None
    assert Order.objects.get(pk=order["id"]).status == OrderStatus.CANCELLED
    assert Subscription.objects.get(pk=order["subscription_id"]).status == SubscriptionStatus.CANCELLED
