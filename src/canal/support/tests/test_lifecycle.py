"""R2.10, R2.18: the ticket's states and who moves it: support finishes, the customer closes (or it closes
by itself after 7 quiet days), the customer reopens within 30 days at no new cost; rejected and closed
tickets take no replies."""

from datetime import timedelta

import pytest
from django.utils import timezone

from canal.billing.selectors import support_credit_balance
from canal.core.errors import IllegalTransition, PermissionDenied, RuleViolation
from canal.core.models import AuditEntry
from canal.support import tickets
from canal.support.models import Ticket, TicketStatus


@pytest.fixture
def assigned(desk) -> Ticket:
    desk.credits(100)
    ticket = desk.quoted()
    return tickets.accept_quote(actor=desk.customer, ticket_id=ticket.pk)


def _finished(desk, ticket: Ticket, days_ago: int = 0) -> Ticket:
    tickets.finish_ticket(actor=desk.agent, ticket_id=ticket.pk)
    if days_ago:
        Ticket.objects.filter(pk=ticket.pk).update(finished_at=timezone.now() - timedelta(days=days_ago))
    ticket.refresh_from_db()
    return ticket


def test_r2_10_every_state_change_is_audited(desk, assigned):
    _finished(desk, assigned)
    tickets.close_ticket(actor=desk.customer, ticket_id=assigned.pk)
    actions = list(
        AuditEntry.objects.filter(object_type="support.ticket", object_id=str(assigned.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "ticket.opened",
        "ticket.quoted",
        "ticket.assigned",
        "ticket.finished",
        "ticket.closed",
    ]


def test_r2_10_the_api_lists_by_each_state_and_all_with_counts(desk, assigned, api_as):
    desk.open(title="Waiting")
    api = api_as(desk.customer)

    all_rows = api.get("/support/tickets").json()["results"]
    pending = api.get("/support/tickets", status="pending").json()["results"]
    counts = api.get("/support/tickets/counts").json()

    assert len(all_rows) == 2
    assert [row["title"] for row in pending] == ["Waiting"]
    assert counts == {
        "all": 2,
        "pending": 1,
        "assigned": 1,
        "finished": 0,
        "closed": 0,
        "reopened": 0,
        "rejected": 0,
    }


def test_r2_10_an_illegal_move_is_a_clear_error(desk, assigned):
    with pytest.raises(IllegalTransition) as refused:
        tickets.close_ticket(actor=desk.customer, ticket_id=assigned.pk)
    assert "assigned" in str(refused.value.message)


def test_r2_18_support_finishes_and_the_customer_confirms_it_closed(desk, assigned, api_as):
    finished = api_as(desk.agent).post(f"/support/tickets/{assigned.pk}/finish")
    closed = api_as(desk.customer).post(f"/support/tickets/{assigned.pk}/close")
    assert finished.json()["status"] == TicketStatus.FINISHED
    assert closed.json()["status"] == TicketStatus.CLOSED


def test_r2_18_only_support_finishes_and_only_the_customer_closes(desk, assigned):
    with pytest.raises(PermissionDenied):
        tickets.finish_ticket(actor=desk.customer, ticket_id=assigned.pk)
    _finished(desk, assigned)
    with pytest.raises(PermissionDenied):
        tickets.close_ticket(actor=desk.agent, ticket_id=assigned.pk)


def test_r2_18_a_finished_ticket_closes_by_itself_after_7_days_without_reply(desk, assigned):
    _finished(desk, assigned, days_ago=8)
    other = desk.quoted()
    tickets.accept_quote(actor=desk.customer, ticket_id=other.pk)
    _finished(desk, other, days_ago=3)

    assert tickets.close_quiet_tickets() == 1

    assigned.refresh_from_db()
    other.refresh_from_db()
    assert assigned.status == TicketStatus.CLOSED
    assert other.status == TicketStatus.FINISHED


def test_r2_18_a_reply_restarts_the_7_days(desk, assigned):
    _finished(desk, assigned, days_ago=8)
    tickets.reply(actor=desk.customer, ticket_id=assigned.pk, body="Not quite: it happened again.")
    assert tickets.close_quiet_tickets() == 0


def test_r2_18_the_customer_reopens_within_30_days_at_no_new_cost(desk, assigned, api_as):
    _finished(desk, assigned, days_ago=29)
    tickets.close_ticket(actor=desk.customer, ticket_id=assigned.pk)
    before = support_credit_balance(desk.customer.organisation)

    answer = api_as(desk.customer).post(f"/support/tickets/{assigned.pk}/reopen")

    assert answer.json()["status"] == TicketStatus.REOPENED
    assert support_credit_balance(desk.customer.organisation) == before
    assert answer.json()["charged_credits"] == 25  # what the first acceptance debited, nothing more


def test_r2_18_reopening_after_30_days_is_refused(desk, assigned):
    _finished(desk, assigned, days_ago=31)
    with pytest.raises(RuleViolation) as refused:
        tickets.reopen_ticket(actor=desk.customer, ticket_id=assigned.pk)
    assert refused.value.code == "reopen_window_over"
    assert "new ticket" in str(refused.value.message)


def test_r2_18_a_reopened_ticket_is_finished_again_by_support(desk, assigned):
    _finished(desk, assigned)
    tickets.reopen_ticket(actor=desk.customer, ticket_id=assigned.pk)
    again = tickets.finish_ticket(actor=desk.vendor_agent, ticket_id=assigned.pk)
    assert again.status == TicketStatus.FINISHED


@pytest.mark.parametrize("end", ["closed", "rejected"])
def test_r2_18_closed_and_rejected_tickets_take_no_replies(desk, assigned, api_as, end):
    if end == "closed":
        _finished(desk, assigned)
        tickets.close_ticket(actor=desk.customer, ticket_id=assigned.pk)
    else:
        tickets.refuse_ticket(actor=desk.agent, ticket_id=assigned.pk, reason="Duplicate of another ticket")

    answer = api_as(desk.customer).post(f"/support/tickets/{assigned.pk}/replies", {"body": "Hello?"})

    assert answer.status_code == 409
    assert answer.json()["code"] == "closed_for_replies"
    assert not assigned.messages.exists()


def test_r2_10_support_assigns_an_open_ticket_but_not_a_rejected_one(desk, assigned, api_as):
    support = api_as(desk.agent)

    answer = support.post(f"/support/tickets/{assigned.pk}/assign", {"agent_id": desk.vendor_agent.user.pk})
    assert answer.status_code == 200
    tickets.refuse_ticket(actor=desk.agent, ticket_id=assigned.pk, reason="Duplicate of another ticket")
    refused = support.post(f"/support/tickets/{assigned.pk}/assign", {"agent_id": desk.agent.user.pk})

    assert refused.status_code == 409
    assigned.refresh_from_db()
    assert assigned.agent_id == desk.vendor_agent.user.pk
