"""The license-server journey in a real browser: order a PRO server at a live price, pay, activate it with
the appliance simulator, see it active with its code, add a module, renew (issue 11, R2.3-R2.8)."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from canal.accounts.tests.factories import PASSWORD
from canal.core.money import Money
from canal.orders.models import Order, OrderKind
from canal.orders.services import process_paid_orders

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_r2_3_r2_5_r2_6_r2_8_order_pay_activate_add_a_module_and_renew(
    live_server, redwall, customer, open_portal, log_in, screenshot
):
    customer.user.language = "en"
    customer.user.save(update_fields=["language"])
    page = open_portal("login", locale="en-GB")
    log_in(page, customer.user.email, PASSWORD)

    # R2.5: a PRO server priced live from clients and modules.
    page.goto(f"{live_server.url}{reverse('orders:checkout')}?product=redwall-server")
    page.click("label.choice-card:has-text('PRO')")
    page.fill("#id_quantity", "250")
    page.check("input[name=modules][value=qos]")
    page.check("input[name=modules][value=firewall]")
    expect(page.locator("[data-testid=checkout-total]")).to_have_text(Money("500.00", "USD").format("en_GB"))
    with page.expect_navigation():
        page.click("button[name=place]")
    order = Order.objects.get(customer=customer.organisation, kind=OrderKind.NEW)

    page.goto(f"{live_server.url}{reverse('billing:invoice', args=[order.invoice_id])}")
    with page.expect_navigation():
        page.click("form[action$='/card/'] button[type=submit]")
    process_paid_orders()
    server_id = Order.objects.get(pk=order.pk).subscription_id

    # The activation key, shown once, and the appliance simulator using it.
    page.goto(f"{live_server.url}{reverse('licensing:detail', args=[server_id])}")
    with page.expect_navigation():
        page.click("text=Make the activation key")
    key = page.locator("[data-testid=activation-key]").inner_text().strip()
    screenshot(page, "licensing-activation-key-en")
    call_command("appliance-sim", url=live_server.url, key=key, heartbeats=2, interval=0, clients=120)

    page.goto(f"{live_server.url}{reverse('licensing:list')}")
    row = page.locator("main table tbody tr").first
    expect(row).to_contain_text("Active")
    expect(row).to_contain_text(re.compile(r"••••-••••-••••-[0-9A-F]{4}-[0-9A-F]{4}"))
    expect(row).to_contain_text("0 / 3")
    screenshot(page, "licensing-servers-en")
    page.goto(f"{live_server.url}{reverse('licensing:detail', args=[server_id])}")
    expect(page.locator("main")).to_contain_text("First activation")
    screenshot(page, "licensing-server-en")

    # R2.6: adding a module is an order.
    with page.expect_navigation():
        page.click("text=Add or remove modules")
    page.check("input[name=modules][value=hotspot]")
    page.click("text=Order the change")
    # The price preview before confirming (exact amount, then the order).
    confirm = page.locator("main form button[type=submit]", has_text="Order for")
    expect(confirm).to_be_visible()
    screenshot(page, "licensing-add-module-preview-en")
    with page.expect_navigation():
        confirm.click()
    change = Order.objects.get(customer=customer.organisation, kind=OrderKind.CHANGE)
    assert sorted(change.configuration["modules"]) == ["firewall", "hotspot", "qos"]
    page.goto(f"{live_server.url}{reverse('billing:invoice', args=[change.invoice_id])}")
    with page.expect_navigation():
        page.click("form[action$='/card/'] button[type=submit]")
    process_paid_orders()

    # R2.8: renew a year of updates: the page shows the server's data and the amount due.
    page.goto(f"{live_server.url}{reverse('licensing:detail', args=[server_id])}")
    with page.expect_navigation():
        page.click("text=Renew updates for one year")
    screenshot(page, "licensing-renew-en")
    with page.expect_navigation():
        page.click("text=Order the renewal")
    assert Order.objects.filter(customer=customer.organisation, kind=OrderKind.RENEWAL).exists()


def test_r2_3_the_servers_page_looks_right_in_spanish_on_a_phone(
    live_server, appliance, license_, customer, new_context, log_in, screenshot
):
    from canal.portal.tests.conftest import PHONE

    appliance.activate()
    appliance.heartbeat(clients_in_use=300)
    context = new_context(locale="es-ES", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    log_in(page, customer.user.email, PASSWORD)
    page.goto(f"{live_server.url}{reverse('licensing:detail', args=[license_.pk])}")
    expect(page.locator("main")).to_contain_text("Historial del código de hardware")
    screenshot(page, "licensing-server-es-phone")
