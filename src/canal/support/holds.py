"""Putting a ticket on hold for the customer and taking it back (R5.6): support's use cases. While the
ticket waits the SLA clock is paused; see clock.py."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.support import clock, tell
from canal.support.models import Ticket, TicketStatus
from canal.support.states import HOLDABLE
from canal.support.tickets import _after_commit, _locked, _not_in, _require_support


def put_on_hold(*, actor: Actor, ticket_id: int, now: datetime | None = None) -> Ticket:
    """Support waits for the customer (or its partner): the ticket is Waiting and its SLA clock stops.
    The customer's next public reply, or support, resumes it."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked(actor, ticket_id)
        _require_support(actor, ticket)
        if ticket.status not in HOLDABLE:
            raise _not_in(
                ticket, _("Only an open ticket can wait for the customer; ticket %(number)s is %(status)s.")
            )
        clock.pause(ticket, actor=actor, now=now)
        _after_commit(
            tell.tell,
            [ticket.requester],
            ticket=ticket,
            message=tell.WAITING,
            params={"number": ticket.number},
        )
    return ticket


def resume_ticket(*, actor: Actor, ticket_id: int, now: datetime | None = None) -> Ticket:
    """Support takes a waiting ticket back; the due times move on by the business time it waited."""
    now = now or timezone.now()
    with transaction.atomic():
        ticket = _locked(actor, ticket_id)
        _require_support(actor, ticket)
        if ticket.status != TicketStatus.WAITING:
            raise _not_in(ticket, _("Ticket %(number)s is %(status)s, not waiting for the customer."))
        clock.resume(ticket, actor=actor, now=now)
    return ticket
