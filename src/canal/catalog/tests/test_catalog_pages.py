"""Catalog pages in the portal, the configurator's htmx answers, and support prices (R2.13, R2.14)."""

import pytest
from django.urls import reverse

from canal.accounts.models import OrganisationKind, PaymentMode
from canal.core.money import Money

pytestmark = pytest.mark.django_db


def in_english(actor):
    """Portal users read their own language; these tests read English amounts ("US$800.00")."""
    actor.user.language = "en"
    actor.user.save(update_fields=["language"])
    return actor.user


def shown(amount, currency):
    return Money(amount, currency).format("en_GB")


def test_the_catalog_lists_products_with_their_vendor(portal_login, load_catalog, customer):
    load_catalog("tareo")

    page = portal_login(customer.user).get(reverse("catalog:products")).content.decode()

    assert "Tareo Work Management" in page
    assert "Tareo Work Management Inc." in page


def test_r1_2_r1_5_the_product_page_states_each_plans_quantity_rule(portal_login, load_catalog, customer):
    load_catalog("tareo")

    page = (
        portal_login(customer.user)
        .get(reverse("catalog:product", args=["tareo-work"]), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )

    assert "5, 10 or 15 seats" in page
    assert "5 to 200 seats, in steps of 5" in page
    assert "up to 200 seats" in page


def test_r1_2_the_configurator_shows_the_refusal_next_to_the_quantity(
    portal_login, load_catalog, partner, client_of
):
    load_catalog("tareo")
    client = client_of(partner)
    url = reverse("catalog:configure", args=["tareo-work"])

    response = portal_login(partner.user).post(
        url,
        {"customer": client.pk, "plan": "professional", "quantity": "20"},
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    page = response.content.decode()
    assert '<div class="field-errors" id="errors-quantity" hx-swap-oob="true"><p class="field-error"' in page
    assert "For 20 seats buy Business." in page
    assert 'id="quote-summary"' in page


def test_r2_5_choosing_freemium_sets_100_clients_and_prices_it_free(portal_login, load_catalog, make_actor):
    load_catalog("redwall")
    hotel = make_actor(OrganisationKind.CUSTOMER, currency="USD")
    url = reverse("catalog:configure", args=["redwall-server"])

    response = portal_login(in_english(hotel)).post(
        url,
        {"plan": "freemium", "quantity": "300"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="configurator-area",
    )

    page = response.content.decode()
    assert 'id="configurator-area"' in page
    assert 'value="100"' in page
    assert shown("0", "USD") in page


def test_r4_8_a_partner_paying_sees_its_price_and_the_public_one(
    portal_login, load_catalog, partner, client_of
):
    load_catalog("alpenhost")
    client = client_of(partner, currency="CHF", payment_mode=PaymentMode.PARTNER)

    response = portal_login(in_english(partner)).post(
        reverse("catalog:configure", args=["alpenhost-web-hosting"]),
        {"customer": client.pk, "plan": "web-hosting", "quantity": "35", "currency": "CHF"},
        HTTP_HX_REQUEST="true",
    )

    page = response.content.decode()
    assert f'data-testid="quote-total">{shown("208.32", "CHF")}<' in page
    assert f"<s>{shown('260.40', 'CHF')}</s>" in page


def test_r2_13_r2_14_support_prices_show_packs_and_ticket_costs(portal_login, load_catalog, make_actor):
    load_catalog("redwall")
    hotel = make_actor(OrganisationKind.CUSTOMER, currency="USD")

    page = portal_login(in_english(hotel)).get(reverse("catalog:support")).content.decode()

    for text in ("Savings Pack", "Basic Pack", "Mini Pack", "200", shown("800", "USD"), "License code reset"):
        assert text in page
    assert "With license" in page
    assert "Without license" in page


def test_an_unknown_product_page_is_404(portal_login, customer):
    response = portal_login(customer.user).get(reverse("catalog:product", args=["nothing"]))

    assert response.status_code == 404
