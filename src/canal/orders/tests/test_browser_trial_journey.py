"""The whole journey in a real browser: a partner orders a trial, the vendor provisions it, the partner
converts it with the same e-mail, the customer gets the e-mails and the invoice is issued (R1.7-R1.12,
R1.17, R1.9)."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from canal.accounts.models import Role
from canal.accounts.tests.factories import PASSWORD, MembershipFactory
from canal.billing.models import Invoice
from canal.orders.models import Order, OrderKind, OrderStatus
from canal.subscriptions.models import Subscription, SubscriptionStatus

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def settled(page):
    expect(page.locator(".htmx-request, .htmx-settling, .htmx-swapping, .htmx-added")).to_have_count(0)


def test_r1_17_r1_9_r1_12_trial_provisioned_converted_and_invoiced_in_the_browser(
    live_server, marketplace, new_context, log_in, screenshot
):
    def shot(page, name):
        page.evaluate("window.scrollTo(0, 0)")  # a sticky header is drawn where the page was scrolled to
        screenshot(page, name)

    partner_user = MembershipFactory(
        organisation=marketplace.partner.organisation, role=Role.LEGAL_REPRESENTATIVE, user__language="en"
    ).user
    vendor_user = marketplace.vendor_actor.user
    marketplace.client.name = "Construcciones Ibéricas S.A."
    marketplace.client.save(update_fields=["name"])

    def browser_as(user):
        page = new_context(locale="en-GB", viewport={"width": 1280, "height": 800}).new_page()
        page.goto(f"{live_server.url}{reverse('login')}")
        log_in(page, user.email, PASSWORD)
        return page

    # 1. The partner orders a trial for its client.
    partner = browser_as(partner_user)
    partner.goto(f"{live_server.url}{reverse('orders:checkout')}?kind=trial")
    partner.click("label.choice-card:has-text('Business')")
    settled(partner)
    partner.check("input[name=add_ons][value=marketing-pack]")
    settled(partner)
    partner.fill("input[name=end_customer_name]", "Marta Ruiz")
    partner.fill("input[name=end_customer_email]", "marta@ibericas.example")
    partner.check("input[name=notify_me]")
    partner.check("input[name=accept_terms]")
    settled(partner)
    expect(partner.locator("#checkout-summary")).to_contain_text("Free for 30 days")
    shot(partner, "orders-1-trial-checkout")
    partner.click("button[name=place]")
    expect(partner.locator(".notice-success")).to_contain_text("within 48 business hours")
    expect(partner.locator("h1")).to_contain_text("ORD-")
    shot(partner, "orders-2-trial-placed")
    trial_order = Order.objects.get(kind=OrderKind.TRIAL)

    # 2. The vendor provisions it from its queue.
    vendor = browser_as(vendor_user)
    vendor.goto(f"{live_server.url}{reverse('orders:provisioning_queue')}")
    expect(vendor.locator("table")).to_contain_text("marta@ibericas.example")
    shot(vendor, "orders-3-vendor-provisioning-queue")
    vendor.click(f"text={trial_order.reference}")
    vendor.fill("input[name=vendor_account_id]", "TW-48151")
    shot(vendor, "orders-4-vendor-provisioning-request")
    vendor.click("button[name=complete]")
    expect(vendor.locator(".notice-success")).to_contain_text("processed")
    trial = Subscription.objects.get(pk=trial_order.subscription_id)
    assert trial.status == SubscriptionStatus.TRIAL

    # 3. The partner converts the trial with the same e-mail: a new order keeping the account.
    partner.goto(f"{live_server.url}{reverse('lifecycle:detail', args=[trial.pk])}")
    expect(partner.locator(".facts")).to_contain_text("TW-48151")
    shot(partner, "orders-5-trial-subscription")
    partner.click("[data-action=convert]")
    expect(partner.locator("input[name=vendor_account_id]")).to_have_value("TW-48151")
    expect(partner.locator("input[name=end_customer_email]")).to_have_value("marta@ibericas.example")
    expect(partner.locator("input[name=add_ons][value=marketing-pack]")).to_be_checked()
    partner.fill("#id_quantity", "20")
    settled(partner)
    partner.select_option("#id_package", "onboarding-i")
    settled(partner)
    partner.fill("input[name=contract_id]", "NUBE-2026-042")
    partner.check("input[name=accept_terms]")
    settled(partner)
    expect(partner.locator("[data-testid=checkout-total]")).to_have_text(re.compile(r"\d"))
    shot(partner, "orders-6-conversion-checkout")
    partner.click("button[name=place]")
    expect(partner.locator("h1")).to_contain_text("ORD-")
    conversion = Order.objects.get(kind=OrderKind.CONVERSION)
    assert conversion.subscription_id == trial.pk

    # 4. The vendor completes the conversion; the invoice is there and the order processed.
    vendor.goto(
        f"{live_server.url}{reverse('orders:provisioning_detail', args=[conversion.provisioning.pk])}"
    )
    expect(vendor.locator("input[name=vendor_account_id]")).to_have_value("TW-48151")
    vendor.click("button[name=complete]")
    expect(vendor.locator(".notice-success")).to_be_visible()

    partner.goto(f"{live_server.url}{reverse('orders:detail', args=[conversion.pk])}")
    expect(partner.locator("h1 .badge")).to_have_text("Processed")
    expect(partner.locator(".timeline")).to_contain_text("The vendor provisioned it")
    shot(partner, "orders-7-conversion-processed")
    partner.goto(f"{live_server.url}{reverse('orders:list')}")
    expect(partner.locator(".order-table")).to_contain_text("Trial conversion")
    shot(partner, "orders-8-order-list")

    conversion.refresh_from_db()
    trial.refresh_from_db()
    assert conversion.status == OrderStatus.COMPLETED
    assert trial.status == SubscriptionStatus.ACTIVE
    assert trial.vendor_account_id == "TW-48151"
    invoice = Invoice.objects.get(pk=conversion.invoice_id)
    assert invoice.code
    assert invoice.reference == "NUBE-2026-042"
    to_customer = [message for message in mail.outbox if message.to == ["marta@ibericas.example"]]
    assert len(to_customer) == 2  # the trial's set-up e-mail, then the paid account's
    assert any(
        message.to == [partner_user.email] and "provisioned" in message.subject for message in mail.outbox
    )
