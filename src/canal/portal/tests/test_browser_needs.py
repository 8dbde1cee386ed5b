"""The dashboard's "what needs you now" and the shared confirmation page in a real browser, at desktop
and phone widths, in Spanish. Screenshots go to artifacts/screenshots/."""

import pytest
from playwright.sync_api import expect

from canal.accounts.models import OrganisationKind, Role
from canal.accounts.tests.factories import PASSWORD, MembershipFactory, OrganisationFactory
from canal.billing.tests.helpers import fund_wallet, issued_invoice

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_a_customer_sees_what_needs_it_and_pays_after_a_preview(live_server, open_portal, log_in, screenshot):
    customer = OrganisationFactory(kind=OrganisationKind.CUSTOMER, name="Construcciones Ibéricas S.A.")
    user = MembershipFactory(organisation=customer, role=Role.BILLING, user__language="es").user
    fund_wallet(customer, "500.00")
    invoice = issued_invoice(customer, "80.00")

    page = open_portal("login", locale="es-ES")
    log_in(page, user.email, PASSWORD)
    expect(page.locator(".needs")).to_contain_text("Facturas por pagar")
    screenshot(page, "dashboard-needs-es")

    page.locator(".need", has_text="Facturas por pagar").click()
    page.goto(f"{live_server.url}/billing/invoices/{invoice.pk}/")
    with page.expect_navigation():
        page.locator("form[action$='/pay/'] button[type=submit]").click()
    expect(page.locator(".confirm-card")).to_contain_text("Monedero prepago")
    screenshot(page, "confirm-pay-from-wallet-es")
    with page.expect_navigation():
        page.locator(".confirm-actions button").click()
    expect(page.locator(".notice-success")).to_be_visible()
    invoice.refresh_from_db()
    assert invoice.status == "paid"
