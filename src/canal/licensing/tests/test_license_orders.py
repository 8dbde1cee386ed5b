"""Changing a license through orders reaches the server and its next license file (R2.5-R2.9)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from canal.billing.payments import pay_by_card
from canal.licensing.models import Server
from canal.licensing.tests.conftest import order_license
from canal.orders.models import Order
from canal.orders.services import process_paid_orders
from canal.subscriptions.models import Subscription

pytestmark = pytest.mark.django_db


def pay(customer, order_id):
    order = Order.objects.get(pk=order_id)
    pay_by_card(actor=customer, invoice_id=order.invoice_id, amount=None, card_token="tok_visa")
    process_paid_orders()


def test_r2_5_a_freemium_server_is_free_with_100_clients_and_every_module(redwall, customer, api_as):
    freemium = order_license(customer, plan="freemium", quantity=100, modules=(), name="server2")
    api = api_as(customer)
    key = api.post(f"/licensing/servers/{freemium.pk}/activation-key").json()["key"]
    from canal.licensing.tests.conftest import Appliance

    payload = Appliance(key).activate().json()["license"]["payload"]

    assert payload["plan"] == "freemium"
    assert payload["clients"] == 100
    assert payload["modules"] == ["firewall", "hotspot", "multi-wan", "qos", "reports"]


def test_r2_5_a_new_pro_server_waits_for_payment_then_can_be_activated(redwall, customer, api_as):
    unpaid = order_license(customer, pay=False)
    api = api_as(customer)

    listed = api.get(f"/licensing/servers/{unpaid.pk}").json()
    refused = api.post(f"/licensing/servers/{unpaid.pk}/activation-key")
    pay(customer, Order.objects.get(subscription=unpaid).pk)
    made = api.post(f"/licensing/servers/{unpaid.pk}/activation-key")

    assert listed["status"] == "awaiting_activation"
    assert refused.status_code == 409
    assert made.status_code == 201


def test_r2_6_an_added_module_reaches_the_license_file_and_removing_refunds_nothing(
    appliance, license_, customer, api_as
):
    appliance.activate()
    api = api_as(customer)
    added = api.post(
        f"/subscriptions/{license_.pk}/change", {"modules": ["firewall", "qos", "hotspot"]}
    ).json()
    pay(customer, added["id"])

    refreshed = appliance.heartbeat().json()["license"]
    removed = api.post(f"/subscriptions/{license_.pk}/change", {"modules": ["firewall"]}).json()

    assert refreshed["payload"]["modules"] == ["firewall", "hotspot", "qos"]
    assert removed["net_total"] == "0.00"
    assert appliance.heartbeat().json()["license"]["payload"]["modules"] == ["firewall"]


def test_r2_7_more_clients_reach_the_license_and_clear_the_over_count_flag(
    appliance, license_, customer, api_as
):
    appliance.activate()
    assert appliance.heartbeat(clients_in_use=300).json()["over_licensed"] is True
    order = api_as(customer).post(f"/subscriptions/{license_.pk}/change", {"quantity": 500}).json()
    pay(customer, order["id"])

    answer = appliance.heartbeat(clients_in_use=300).json()

    assert answer["over_licensed"] is False
    assert answer["license"]["payload"]["clients"] == 500


def test_r2_8_renewing_after_updates_lapsed_gives_a_year_from_today(appliance, license_, customer, api_as):
    appliance.activate()
    today = timezone.localdate()
    Subscription.objects.filter(pk=license_.pk).update(
        term_start=today - timedelta(days=500), term_end=today - timedelta(days=135)
    )

    order = api_as(customer).post(f"/subscriptions/{license_.pk}/renew").json()
    pay(customer, order["id"])

    server = api_as(customer).get(f"/licensing/servers/{license_.pk}").json()
    renewed = Subscription.objects.get(pk=license_.pk)
    assert renewed.term_start == today
    assert server["updatable_until"] == (renewed.term_end - timedelta(days=1)).isoformat()
    assert renewed.term_end.year == today.year + 1


def test_r2_9_a_freemium_server_page_says_to_request_a_new_server(redwall, customer, portal_login, api_as):
    freemium = order_license(customer, plan="freemium", quantity=100, modules=(), name="server2")

    page = portal_login(customer.user).get(f"/servers/{freemium.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    renew = api_as(customer).post(f"/subscriptions/{freemium.pk}/renew")

    assert "Request a new server instead" in page.content.decode()
    assert "Renew updates for one year" not in page.content.decode()
    assert renew.status_code == 422
    assert Server.objects.filter(pk=freemium.pk).count() == 0
