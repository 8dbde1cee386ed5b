"""The seat-license journey in a real browser: assign, blocked assign, buy, release (R3.1-R3.6)."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from canal.accounts.tests.factories import PASSWORD
from canal.billing.periods import add_months
from canal.billing.tests.helpers import fund_wallet
from canal.subscriptions.seat_billing import bill_next_cycle_for
from canal.subscriptions.tests.factories import crm_with_seats

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _this_month() -> tuple[date, date]:
    start = timezone.localdate().replace(day=1)
    return start, add_months(start, 1)


def test_r3_3_r3_4_r3_6_assign_blocked_buy_and_release_in_the_portal(
    live_server, open_portal, log_in, screenshot
):
    crm = crm_with_seats({"base": 1, "voip": 1, "messaging": 0, "gsm": 0})
    crm.subscription.term_start, crm.subscription.term_end = _this_month()
    crm.subscription.save()
    bill_next_cycle_for(crm.subscription)
    fund_wallet(crm.customer, "200.00")
    ana, bea = crm.new_user("ana@norte.test"), crm.new_user("bea@norte.test")
    ana.full_name, bea.full_name = "Ana Ruiz", "Bea Soto"
    ana.save()
    bea.save()

    page = open_portal("login", locale="en-GB")
    log_in(page, crm.admin.user.email, PASSWORD)
    page.goto(f"{live_server.url}/licenses/{crm.subscription.pk}/users/")
    ana_row, bea_row = page.locator(f"#seat-user-{ana.pk}"), page.locator(f"#seat-user-{bea.pk}")
    expect(ana_row).to_contain_text("Inactive")

    ana_row.get_by_role("switch", name="Base for Ana Ruiz").check()  # R3.1, R3.5
    expect(page.locator(f"#seat-user-{ana.pk}")).to_contain_text("Active")
    bea_base = page.locator(f"#seat-user-{bea.pk}").get_by_role("switch", name="Base for Bea Soto")
    expect(bea_base).to_be_disabled()  # R3.3: no free Base license left
    expect(bea_row.locator(".blocked-hint").first).to_contain_text("Buy here")
    screenshot(page, "seats-blocked")

    bea_row.locator(".blocked-hint a").first.click()
    page.locator("tr[data-license-type=base] button", has_text="+").click()
    expect(page.locator("tr[data-license-type=base] output")).to_have_text("1")
    expect(page.locator(".purchase-summary")).to_contain_text("To pay today")
    screenshot(page, "seats-purchase-summary")
    with page.expect_navigation():
        page.locator(".purchase-summary button[name=buy]", has_text="Buy for").click()  # R3.4
    expect(page.locator(".notice-success")).to_contain_text("ready to assign")
    expect(page.locator("tr[data-license-type=base]")).to_contain_text("2")
    screenshot(page, "seats-bought")

    page.goto(f"{live_server.url}/licenses/{crm.subscription.pk}/users/")
    page.locator(f"#seat-user-{bea.pk}").get_by_role("switch", name="Base for Bea Soto").check()
    expect(page.locator(f"#seat-user-{bea.pk}")).to_contain_text("Active")
    page.locator(f"#seat-user-{ana.pk}").get_by_role("switch", name="Base for Ana Ruiz").uncheck()  # R3.6
    expect(page.locator(f"#seat-user-{ana.pk}")).to_contain_text("Inactive")
    screenshot(page, "seats-released")
    assert crm.pool("base").assigned == 1
    assert crm.pool("base").total == 2
