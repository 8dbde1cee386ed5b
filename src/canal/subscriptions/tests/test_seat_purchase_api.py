"""R3.4 through the API (issue 9, API parity): price first, then buy; charged, invoiced, usable at once."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine

from canal.billing.models import Invoice, InvoiceStatus
from canal.billing.tests.helpers import fund_wallet, wallet_of
from canal.subscriptions.seat_billing import bill_next_cycle_for
from canal.subscriptions.tests.factories import crm_with_seats

MID_CYCLE = datetime(2026, 11, 16, 12, tzinfo=UTC)  # 15 of the cycle's 30 days are left


@pytest.fixture
def crm(db):
    crm = crm_with_seats({"base": 3, "voip": 1, "messaging": 0, "gsm": 0}, minimums={"base": 2})
    bill_next_cycle_for(crm.subscription)
    return crm


def test_r3_4_the_api_prices_a_purchase_then_buys_licenses_usable_at_once(crm, api_as):
    fund_wallet(crm.customer, "100.00")
    api = api_as(crm.admin)
    url = f"/subscriptions/{crm.subscription.pk}/seat-purchases"

    with time_machine.travel(MID_CYCLE, tick=False):
        quote = api.post(f"{url}/quote", {"quantities": {"base": 2}})
        assert quote.status_code == 200
        assert crm.pool("base").total == 3  # a quote buys nothing
        bought = api.post(url, {"quantities": {"base": 2}}, **{"Idempotency-Key": "buy-1"})
        again = api.post(url, {"quantities": {"base": 2}}, **{"Idempotency-Key": "buy-1"})

    assert bought.status_code == 201, bought.json()
    assert again.status_code == 201
    body = bought.json()
    assert body["now"]["subtotal"] == quote.json()["now"]["subtotal"] == "30.00"
    assert {pool["license_type"]: pool["total"] for pool in body["seats"]}["base"] == 5
    assert crm.pool("base").total == 5
    invoice = Invoice.objects.get(organisation=crm.customer)
    assert invoice.status == InvoiceStatus.PAID
    assert invoice.net == Decimal("30.00")
    assert wallet_of(crm.customer) == Decimal("100.00") - invoice.total


def test_r3_4_a_boolean_or_negative_quantity_buys_nothing(crm, api_as):
    fund_wallet(crm.customer, "100.00")
    url = f"/subscriptions/{crm.subscription.pk}/seat-purchases"

    for quantities in ({"base": True}, {"base": -1}, {"base\u0000": 1}):
        response = api_as(crm.admin).post(url, {"quantities": quantities})
        assert response.status_code == 422

    assert crm.pool("base").total == 3
    assert not Invoice.objects.filter(organisation=crm.customer).exists()


def test_r3_4_another_organisation_cannot_buy_on_this_subscription(crm, api_as, customer):
    response = api_as(customer).post(
        f"/subscriptions/{crm.subscription.pk}/seat-purchases", {"quantities": {"base": 1}}
    )

    assert response.status_code == 404
    assert crm.pool("base").total == 3
