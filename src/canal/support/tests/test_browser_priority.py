"""Priority support in a real browser (screenshots in artifacts/screenshots/): the vendor saves its region
tiers, a large account's customer opens a ticket and sees S1-Critical and the large-account flag (R5.1,
R5.4)."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from canal.accounts.actor import actor_for
from canal.accounts.models import OrganisationKind, Role
from canal.accounts.tests.factories import PASSWORD, MembershipFactory, OrganisationFactory
from canal.catalog.models import Plan, Product, TicketCategory
from canal.subscriptions.models import Subscription, SubscriptionStatus
from canal.support import tickets

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

LOCALES = {"en": "en-GB", "es": "es-ES"}
LABELS = {
    "en": ("S1-Critical", "Priority customer: large account"),
    "es": ("S1-Crítica", "Cliente prioritario"),
}


def _page(new_context, live_server, log_in, user, language):
    page = new_context(locale=LOCALES[language], viewport={"width": 1280, "height": 800}).new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    log_in(page, user.email, PASSWORD)
    return page


@pytest.mark.parametrize("language", ["en", "es"])
def test_r5_4_a_large_account_sees_s1_on_its_new_ticket(
    language, load_catalog, live_server, new_context, log_in, screenshot
):
    vendor = load_catalog("redwall")
    admin = MembershipFactory(
        organisation=vendor, role=Role.ADMIN, user__language=language, user__email=f"v-{language}@canal.test"
    ).user
    hotel = OrganisationFactory(kind=OrganisationKind.CUSTOMER, currency="USD", language=language)
    customer = MembershipFactory(
        organisation=hotel, role=Role.ADMIN, user__language=language, user__email=f"c-{language}@canal.test"
    ).user
    server = Product.objects.get(code="redwall-server")
    Subscription.objects.create(
        customer=hotel,
        payer=hotel,
        product=server,
        plan=Plan.objects.get(product=server, code="pro"),
        quantity=120,
        currency="USD",
        status=SubscriptionStatus.ACTIVE,
        term_start=date(2026, 1, 1),
        term_end=date(2027, 1, 1),
    )

    page = _page(new_context, live_server, log_in, admin, language)
    page.goto(f"{live_server.url}{reverse('support:priority')}")
    page.fill("#id_tiers", "* 100")
    page.uncheck(f"input[name=excluded][value='{server.pk}']")
    screenshot(page, f"support-priority-config-{language}")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("#id_tiers")).to_have_value("* 100")

    ticket = tickets.open_ticket(
        actor=actor_for(customer, hotel.pk),
        category_id=TicketCategory.objects.get(product__code="redwall-support", code="network-issue").pk,
        title="All users are out",
        description="Nobody can log in since 09:00.",
    )
    me = _page(new_context, live_server, log_in, customer, language)
    me.goto(f"{live_server.url}{reverse('support:ticket', args=[ticket.pk])}")
    severity, flag = LABELS[language]
    expect(me.locator("dl.facts")).to_contain_text(severity)
    expect(me.locator("dl.facts")).to_contain_text(flag)
    screenshot(me, f"support-priority-ticket-{language}")
