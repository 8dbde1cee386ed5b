"""The support desk's portal pages: lists by state (R2.10), the new-ticket form with the category's help
(R2.11), the ticket page with its quote and conversation (R2.12, R2.17), packs (R2.13), costs (R2.14)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from canal.billing.selectors import support_credit_balance
from canal.support import tickets
from canal.support.models import Deflection, Ticket, TicketStatus
from canal.support.tests.conftest import customer_actor


def test_r2_10_the_list_filters_by_each_state_and_all(desk, portal_login):
    desk.credits(100)
    pending = desk.quoted(title="Still pending")
    assigned = desk.quoted(title="Being worked on")
    tickets.accept_quote(actor=desk.customer, ticket_id=assigned.pk)
    client = portal_login(desk.customer.user)

    everything = client.get(reverse("support:tickets")).content.decode()
    only_assigned = client.get(reverse("support:tickets"), {"status": "assigned"}).content.decode()

    assert "Still pending" in everything
    assert "Being worked on" in everything
    assert "Being worked on" in only_assigned
    assert "Still pending" not in only_assigned
    for label in ("All", "Pending", "Assigned", "Finished", "Closed", "Reopened", "Rejected"):
        assert label in everything
    assert pending.number in everything


def test_r2_10_the_list_searches_and_the_queue_filters_by_customer(desk, portal_login):
    desk.open(title="Hotspot login loops")
    other = customer_actor(name="Camping Río")
    desk.open(customer=other, title="Firewall drops VPN")
    agent = portal_login(desk.agent.user)

    found = agent.get(reverse("support:tickets"), {"q": "hotspot"}).content.decode()
    by_customer = agent.get(reverse("support:tickets"), {"customer": other.organisation.pk}).content.decode()

    assert "Hotspot login loops" in found
    assert "Firewall drops VPN" not in found
    assert "Firewall drops VPN" in by_customer
    assert "Hotspot login loops" not in by_customer


def test_r2_11_choosing_a_category_shows_its_help_and_cost_at_once(desk, portal_login):
    category = desk.category("hardware-fault")
    client = portal_login(desk.customer.user)

    answer = client.get(reverse("support:category_help"), {"category": category.pk}, HTTP_HX_REQUEST="true")

    page = answer.content.decode()
    assert "Attach the system log" in page
    assert "30 credits" in page  # unlicensed cost
    assert "This solved it" in page


def test_r2_11_this_solved_it_records_a_deflection_and_opens_no_ticket(desk, portal_login):
    client = portal_login(desk.customer.user)
    answer = client.post(reverse("support:deflect"), {"category": desk.category().pk})
    assert answer.status_code == 302
    assert Deflection.objects.filter(organisation=desk.customer.organisation).count() == 1
    assert not Ticket.objects.exists()


def test_r2_11_a_customer_opens_a_ticket_with_an_attachment_and_it_waits_as_pending(desk, portal_login):
    client = portal_login(desk.customer.user)
    log = SimpleUploadedFile("qos.log", b"02:00 queue reset\n", content_type="text/plain")

    answer = client.post(
        reverse("support:new"),
        {
            "category": desk.category().pk,
            "title": "Queues reset at night",
            "description": "Every night at 02:00.",
            "attachment": log,
            "idempotency_key": "k1",
        },
    )

    ticket = Ticket.objects.get()
    assert answer.status_code == 302
    assert ticket.status == TicketStatus.PENDING
    assert ticket.number == f"TCK-{ticket.pk:06d}"
    assert ticket.attachments.get().name == "qos.log"


def test_r2_11_with_more_than_one_server_the_server_must_be_chosen(desk, portal_login):
    desk.license(name="server1")
    second = desk.license(name="server2")
    client = portal_login(desk.customer.user)
    fields = {"category": desk.category().pk, "title": "Slow", "description": "Very slow."}

    refused = client.post(reverse("support:new"), fields, follow=True).content.decode()
    help_page = client.get(
        reverse("support:category_help"), {"category": desk.category().pk}
    ).content.decode()
    chosen = client.post(reverse("support:new"), {**fields, "subscription": second.pk})

    assert "more than one server" in refused
    assert "server2" in help_page
    assert chosen.status_code == 302
    assert Ticket.objects.get().subscription == second


def test_r2_12_the_ticket_page_shows_the_quote_and_the_balance_and_links_to_packs(desk, portal_login):
    desk.credits(10)
    ticket = desk.quoted()  # 25
    client = portal_login(desk.customer.user)

    page = client.get(reverse("support:ticket", args=[ticket.pk])).content.decode()
    refused = client.post(reverse("support:accept", args=[ticket.pk]), {"credits": "25"}, follow=True)

    assert "25 support credits" in page
    assert "Your balance: 10 support credits" in page
    assert reverse("support:packs") in page
    assert "holds 10 support credits but this ticket costs 25" in refused.content.decode()
    assert support_credit_balance(desk.customer.organisation) == 10


def test_r2_12_another_customers_ticket_page_is_404(desk, portal_login):
    ticket = desk.open()
    stranger = portal_login(customer_actor().user)
    assert stranger.get(reverse("support:ticket", args=[ticket.pk])).status_code == 404
    assert stranger.post(reverse("support:reject", args=[ticket.pk])).status_code == 404


def test_r2_13_the_packs_page_shows_each_pack_with_its_credits_and_price(desk, portal_login):
    page = portal_login(desk.customer.user).get(reverse("support:packs")).content.decode()
    for name, credits in (("Savings Pack", "200"), ("Basic Pack", "100"), ("Mini Pack", "50")):
        assert name in page
        assert f"{credits} credits" in page
    assert "$250.00" in page


def test_r2_14_the_cost_table_lists_title_description_and_both_costs(desk, portal_login):
    page = portal_login(desk.customer.user).get(reverse("support:costs")).content.decode()
    assert "Network or performance problem" in page
    assert "Slowness, dropped connections" in page
    assert "25 credits" in page
    assert "50 credits" in page


def test_r2_17_internal_notes_never_reach_the_customers_page(desk, portal_login):
    ticket = desk.open()
    tickets.reply(actor=desk.agent, ticket_id=ticket.pk, body="Customer's config looks odd", internal=True)
    tickets.reply(actor=desk.agent, ticket_id=ticket.pk, body="Please send the log.")

    customer_page = (
        portal_login(desk.customer.user).get(reverse("support:ticket", args=[ticket.pk])).content.decode()
    )

    assert "Please send the log." in customer_page
    assert "config looks odd" not in customer_page
