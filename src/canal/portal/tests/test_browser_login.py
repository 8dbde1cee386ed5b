"""Logging in to the portal with a real browser, in the visitor's language."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from canal.accounts.models import OrganisationKind, Role
from canal.accounts.services import link_client
from canal.accounts.tests.factories import PASSWORD, MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_partner_logs_in_to_the_spanish_console_and_sees_its_client(
    live_server, open_portal, log_in, screenshot
):
    partner = OrganisationFactory(kind=OrganisationKind.PARTNER, name="Soluciones Ibéricas SL")
    representative = MembershipFactory(
        organisation=partner, role=Role.LEGAL_REPRESENTATIVE, user__email="lucia@iberica.test"
    ).user
    client = OrganisationFactory(kind=OrganisationKind.CUSTOMER, name="Ferretería Gómez SA")
    link_client(actor=None, partner=partner, client=client)

    page = open_portal("login", locale="es-ES")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    screenshot(page, "login-es")
    log_in(page, representative.email, PASSWORD)

    expect(page).to_have_url(f"{live_server.url}{reverse('portal:dashboard')}")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("main table")).to_contain_text(client.name)
    expect(page.locator(".sidenav")).to_contain_text(partner.name)
    screenshot(page, "partner-dashboard-es")


def test_customer_switches_the_portal_to_english(live_server, open_portal, log_in, screenshot):
    customer = OrganisationFactory(kind=OrganisationKind.CUSTOMER, name="Clínica Dental Norte")
    user = MembershipFactory(organisation=customer, role=Role.ADMIN, user__email="ana@norte.test").user
    partner = OrganisationFactory(kind=OrganisationKind.PARTNER, name="Soluciones Ibéricas SL")
    link_client(actor=None, partner=partner, client=customer)

    page = open_portal("login", locale="es-ES")
    log_in(page, user.email, PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "es")

    with page.expect_navigation():
        page.click(".language-switch button[value=en]")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(rf"{re.escape(reverse('portal:dashboard'))}$"))
    expect(page.locator(".language-switch button[value=en]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("main table")).to_contain_text(partner.name)
    screenshot(page, "customer-dashboard-en")
