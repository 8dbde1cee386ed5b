"""Partner intake in a real browser (screenshots in artifacts/screenshots/): the partner's legal
representative fills the form for its large-account client and sees S1-Critical and the due times on the
new ticket (R5.7); a colleague it did not allow reads why the priority centre refuses it (R5.8)."""

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from canal.accounts.tests.factories import PASSWORD
from canal.support.models import Ticket
from canal.support.tests.intake_setup import intake  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _page(new_context: Any, live_server: Any, log_in: Any, email: str) -> Any:
    page = new_context(locale="en-GB", viewport={"width": 1280, "height": 800}).new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    log_in(page, email, PASSWORD)
    page.goto(f"{live_server.url}{reverse('support:intake')}")
    return page


def _fill(page: Any, intake: Any, centre: str) -> None:  # noqa: F811
    page.check(f"input[name=centre][value={centre}]")
    page.select_option("#id_product", str(intake.product.pk))
    page.fill("#id_account_ref", "ORG-4711")
    page.fill("#id_subject", "All users locked out")
    page.fill("#id_description", "Since 9:00 nobody can log in.")


def test_r5_7_a_partner_opens_a_ticket_for_a_large_account_and_sees_s1_and_its_due_times(
    intake: Any,  # noqa: F811
    live_server: Any,
    new_context: Any,
    log_in: Any,
    screenshot: Any,
) -> None:
    page = _page(new_context, live_server, log_in, intake.partner.user.email)
    _fill(page, intake, "priority")
    screenshot(page, "support-intake-form-en")

    with page.expect_navigation():
        page.click("main form.ticket-form button[type=submit]")

    expect(page.locator("dl.facts")).to_contain_text("S1-Critical")
    for phase in ("first_response", "determination", "resolution"):
        expect(page.locator(f".sla-phase[data-phase={phase}]")).to_contain_text("due by")
    screenshot(page, "support-intake-ticket-en")
    assert Ticket.objects.get().requester == intake.partner.user


def test_r5_8_a_colleague_not_allowed_reads_why_and_sends_through_the_general_form(
    intake: Any,  # noqa: F811
    live_server: Any,
    new_context: Any,
    log_in: Any,
) -> None:
    page = _page(new_context, live_server, log_in, intake.colleague.user.email)
    expect(page.locator(".notice-warning")).to_contain_text("general partner form")
    _fill(page, intake, "priority")

    page.click("main form.ticket-form button[type=submit]")

    expect(page.locator("main")).to_contain_text("has not given you access to priority support")
    assert not Ticket.objects.exists()
    _fill(page, intake, "general")
    with page.expect_navigation():
        page.click("main form.ticket-form button[type=submit]")
    expect(page.locator("dl.facts")).to_contain_text("S1-Critical")
