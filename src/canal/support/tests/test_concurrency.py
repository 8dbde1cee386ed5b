"""Credits under concurrency, on PostgreSQL with real parallel connections: the ticket row and the
credit account are locked, so nothing is debited twice and no balance goes below zero."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from canal.accounts.models import OrganisationKind, Role
from canal.billing import services as billing
from canal.billing.models import JournalEntry
from canal.billing.selectors import support_credit_balance
from canal.billing.tests.helpers import PNG
from canal.core.errors import CanalError
from canal.support import packs, tickets
from canal.support.models import PackPurchase, PackPurchaseStatus, TicketStatus


def _parallel(calls: list) -> list[str]:
    barrier = Barrier(len(calls))

    def run(call) -> str:
        try:
            barrier.wait()
            call()
            return "ok"
        except CanalError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r2_12_two_agents_quoting_and_the_customer_accepting_at_once_debit_exactly_once(desk, postgres_only):
    desk.credits(100)
    ticket = desk.quoted()  # 25 credits
    calls = [
        lambda: tickets.quote_ticket(actor=desk.agent, ticket_id=ticket.pk, credits=25),
        lambda: tickets.quote_ticket(actor=desk.vendor_agent, ticket_id=ticket.pk, credits=25),
        lambda: tickets.accept_quote(actor=desk.customer, ticket_id=ticket.pk, credits=25),
        lambda: tickets.accept_quote(actor=desk.customer, ticket_id=ticket.pk, credits=25),
    ]

    outcomes = _parallel(calls)

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.ASSIGNED
    assert outcomes[2:].count("ok") == 1  # one acceptance; the other finds it Assigned
    assert ticket.charged_credits == 25
    assert support_credit_balance(desk.customer.organisation) == 75
    assert (
        JournalEntry.objects.filter(document_type="support.ticket", document_id=str(ticket.pk)).count() == 1
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r2_12_accepting_many_quotes_at_once_never_takes_credits_below_zero(desk, postgres_only):
    desk.credits(60)
    quoted = [desk.quoted() for _ in range(6)]  # 6 x 25 credits, 60 held: two fit

    outcomes = _parallel(
        [
            (lambda ticket_id=ticket.pk: tickets.accept_quote(actor=desk.customer, ticket_id=ticket_id))
            for ticket in quoted
        ]
    )

    assert outcomes.count("ok") == 2
    assert outcomes.count("insufficient_credits") == 4
    assert support_credit_balance(desk.customer.organisation) == 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_r2_13_parallel_workers_credit_a_confirmed_pack_once(desk, make_actor, postgres_only):
    purchase = packs.buy_pack(actor=desk.customer, pack_id=desk.pack("basic").pk, pay_with="bank_transfer")
    receipt = SimpleUploadedFile("receipt.png", PNG, content_type="image/png")
    payment = billing.notify_bank_transfer(
        actor=desk.customer, invoice_id=purchase.invoice_id, amount=None, receipt=receipt
    )
    billing.confirm_payment(actor=make_actor(OrganisationKind.OPERATOR, Role.BILLING), payment_id=payment.pk)

    _parallel([packs.credit_paid_packs for _ in range(4)])

    purchase.refresh_from_db()
    assert purchase.status == PackPurchaseStatus.CREDITED
    assert PackPurchase.objects.count() == 1
    assert support_credit_balance(desk.customer.organisation) == 100
    assert JournalEntry.objects.filter(document_type="support.pack").count() == 1
