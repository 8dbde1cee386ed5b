"""The support journey in a real browser, in Spanish and English, desktop and phone (screenshots in
artifacts/screenshots/): the customer reads the category's help and opens a ticket, the agent quotes, the
customer's acceptance is refused for lack of credits, it buys a pack, accepts, the agent replies and
finishes, the customer closes (R2.10-R2.14, R2.17, R2.18)."""

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from canal.accounts.models import OrganisationKind, Role
from canal.accounts.tests.factories import PASSWORD, MembershipFactory, OrganisationFactory
from canal.billing.selectors import support_credit_balance
from canal.catalog.models import TicketCategory
from canal.support.models import Ticket, TicketStatus

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

LOCALES = {"en": "en-GB", "es": "es-ES"}
MINI_PACK_PRICE = {"en": "$250.00", "es": "250,00\xa0US$"}
# Words of the other language that must not show on the pages (R2.10-R2.18: both languages complete).
FOREIGN = {"en": ("Cotización", "créditos"), "es": ("Quote", "support credits", "Your balance", "Send")}


def _people(language: str):
    operator = OrganisationFactory(kind=OrganisationKind.OPERATOR, name="Canal Distribución S.L.")
    hotel = OrganisationFactory(name="Hotel Mirador del Sur S.L.", currency="USD", language=language)
    customer = MembershipFactory(
        organisation=hotel,
        role=Role.ADMIN,
        user__language=language,
        user__email=f"hotel-{language}@canal.test",
    ).user
    agent = MembershipFactory(
        organisation=operator,
        role=Role.SUPPORT_AGENT,
        user__language=language,
        user__email=f"agent-{language}@canal.test",
        user__full_name="Andrés Soporte",
    ).user
    return hotel, customer, agent


def _log_in(new_context, live_server, log_in, user, language):
    context = new_context(locale=LOCALES[language], viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('login')}")
    log_in(page, user.email, PASSWORD)
    return page


@pytest.mark.parametrize("language", ["en", "es"])
def test_r2_12_the_support_journey_from_help_to_closed(
    language, load_catalog, live_server, new_context, log_in, screenshot
):
    load_catalog("redwall")
    hotel, customer, agent = _people(language)
    category = TicketCategory.objects.get(product__code="redwall-support", code="network-issue")
    url = live_server.url
    me = _log_in(new_context, live_server, log_in, customer, language)

    # R2.11: the category's help shows at once, before submitting.
    me.goto(f"{url}{reverse('support:new')}")
    me.select_option("#id_category", str(category.pk))
    with translation.override(language):  # the category's help in the reader's language (catalog files)
        help_text = category.shown_help
    assert language == "en" or help_text != category.help_text
    expect(me.locator("#category-help")).to_contain_text(help_text)
    screenshot(me, f"support-new-ticket-{language}")
    me.fill("#id_title", "Traffic not shaped on server1")
    me.fill("#id_description", "Since Monday the guests' plan ignores its 5 Mbps limit.")
    with me.expect_navigation():
        me.click("form.ticket-form > button[type=submit]")
    ticket = Ticket.objects.get()
    assert ticket.status == TicketStatus.PENDING

    # R2.12, R2.14: the agent quotes the category's cost (unlicensed: 50 credits).
    them = _log_in(new_context, live_server, log_in, agent, language)
    them.goto(f"{url}{reverse('support:tickets')}")
    expect(them.locator("#results-tickets")).to_contain_text(ticket.number)
    screenshot(them, f"support-queue-{language}")
    them.goto(f"{url}{reverse('support:ticket', args=[ticket.pk])}")
    expect(them.locator("#id_credits")).to_have_value("50")
    with them.expect_navigation():
        them.click("form[action$='/quote/'] button")

    # Accepting with 0 credits is refused, with a link to buy a pack.
    me.goto(f"{url}{reverse('support:ticket', args=[ticket.pk])}")
    expect(me.locator(".quote-panel")).to_contain_text("50")
    for word in FOREIGN[language]:
        expect(me.locator("main")).not_to_contain_text(word)
    with me.expect_navigation():
        me.click("form[action$='/accept/'] button")
    expect(me.locator(".notice-error")).to_be_visible()
    screenshot(me, f"support-accept-refused-{language}")
    assert support_credit_balance(hotel) == 0

    # R2.13: the Mini pack (50 credits) by card; the credits arrive at once.
    with me.expect_navigation():
        me.click(".quote-panel a[href$='/support/packs/']")
    screenshot(me, f"support-packs-{language}")
    mini = me.locator("article.pack", has_text="Mini Pack")
    with me.expect_navigation():
        mini.locator("a[role=button]").click()
    expect(me.locator(".purchase-summary")).to_contain_text(MINI_PACK_PRICE[language])
    screenshot(me, f"support-buy-pack-{language}")
    me.fill("#id_card_token", "tok_visa")
    with me.expect_navigation():
        me.click("form.pay-form button[type=submit]")
    expect(me.locator(".notice-success")).to_be_visible()
    assert support_credit_balance(hotel) == 50

    me.goto(f"{url}{reverse('support:ticket', args=[ticket.pk])}")
    with me.expect_navigation():
        me.click("form[action$='/accept/'] button")
    assert Ticket.objects.get().status == TicketStatus.ASSIGNED
    assert support_credit_balance(hotel) == 0

    # R2.17, R2.18: the agent answers in the conversation and finishes; the customer closes.
    them.goto(f"{url}{reverse('support:ticket', args=[ticket.pk])}")
    them.fill("#id_body", "The guest plan's queue had no limit; it is 5 Mbps per room again.")
    with them.expect_navigation():
        them.click("form.reply-form button[type=submit]")
    them.fill("#id_body", "Check with the switch vendor too.")
    them.check("input[name=internal]")
    with them.expect_navigation():
        them.click("form.reply-form button[type=submit]")
    screenshot(them, f"support-agent-ticket-{language}")
    for word in FOREIGN[language]:
        expect(them.locator("main")).not_to_contain_text(word)
    with them.expect_navigation():
        them.click("form[action$='/finish/'] button")

    me.goto(f"{url}{reverse('support:ticket', args=[ticket.pk])}")
    expect(me.locator(".ticket-main")).to_contain_text("5 Mbps per room again")
    expect(me.locator(".ticket-main")).not_to_contain_text("switch vendor")
    with me.expect_navigation():
        me.click("form[action$='/close/'] button")
    assert Ticket.objects.get().status == TicketStatus.CLOSED
    screenshot(me, f"support-closed-{language}")
