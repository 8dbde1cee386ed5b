"""Billing pages in a real browser at desktop and phone widths: invoices, one invoice, the wallet, and the
operator's payment confirmation queue (R2.15, R2.16). Screenshots go to artifacts/screenshots/."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from canal.accounts.actor import actor_for
from canal.accounts.models import OrganisationKind, Role
from canal.accounts.tests.factories import PASSWORD, MembershipFactory, OrganisationFactory
from canal.billing.invoicing import Charge
from canal.billing.services import invoice_and_charge, notify_bank_transfer
from canal.billing.tests.helpers import charge, fund_wallet, spanish_vat
from canal.core.money import Money
from canal.pricing import DiscountTier, Item, VolumeDiscount, quote

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _billing_data():
    spanish_vat()
    OrganisationFactory(kind=OrganisationKind.OPERATOR, name="Canal Distribución S.L.", legal_id="B12345678")
    customer = OrganisationFactory(name="Construcciones Ibéricas S.A.", legal_id="A28000001")
    user = MembershipFactory(
        organisation=customer, role=Role.BILLING, user__language="en", user__email="billing@iberica.test"
    ).user
    fund_wallet(customer, "1500.00")
    hosting = Item(
        code="hosting",
        description="Web hosting (monthly)",
        quantity=35,
        pricing=VolumeDiscount(
            unit_price=Money("9.92", "EUR"),
            tiers=(DiscountTier(up_to=24, rate=Decimal(0)), DiscountTier(up_to=None, rate=Decimal("0.25"))),
        ),
    )
    lines = [
        Charge.from_quote_line(line)
        for line in quote([hosting], currency="EUR", partner_discount_rate=Decimal("0.20")).lines
    ]
    paid = invoice_and_charge(
        actor=None, payer=customer, charges=lines, issue_date=date(2026, 3, 2), pay_with="wallet"
    ).invoice
    due = invoice_and_charge(
        actor=None,
        payer=customer,
        charges=[
            charge("Onboarding package Jumpstart", "1450.00"),
            charge("Custom contract support", "320.00"),
        ],
        issue_date=date(2026, 3, 16),
        pay_with="bank_transfer",
        reference="CT-2026-0042",
    ).invoice
    notify_bank_transfer(
        actor=actor_for(user),
        invoice_id=due.pk,
        amount="1000.00",
        receipt=SimpleUploadedFile("receipt.pdf", b"%PDF-1.4", content_type="application/pdf"),
        reference=due.code,
    )
    return user, paid, due


def test_r2_16_a_customer_sees_its_invoices_pays_and_tops_up(live_server, open_portal, log_in, screenshot):
    user, paid, due = _billing_data()

    page = open_portal("login", locale="en-GB")
    log_in(page, user.email, PASSWORD)
    page.goto(f"{live_server.url}{reverse('billing:invoices')}")
    expect(page.locator("main table")).to_contain_text(due.code)
    expect(page.locator("main table")).to_contain_text(paid.code)
    screenshot(page, "billing-invoices-en")

    page.goto(f"{live_server.url}{reverse('billing:invoice', args=[paid.pk])}")
    expect(page.locator(".invoice-lines")).to_contain_text("Volume discount")
    screenshot(page, "billing-invoice-en")

    page.goto(f"{live_server.url}{reverse('billing:invoice', args=[due.pk])}")
    expect(page.locator(".pay-options")).to_be_visible()
    screenshot(page, "billing-invoice-to-pay-en")

    page.goto(f"{live_server.url}{reverse('billing:wallet')}")
    page.fill("form[action$='wallet/card/'] input[name=amount]", "200")
    with page.expect_navigation():
        page.click("form[action$='wallet/card/'] button[type=submit]")
    expect(page.locator(".notice-success")).to_be_visible()
    screenshot(page, "billing-wallet-en")


def test_r2_15_the_operator_confirms_a_notified_transfer(live_server, open_portal, log_in, screenshot):
    _user, _paid, due = _billing_data()
    operator = OrganisationFactory._meta.model.objects.get(kind=OrganisationKind.OPERATOR)
    staff = MembershipFactory(organisation=operator, role=Role.BILLING, user__language="es").user

    page = open_portal("login", locale="es-ES")
    log_in(page, staff.email, PASSWORD)
    page.goto(f"{live_server.url}{reverse('billing:payment_queue')}")
    expect(page.locator("main table")).to_contain_text(due.code)
    screenshot(page, "billing-payment-queue-es")

    with page.expect_navigation():
        page.click("main table form[action$='/confirm/'] button")
    expect(page.locator(".confirm-card")).to_contain_text(due.code)
    screenshot(page, "billing-confirm-transfer-es")
    with page.expect_navigation():
        page.click(".confirm-actions button")
    expect(page.locator(".notice-success")).to_be_visible()
    due.refresh_from_db()
    assert due.amount_paid == 1000
