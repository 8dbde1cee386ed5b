"""POST /api/v1/quotes: validate and price a configuration for a customer, without ordering."""

import pytest

from canal.accounts.actor import actor_for
from canal.accounts.models import AccessLevel, OrganisationKind, PaymentMode, Role
from canal.accounts.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def quote(api, **body):
    return api.post("/quotes", body)


def test_r1_2_the_api_refuses_twenty_professional_seats_and_names_business(
    api_as, load_catalog, partner, client_of
):
    load_catalog("tareo")
    client = client_of(partner)

    response = quote(
        api_as(partner), product="tareo-work", customer_id=client.pk, plan="professional", quantity=20
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "quantity_above_maximum"
    assert body["field"] == "quantity"
    assert body["suggestion"] == "business"
    assert "buy Business" in body["message"]
    assert [violation["code"] for violation in body["violations"]] == ["quantity_above_maximum"]


def test_r1_5_the_api_lists_every_violation_with_its_field(api_as, load_catalog, customer):
    load_catalog("tareo")

    response = quote(
        api_as(customer),
        product="tareo-work",
        plan="business",
        quantity=40,
        package="jumpstart",
        add_ons=["x"],
    )

    assert response.status_code == 422
    assert [(v["field"], v["code"], v["suggestion"]) for v in response.json()["violations"]] == [
        ("add_ons", "unknown_add_on", None),
        ("package", "package_too_small", "onboarding-ii"),
    ]


def test_r1_1_r1_6_a_valid_business_order_is_priced_line_by_line(api_as, load_catalog, customer):
    load_catalog("tareo")

    response = quote(
        api_as(customer),
        product="tareo-work",
        plan="business",
        quantity=20,
        add_ons=["marketing-pack"],
        package="onboarding-i",
        currency="USD",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert [(line["code"], line["quantity"], line["amount"]) for line in body["lines"]] == [
        ("business", 20, "5952.00"),
        ("marketing-pack", 20, "1200.00"),
        ("onboarding-i", 1, "2500.00"),
    ]
    assert body["subtotal"] == "9652.00"
    assert body["currency"] == "USD"
    assert body["customer"]["id"] == customer.organisation.pk


def test_r2_5_pro_license_is_priced_in_usd_from_clients_and_modules(api_as, load_catalog, make_actor):
    load_catalog("redwall")
    hotel = make_actor(OrganisationKind.CUSTOMER, currency="USD")

    response = quote(
        api_as(hotel), product="redwall-server", plan="pro", quantity=300, modules=["qos", "firewall"]
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["currency"] == "USD"
    assert [(line["code"], line["amount"]) for line in body["lines"]] == [
        ("pro.qos", "120.00"),
        ("pro.firewall", "90.00"),
        ("pro.clients", "450.00"),
    ]
    assert body["subtotal"] == "660.00"


def test_r2_5_more_clients_move_the_pro_license_to_the_next_tier(api_as, load_catalog, make_actor):
    load_catalog("redwall")
    api = api_as(make_actor(OrganisationKind.CUSTOMER, currency="USD"))

    small = quote(api, product="redwall-server", plan="pro", quantity=250).json()["subtotal"]
    large = quote(api, product="redwall-server", plan="pro", quantity=300).json()["subtotal"]

    assert (small, large) == ("290.00", "450.00")


def test_r2_5_freemium_is_free_with_100_clients_and_all_modules(api_as, load_catalog, make_actor):
    load_catalog("redwall")
    api = api_as(make_actor(OrganisationKind.CUSTOMER, currency="USD"))

    response = quote(api, product="redwall-server", plan="freemium", quantity=100)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["subtotal"] == "0.00"
    assert [line["code"] for line in body["lines"]] == ["freemium", "modules"]


def test_r2_13_a_support_pack_is_priced_per_pack(api_as, load_catalog, make_actor):
    load_catalog("redwall")
    api = api_as(make_actor(OrganisationKind.CUSTOMER, currency="USD"))

    response = quote(api, product="redwall-support", support_pack="savings", quantity=2)

    assert response.status_code == 200, response.json()
    assert response.json()["subtotal"] == "1600.00"


def test_r3_1_r3_8_licenses_bought_mid_cycle_cost_the_share_of_the_cycle_left(api_as, load_catalog, customer):
    load_catalog("clientia")

    response = quote(
        api_as(customer),
        product="clientia-crm",
        plan="crm",
        license_types={"base": 2, "voip": 1, "gsm": 1},
        purchase_date="2026-11-16",
        cycle_start="2026-11-01",
        next_cycle_start="2026-12-01",
    )

    assert response.status_code == 200, response.json()
    lines = {line["code"]: line for line in response.json()["lines"]}
    assert {code: line["amount"] for code, line in lines.items()} == {
        "base": "30.00",
        "voip": "6.00",
        "gsm": "7.50",
    }
    assert lines["base"]["steps"][-1] == {
        "kind": "proration",
        "label": "15/30 days",
        "rate_or_factor": "0.5",
        "amount_before": "60.00",
        "amount_after": "30.00",
    }


def test_r3_8_proration_needs_all_three_dates(api_as, load_catalog, customer):
    load_catalog("clientia")

    response = quote(
        api_as(customer),
        product="clientia-crm",
        plan="crm",
        license_types={"base": 1},
        purchase_date="2026-11-16",
    )

    assert response.status_code == 422
    assert "together" in response.json()["message"]


@pytest.mark.parametrize(
    ("currency", "steps"), [("CHF", ["347.20", "277.76", "208.32"]), ("EUR", ["201.25", "161.00", "120.75"])]
)
def test_r4_9_r4_8_partner_paying_gets_its_discount_before_the_volume_discount(
    api_as, load_catalog, partner, client_of, currency, steps
):
    load_catalog("alpenhost")
    client = client_of(partner, currency=currency, payment_mode=PaymentMode.PARTNER, discount_rate="0.20")

    response = quote(
        api_as(partner),
        product="alpenhost-web-hosting",
        customer_id=client.pk,
        plan="web-hosting",
        quantity=35,
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert [step["amount_after"] for step in body["lines"][0]["steps"]] == steps
    assert [step["kind"] for step in body["lines"][0]["steps"]] == [
        "list",
        "partner_discount",
        "volume_discount",
    ]
    assert body["subtotal"] == steps[-1]
    assert body["benefit"] == "discount"
    assert body["payer"]["id"] == partner.organisation.pk


def test_r4_3_r4_7_client_paying_sees_the_public_price_and_the_partner_its_cashback(
    api_as, load_catalog, partner, client_of
):
    load_catalog("alpenhost")
    client = client_of(partner, currency="CHF", payment_mode=PaymentMode.CUSTOMER, cashback_rate="0.10")

    body = quote(
        api_as(partner),
        product="alpenhost-web-hosting",
        customer_id=client.pk,
        plan="web-hosting",
        quantity=35,
    ).json()

    # Public: 347.20 - 25 % = 260.40. At the 10 % cashback rate: 312.48 - 25 % = 234.36; cashback 26.04.
    assert (body["subtotal"], body["public_subtotal"], body["cashback"]) == ("260.40", "260.40", "26.04")
    assert body["benefit"] == "cashback"
    assert body["payer"]["id"] == client.pk


def test_r4_6_r4_10_a_client_quote_under_partner_payment_names_the_partner_as_payer(
    api_as, load_catalog, partner, client_of
):
    load_catalog("alpenhost")
    client = client_of(partner, currency="CHF", payment_mode=PaymentMode.PARTNER, cashback_rate="0.10")
    client_actor = actor_for(MembershipFactory(organisation=client, role=Role.ADMIN).user)

    response = quote(api_as(client_actor), product="alpenhost-web-hosting", plan="web-hosting", quantity=35)

    assert response.status_code == 200, response.json()
    body = response.json()

    # The client orders, the partner's means pay (R4.6) and the invoice goes to the partner (R4.10): the
    # public price, with the partner's cashback (R4.7) kept from the client's view.
    assert body["payer"]["id"] == partner.organisation.pk
    assert body["customer"]["id"] == client.pk
    assert (body["subtotal"], body["public_subtotal"], body["cashback"]) == ("260.40", "260.40", None)
    assert body["benefit"] == "cashback"


def test_r4_5_a_partner_with_limited_access_may_quote_only_granted_products(
    api_as, load_catalog, partner, client_of
):
    load_catalog("alpenhost")
    load_catalog("clientia")
    client = client_of(partner, access=AccessLevel.LIMITED, product_codes=("clientia-crm",))
    api = api_as(partner)

    refused = quote(
        api, product="alpenhost-web-hosting", customer_id=client.pk, plan="web-hosting", quantity=1
    )
    granted = quote(api, product="clientia-crm", customer_id=client.pk, plan="crm", license_types={"base": 1})

    assert refused.status_code == 422
    assert refused.json()["code"] == "product_not_granted"
    assert granted.status_code == 200


def test_a_partner_must_name_the_client(api_as, load_catalog, partner):
    load_catalog("alpenhost")

    response = quote(api_as(partner), product="alpenhost-web-hosting", plan="web-hosting", quantity=1)

    assert response.status_code == 422
    assert response.json()["field"] == "customer"


def test_another_organisations_customer_is_not_found(api_as, load_catalog, partner, make_actor):
    load_catalog("alpenhost")
    stranger = make_actor(OrganisationKind.CUSTOMER)

    response = quote(
        api_as(partner),
        product="alpenhost-web-hosting",
        customer_id=stranger.organisation.pk,
        plan="web-hosting",
        quantity=1,
    )

    assert response.status_code == 404


def test_a_currency_the_product_is_not_sold_in_is_refused_with_the_ones_it_is(api_as, load_catalog, customer):
    load_catalog("alpenhost")

    response = quote(
        api_as(customer), product="alpenhost-web-hosting", plan="web-hosting", quantity=1, currency="USD"
    )

    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["field"], body["suggestion"]) == ("currency_not_offered", "currency", "CHF")
    assert "CHF, EUR" in body["message"]


def test_r5_3_services_billed_by_other_units_are_priced_by_their_unit(api_as, load_catalog, customer):
    load_catalog("flowdesk")

    body = quote(api_as(customer), product="flowdesk-campaigns", plan="standard", quantity=3000).json()

    # Graduated: 2000 contacts at 0.0150 and 1000 at 0.0100.
    assert [line["amount"] for line in body["lines"]] == ["30.00", "10.00"]
    assert body["subtotal"] == "40.00"
