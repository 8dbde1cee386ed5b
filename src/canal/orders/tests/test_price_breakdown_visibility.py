"""The price breakdown of an order (partner discount, cashback) is shown to its payer and operator
staff only (R4.8, R4.10): a vendor or a customer whose partner paid sees the order without it."""

import pytest
from django.urls import reverse

from canal.accounts.actor import actor_for
from canal.accounts.models import PaymentMode, Role
from canal.accounts.tests.factories import MembershipFactory
from canal.orders.tests.conftest import order_body, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner_paid(api_as, marketplace, client_of):
    client = client_of(marketplace.partner, payment_mode=PaymentMode.PARTNER)
    order = place(api_as(marketplace.partner), order_body(client))
    admin = MembershipFactory(organisation=client, role=Role.ADMIN, user__language="en").user
    return order, actor_for(admin, client.pk)


def test_r4_8_the_paying_partner_sees_its_discount_step(api_as, marketplace, partner_paid):
    order, _customer = partner_paid

    lines = api_as(marketplace.partner).get(f"/orders/{order['id']}").json()["lines"]

    assert any(step["kind"] == "partner_discount" for line in lines for step in line["steps"])


def test_r4_8_the_customer_and_the_vendor_do_not_see_the_partners_breakdown(
    api_as, marketplace, partner_paid, portal_login
):
    order, customer = partner_paid

    for actor in (customer, marketplace.vendor_actor):
        response = api_as(actor).get(f"/orders/{order['id']}")
        assert response.status_code == 200
        assert response.json()["lines"] == []
    page = portal_login(customer.user).get(reverse("orders:detail", args=[order["id"]])).content.decode()
    assert "Partner discount" not in page
    assert 'class="quote-lines"' not in page
