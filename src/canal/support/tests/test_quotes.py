"""R2.12, R2.14: support quotes in credits; the customer accepts (credits debited through the ledger,
Assigned) or rejects (Rejected, nothing debited)."""

import pytest

from canal.billing.models import AccountKind, JournalEntry, Posting
from canal.billing.selectors import support_credit_balance
from canal.core.errors import Conflict, PermissionDenied, RuleViolation
from canal.support import tickets
from canal.support.models import TicketStatus
from canal.support.tests.conftest import customer_actor


def test_r2_12_customer_accepts_quote_and_credits_are_debited(desk, api_as):
    desk.credits(100)
    ticket = desk.quoted()  # configuration, unlicensed: 25 credits
    api = api_as(desk.customer)

    answer = api.post(f"/support/tickets/{ticket.pk}/accept", {"credits": 25})

    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == TicketStatus.ASSIGNED
    assert answer.json()["charged_credits"] == 25
    assert answer.json()["balance"] == 75
    assert support_credit_balance(desk.customer.organisation) == 75
    entry = JournalEntry.objects.get(document_type="support.ticket", document_id=str(ticket.pk))
    assert entry.postings.get(account__kind=AccountKind.SUPPORT_CREDITS).amount == -25


def test_r2_12_accept_with_too_few_credits_is_refused_with_a_link_to_buy_and_nothing_debited(desk, api_as):
    desk.credits(10)
    ticket = desk.quoted()  # 25 credits
    api = api_as(desk.customer)

    answer = api.post(f"/support/tickets/{ticket.pk}/accept", {"credits": 25})

    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "insufficient_credits"
    assert "10" in body["message"]
    assert "25" in body["message"]
    assert "support pack" in body["suggestion"]
    assert support_credit_balance(desk.customer.organisation) == 10
    assert not Posting.objects.filter(entry__document_type="support.ticket").exists()
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.PENDING
    assert ticket.charged_credits == 0


def test_r2_12_customer_rejects_the_quote_and_nothing_is_debited(desk, api_as):
    desk.credits(100)
    ticket = desk.quoted()

    answer = api_as(desk.customer).post(f"/support/tickets/{ticket.pk}/reject", {"reason": "Solved it"})

    assert answer.json()["status"] == TicketStatus.REJECTED
    assert support_credit_balance(desk.customer.organisation) == 100


def test_r2_12_a_new_ticket_is_pending_and_cannot_be_accepted_before_a_quote(desk):
    desk.credits(100)
    ticket = desk.open()
    assert ticket.status == TicketStatus.PENDING
    assert ticket.quoted_credits is None
    with pytest.raises(Conflict) as refused:
        tickets.accept_quote(actor=desk.customer, ticket_id=ticket.pk)
    assert refused.value.code == "not_quoted"


def test_r2_12_accepting_a_quote_that_changed_meanwhile_is_refused(desk):
    desk.credits(100)
    ticket = desk.quoted()
    tickets.quote_ticket(actor=desk.agent, ticket_id=ticket.pk, credits=40, reason="Two servers involved")
    with pytest.raises(Conflict) as refused:
        tickets.accept_quote(actor=desk.customer, ticket_id=ticket.pk, credits=25)
    assert refused.value.code == "quote_changed"
    assert support_credit_balance(desk.customer.organisation) == 100


def test_r2_12_another_customer_cannot_see_or_accept_the_ticket(desk, api_as):
    desk.credits(100)
    ticket = desk.quoted()
    stranger = customer_actor()
    api = api_as(stranger)

    assert api.get(f"/support/tickets/{ticket.pk}").status_code == 404
    assert api.post(f"/support/tickets/{ticket.pk}/accept", {}).status_code == 404
    assert support_credit_balance(desk.customer.organisation) == 100


def test_r2_12_only_support_quotes(desk):
    ticket = desk.open()
    with pytest.raises(PermissionDenied):
        tickets.quote_ticket(actor=desk.customer, ticket_id=ticket.pk)


def test_r2_12_support_refusing_an_accepted_ticket_gives_the_credits_back_through_the_ledger(desk, api_as):
    desk.credits(100)
    ticket = desk.quoted()
    tickets.accept_quote(actor=desk.customer, ticket_id=ticket.pk)

    answer = api_as(desk.vendor_agent).post(
        f"/support/tickets/{ticket.pk}/refuse", {"reason": "Not our product"}
    )

    assert answer.json()["status"] == TicketStatus.REJECTED
    assert answer.json()["refunded_credits"] == 25
    assert support_credit_balance(desk.customer.organisation) == 100
    entries = JournalEntry.objects.filter(document_type="support.ticket", document_id=str(ticket.pk))
    assert entries.count() == 2  # the debit and its reversal; no balance was edited


def test_r2_14_default_quote_is_the_category_cost_for_licensed_and_unlicensed(desk):
    unlicensed = desk.quoted()
    assert unlicensed.quoted_credits == 25
    assert not unlicensed.licensed
    desk.license()
    licensed = desk.quoted()
    assert licensed.quoted_credits == 10
    assert licensed.licensed


def test_r2_14_a_quote_other_than_the_category_cost_needs_a_reason(desk):
    ticket = desk.open()
    with pytest.raises(RuleViolation) as refused:
        tickets.quote_ticket(actor=desk.agent, ticket_id=ticket.pk, credits=60)
    assert refused.value.code == "quote_reason_required"
    ticket.refresh_from_db()
    assert ticket.quoted_credits is None


def test_r2_12_ledger_lines_read_in_the_customers_language_whoever_moves_the_credits(desk, api_as):
    # The customer reads Spanish; the agent who refuses the ticket works in English (active here).
    ticket = desk.quoted()
    desk.credits(100)
    tickets.accept_quote(actor=desk.customer, ticket_id=ticket.pk)
    tickets.refuse_ticket(actor=desk.agent, ticket_id=ticket.pk, reason="Duplicate")

    movements = api_as(desk.customer, language="es").get("/billing/wallet/movements").json()["results"]

    memos = [row["memo"] for row in movements if row["currency"] == "CRD"]
    assert "Se han añadido 25 créditos de soporte" in memos
    assert "Se han gastado 25 créditos de soporte" in memos
