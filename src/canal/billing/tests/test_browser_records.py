"""The operator's billing records page in a real browser: records with their state, the warning that
sending is not configured, and verifying the chain. Screenshots go to artifacts/screenshots/."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from canal.accounts.models import OrganisationKind, Role
from canal.accounts.tests.factories import PASSWORD, MembershipFactory, OrganisationFactory
from canal.billing.services import issue_credit_note
from canal.billing.tests.helpers import issued_invoice, spanish_vat

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_operator_staff_verify_the_chain_on_the_records_page(
    live_server, open_portal, log_in, screenshot, settings
):
    from canal.accounts.actor import actor_for

    settings.BILLING_RECORDS_BACKEND = ""
    spanish_vat()
    operator = OrganisationFactory(
        kind=OrganisationKind.OPERATOR, name="Canal Distribución S.L.", legal_id="B12345674"
    )
    staff = MembershipFactory(organisation=operator, role=Role.ADMIN, user__language="es").user
    customer = OrganisationFactory(name="Construcciones Ibéricas S.A.", legal_id="A28000001")
    invoice = issued_invoice(customer, "1450.00")
    issued_invoice(customer, "99.00")
    issue_credit_note(actor=actor_for(staff), invoice_id=invoice.pk, reason="Pedido duplicado")

    page = open_portal("login", locale="es-ES")
    log_in(page, staff.email, PASSWORD)
    page.goto(f"{live_server.url}{reverse('billing:records')}")
    expect(page.locator(".notice-warning")).to_contain_text("BILLING_RECORDS_BACKEND")
    expect(page.locator("table")).to_contain_text(invoice.code)
    with page.expect_navigation():
        page.get_by_role("button", name="Verificar las cadenas").click()
    expect(page.locator("body")).to_contain_text("Todas las cadenas están intactas: 3 registros comprobados.")
    screenshot(page, "billing-records-es")
