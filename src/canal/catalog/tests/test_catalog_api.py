"""Browsing the catalog through the API: rules, prices, and a partner's own prices next to public ones."""

import pytest

from canal.accounts.actor import actor_for
from canal.accounts.models import OrganisationKind, Role
from canal.accounts.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_buyers_see_every_product_on_sale(api_as, load_catalog, customer):
    load_catalog("tareo")
    load_catalog("redwall")

    response = api_as(customer).get("/catalog/products")

    assert response.status_code == 200
    assert [product["code"] for product in response.json()["results"]] == [
        "tareo-work",
        "redwall-server",
        "redwall-support",
    ]


def test_a_vendor_sees_only_its_own_products(api_as, load_catalog):
    redwall = load_catalog("redwall")
    load_catalog("tareo")
    vendor = actor_for(MembershipFactory(organisation=redwall, role=Role.ADMIN).user)

    listed = api_as(vendor).get("/catalog/products").json()["results"]
    other = api_as(vendor).get("/catalog/products/tareo-work")

    assert {product["code"] for product in listed} == {"redwall-server", "redwall-support"}
    assert other.status_code == 404


def test_r1_1_r1_2_a_product_shows_its_plans_and_quantity_rules(api_as, load_catalog, customer):
    load_catalog("tareo")

    body = api_as(customer).get("/catalog/products/tareo-work").json()

    plans = {plan["code"]: plan for plan in body["plans"]}
    assert list(plans) == ["professional", "business", "enterprise"]
    assert plans["professional"]["quantity"]["allowed"] == [5, 10, 15]
    assert plans["professional"]["quantity"]["suggest_over_maximum"] == "business"
    assert plans["business"]["quantity"] == {
        "minimum": 5,
        "maximum": 200,
        "step": 5,
        "allowed": [],
        "suggest_over_maximum": "enterprise",
    }
    assert plans["enterprise"]["trial_days"] == 30
    assert body["requires_terms_acceptance"] is True
    assert body["provisioning_hours"] == 48


def test_r4_3_a_partner_sees_its_partner_prices_next_to_public_prices(
    api_as, load_catalog, partner, client_of
):
    load_catalog("alpenhost")
    client_of(partner, discount_rate="0.20")

    body = api_as(partner).get("/catalog/products/alpenhost-web-hosting").json()

    prices = {(price["currency"], price["item_code"]): price for price in body["prices"]}
    assert body["partner_discount_rate"] == "0.2"
    assert (prices["CHF", "web-hosting"]["amount"], prices["CHF", "web-hosting"]["partner_amount"]) == (
        "9.92",
        "7.94",
    )
    assert (prices["EUR", "web-hosting"]["amount"], prices["EUR", "web-hosting"]["partner_amount"]) == (
        "5.75",
        "4.60",
    )


def test_a_customer_sees_no_partner_prices(api_as, load_catalog, customer):
    load_catalog("alpenhost")

    body = api_as(customer).get("/catalog/products/alpenhost-web-hosting").json()

    assert body["partner_discount_rate"] is None
    assert {price["partner_amount"] for price in body["prices"]} == {None}


def test_r2_13_r2_14_support_packs_and_ticket_costs_are_in_the_catalog(api_as, load_catalog, make_actor):
    load_catalog("redwall")
    hotel = make_actor(OrganisationKind.CUSTOMER, currency="USD")

    body = api_as(hotel).get("/catalog/products/redwall-support").json()

    assert [(pack["name"], pack["credits"]) for pack in body["support_packs"]] == [
        ("Savings Pack", 200),
        ("Basic Pack", 100),
        ("Mini Pack", 50),
    ]
    assert {price["item_code"]: price["amount"] for price in body["prices"]} == {
        "savings": "800.00",
        "basic": "450.00",
        "mini": "250.00",
    }
    installation = body["ticket_categories"][0]
    assert (installation["name"], installation["cost_licensed"], installation["cost_unlicensed"]) == (
        "Installation and first setup",
        20,
        40,
    )
    assert installation["description"]
    assert installation["help"]


def test_r3_1_the_crm_offers_four_license_types(api_as, load_catalog, customer):
    load_catalog("clientia")

    body = api_as(customer).get("/catalog/products/clientia-crm").json()

    assert [license_type["name"] for license_type in body["license_types"]] == [
        "Base",
        "VoIP calls",
        "Messaging",
        "GSM integration",
    ]


def test_r5_3_services_billed_by_other_units_are_flagged_out_of_priority(api_as, load_catalog, customer):
    load_catalog("flowdesk")

    products = api_as(customer).get("/catalog/products", page_size=50).json()["results"]

    excluded = {product["code"]: product["unit"] for product in products if not product["priority_support"]}
    assert excluded == {
        "flowdesk-campaigns": "contact",
        "flowdesk-data-prep": "row",
        "flowdesk-site-insights": "visitor",
        "flowdesk-docs-automation": "automation_credit",
        "flowdesk-marketing-automation": "contact",
    }
