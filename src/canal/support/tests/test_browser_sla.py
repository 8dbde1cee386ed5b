"""R5.6 in a real browser (screenshots in artifacts/screenshots/): a partner opens a ticket for a large
account and sees S1 with its three due times; the vendor's agent answers and puts it on hold for the
customer (the clock shows paused and a sweep flags nothing); taken up again, the ticket shows a breach
once the sweep runs past its due time (the sweep is run with that moment, nobody waits)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from canal.accounts.tests.factories import PASSWORD
from canal.support import breaches
from canal.support.models import SlaBreach, Ticket
from canal.support.tests.intake_setup import intake  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _logged_in(new_context, live_server, log_in, email):
    page = new_context(locale="en-GB", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    log_in(page, email, PASSWORD)
    return page


def test_r5_6_the_partners_s1_ticket_shows_due_times_pauses_and_breaches_on_time(
    intake,  # noqa: F811
    live_server,
    new_context,
    log_in,
    screenshot,
) -> None:
    partner = _logged_in(new_context, live_server, log_in, intake.partner.user.email)
    partner.goto(f"{live_server.url}{reverse('support:intake')}")
    partner.check("input[name=centre][value=priority]")
    partner.select_option("#id_product", str(intake.product.pk))
    partner.fill("#id_account_ref", "ORG-4711")
    partner.fill("#id_subject", "Nobody can log in")
    partner.fill("#id_description", "Since 09:00 every user of the customer gets an error at login.")
    with partner.expect_navigation():
        partner.click("main form button[type=submit]")
    expect(partner.locator("dl.facts")).to_contain_text("S1-Critical")
    panel = partner.locator("#sla")
    for phase in ("First response", "Problem determination", "Resolution"):
        expect(panel).to_contain_text(phase)
    expect(panel).to_contain_text("left")
    screenshot(partner, "support-sla-partner-s1")
    ticket = Ticket.objects.get()

    agent = _logged_in(new_context, live_server, log_in, intake.desk.vendor_agent.user.email)
    agent.goto(f"{live_server.url}{reverse('support:ticket', args=[ticket.pk])}")
    agent.fill("#id_body", "Which login method do your users use, SSO or password?")
    with agent.expect_navigation():
        agent.click("form.reply-form button[type=submit]")
    with agent.expect_navigation():
        agent.click(f"form[action='{reverse('support:hold', args=[ticket.pk])}'] button")
    expect(agent.locator("#sla")).to_contain_text("Clock paused")
    expect(agent.locator("#sla [data-phase=first_response]")).to_contain_text("met")
    screenshot(agent, "support-sla-paused")
    ticket.refresh_from_db()
    assert breaches.flag_sla_breaches(now=ticket.created_at + timedelta(hours=60)) == 0  # paused

    with agent.expect_navigation():
        agent.click(f"form[action='{reverse('support:resume', args=[ticket.pk])}'] button")
    ticket.refresh_from_db()
    breaches.flag_sla_breaches(now=ticket.determination_due_at + timedelta(minutes=1))
    assert SlaBreach.objects.filter(ticket=ticket, phase="determination", kind="breach").exists()
    agent.reload()
    expect(agent.locator("#sla [data-phase=determination]")).to_contain_text("breached")
    agent.goto(f"{live_server.url}{reverse('support:tickets')}?sla=breached&sort=due")
    expect(agent.locator("#results-tickets")).to_contain_text(ticket.number)
    expect(agent.locator("#results-tickets")).to_contain_text("SLA breached")
    screenshot(agent, "support-sla-breached-list")
    agent.goto(f"{live_server.url}{reverse('support:ticket', args=[ticket.pk])}")
    screenshot(agent, "support-sla-breached")

    vendor = _logged_in(new_context, live_server, log_in, intake.vendor_admin.user.email)
    vendor.goto(f"{live_server.url}{reverse('support:sla')}")
    expect(vendor.locator("input[name=s1_first_response_minutes]")).to_have_value("180")
    screenshot(vendor, "support-sla-settings")
    month = ticket.created_at.strftime("%Y-%m")
    vendor.goto(f"{live_server.url}{reverse('support:sla_report')}?month={month}")
    expect(vendor.locator("svg.report-chart")).to_be_visible()
    expect(vendor.locator("main table")).to_contain_text("Problem determination")
    screenshot(vendor, "support-sla-report")
