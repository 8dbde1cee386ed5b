"""What an upgrade costs (R1.14): the new plan's line less what the old plan's line cost for the days."""

from decimal import Decimal

import pytest

from canal.orders.models import Order
from canal.orders.tests.conftest import order_body, place, provision
from canal.subscriptions.models import Subscription

pytestmark = pytest.mark.django_db


def test_r1_14_an_upgrade_deducts_what_the_old_plan_already_paid(api_as, marketplace):
    first = place(
        api_as(marketplace.partner),
        order_body(marketplace.client, plan="professional", quantity=10, add_ons=[], package=""),
    )
    provision(api_as(marketplace.vendor_actor), first["id"], "TW-1000")
    old = Subscription.objects.get(pk=first["subscription_id"])

    response = api_as(marketplace.partner).post(
        f"/subscriptions/{old.pk}/upgrade", {"plan": "business", "quantity": 15, "accept_terms": True}
    )

    assert response.status_code == 201, response.json()
    order = Order.objects.get(pk=response.json()["id"])
    # Business 15 x EUR 276.00 = 4140.00, less Professional 10 x EUR 108.00 = 1080.00 (same whole term).
    assert order.net_total == Decimal("3060.00")
    (line,) = order.lines
    assert line["code"] == "business"
    assert line["steps"][-1]["kind"] == "already_paid"
    assert Decimal(line["steps"][-1]["amount_after"]) == Decimal("3060.00")


def test_r1_13_a_new_line_in_a_change_has_no_already_paid_step(api_as, marketplace):
    first = place(api_as(marketplace.partner), order_body(marketplace.client))
    provision(api_as(marketplace.vendor_actor), first["id"], "TW-1000")

    response = api_as(marketplace.partner).post(
        f"/subscriptions/{first['subscription_id']}/change",
        {"add_ons": ["marketing-pack", "product-pack"]},
    )

    assert response.status_code == 201, response.json()
    (line,) = Order.objects.get(pk=response.json()["id"]).lines
    # product-pack: 20 seats x EUR 50.00 for the whole term, nothing deducted.
    assert (line["code"], Decimal(line["amount"])) == ("product-pack", Decimal("1000.00"))
    assert all(step["kind"] != "already_paid" for step in line["steps"])
