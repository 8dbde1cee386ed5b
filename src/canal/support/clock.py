"""Moves of the SLA clock (R5.6) inside a ticket's transaction: pause while the ticket waits for the
customer, resume (due times shifted by the pause), and what a public reply does to the clock. The caller
holds the ticket row lock; the calculations are in sla.py."""

from __future__ import annotations

from datetime import datetime

from canal.accounts.actor import Actor
from canal.support import large_accounts, sla
from canal.support.models import Ticket, TicketStatus
from canal.support.states import TICKET_MACHINE


def pause(ticket: Ticket, *, actor: Actor | None, now: datetime) -> None:
    """The ticket waits for the customer: Waiting, the clock stops at ``now``."""
    TICKET_MACHINE.transition(
        ticket,
        TicketStatus.WAITING,
        actor=actor,
        extra={"held_status": ticket.status, "sla_paused_at": now},
    )


def resume(ticket: Ticket, *, actor: Actor | None, now: datetime) -> None:
    """Back to the state it was in; every due time still ahead at the pause keeps the time it had left."""
    config = large_accounts.config_of(ticket.vendor_id)
    paused_at = ticket.sla_paused_at or now
    shifted = {} if config is None else sla.resumed_due_times(ticket, config, paused_at, now)
    TICKET_MACHINE.transition(
        ticket,
        ticket.held_status or TicketStatus.ASSIGNED,
        actor=actor,
        extra={**shifted, "held_status": "", "sla_paused_at": None},
    )


def public_reply(ticket: Ticket, *, from_support: bool, actor: Actor | None, at: datetime) -> None:
    """Support's public reply is the first response (once) and a timely update: the next one is due an
    interval later. The customer's (or partner's) reply on a waiting ticket starts the clock again."""
    if from_support:
        fields = []
        if ticket.first_response_at is None:
            ticket.first_response_at = at
            fields.append("first_response_at")
        if ticket.update_due_at is not None:
            config = large_accounts.config_of(ticket.vendor_id)
            ticket.update_due_at = None if config is None else sla.next_update_due(ticket, config, at)
            fields.append("update_due_at")
        if fields:
            ticket.save(update_fields=fields)
    elif ticket.status == TicketStatus.WAITING:
        resume(ticket, actor=actor, now=at)
