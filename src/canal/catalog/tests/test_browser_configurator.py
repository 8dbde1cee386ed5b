"""The configurator in a real browser: live prices and refusals next to their field (R1.2, R2.5)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from canal.accounts.models import OrganisationKind, Role
from canal.accounts.tests.factories import PASSWORD, MembershipFactory, OrganisationFactory
from canal.core.money import Money

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def settled(page):
    """Waits until htmx has swapped and wired the new form, so the next change reaches it."""
    expect(page.locator(".htmx-request, .htmx-settling, .htmx-swapping, .htmx-added")).to_have_count(0)


def english_user(organisation, role=Role.ADMIN):
    membership = MembershipFactory(organisation=organisation, role=role, user__language="en")
    return membership.user


def test_r1_2_professional_with_20_seats_is_refused_next_to_the_field_suggesting_business(
    live_server, load_catalog, partner, client_of, open_portal, log_in, screenshot
):
    load_catalog("tareo")
    client_of(partner, currency="USD")
    user = english_user(partner.organisation, Role.LEGAL_REPRESENTATIVE)
    page = open_portal("login", locale="en-GB")
    log_in(page, user.email, PASSWORD)
    page.goto(f"{live_server.url}{reverse('catalog:configure', args=['tareo-work'])}")
    expect(page.locator("[data-testid=quote-total]")).to_have_text(Money("588.00", "USD").format("en_GB"))

    page.fill("#id_quantity", "20")

    quantity_error = page.locator("#field-quantity .field-error")
    expect(quantity_error).to_have_text(
        "Professional allows only 5, 10 or 15 seats. For 20 seats buy Business."
    )
    expect(page.locator("#quote-summary")).to_contain_text("This configuration cannot be ordered yet.")
    expect(page.locator("[data-testid=quote-total]")).to_have_count(0)
    screenshot(page, "configurator-r1-2-professional-20-seats-refused")

    page.click("label.choice-card:has-text('Business')")
    expect(page.locator("#field-package .field-error")).to_have_text(
        "Above 15 seats an onboarding package is required. Choose Onboarding I."
    )
    settled(page)
    page.select_option("#id_package", "onboarding-i")

    expect(quantity_error).to_have_count(0)
    # 20 x 297.60 + Onboarding I 2,500.00
    expect(page.locator("[data-testid=quote-total]")).to_have_text(Money("8452.00", "USD").format("en_GB"))
    screenshot(page, "configurator-r1-2-business-20-seats-priced")


def test_r2_5_pro_license_priced_live_in_usd_and_freemium_free_with_all_modules(
    live_server, load_catalog, open_portal, log_in, screenshot
):
    load_catalog("redwall")
    hotel = OrganisationFactory(
        kind=OrganisationKind.CUSTOMER, name="Hotel Mirador del Sur S.L.", currency="USD"
    )
    user = english_user(hotel)
    page = open_portal("login", locale="en-GB")
    log_in(page, user.email, PASSWORD)
    page.goto(f"{live_server.url}{reverse('catalog:configure', args=['redwall-server'])}")

    # Freemium comes first: free, 100 clients, every module.
    total = page.locator("[data-testid=quote-total]")
    expect(total).to_have_text(Money("0", "USD").format("en_GB"))
    expect(page.locator("#id_quantity")).to_have_value("100")
    expect(page.locator("#quote-summary")).to_contain_text("All modules included")
    for checkbox in page.locator("input[name=modules]").all():
        expect(checkbox).to_be_checked()
        expect(checkbox).to_be_disabled()
    screenshot(page, "configurator-r2-5-freemium")

    page.click("label.choice-card:has-text('PRO')")
    expect(page.locator("#id_quantity")).to_be_editable()
    settled(page)
    expect(total).to_have_text(Money("150.00", "USD").format("en_GB"))  # 100 clients, no module

    page.fill("#id_quantity", "300")
    expect(total).to_have_text(Money("450.00", "USD").format("en_GB"))
    page.check("input[name=modules][value=qos]")
    expect(total).to_have_text(Money("570.00", "USD").format("en_GB"))
    page.check("input[name=modules][value=firewall]")

    expect(total).to_have_text(Money("660.00", "USD").format("en_GB"))
    expect(page.locator("#quote-summary")).to_contain_text(re.compile("Traffic shaping"))
    screenshot(page, "configurator-r2-5-pro-300-clients")
