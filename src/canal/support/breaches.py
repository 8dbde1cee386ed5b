"""The SLA sweep (R5.6): flags each missed phase of an open ticket exactly once and escalates it to the
vendor's support agents and administrators, in the app and by e-mail.

A phase is met when: first response, support wrote a public reply; problem determination, the ticket
left Pending; resolution, support finished it. Flagging inserts one `SlaBreach` per (ticket, phase) under a
unique constraint, so however many workers run the sweep a breach is flagged and escalated once.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from canal.support import tell
from canal.support.models import MessageKind, SlaBreach, SlaPhase, Ticket, TicketMessage, TicketStatus
from canal.support.selectors import agents_for

OPEN = (TicketStatus.PENDING, TicketStatus.ASSIGNED, TicketStatus.REOPENED)
BATCH = 500


def _missed(phase: str, now: datetime):
    answered = Exists(
        TicketMessage.objects.filter(ticket=OuterRef("pk"), from_support=True, kind=MessageKind.PUBLIC)
    )
    flagged = Exists(SlaBreach.objects.filter(ticket=OuterRef("pk"), phase=phase))
    rows = Ticket.objects.filter(status__in=OPEN).exclude(flagged)
    if phase == SlaPhase.FIRST_RESPONSE:
        return rows.filter(first_response_due_at__lte=now).exclude(answered), "first_response_due_at"
    if phase == SlaPhase.DETERMINATION:
        return rows.filter(
            Q(determination_due_at__lte=now), status=TicketStatus.PENDING
        ), "determination_due_at"
    return rows.filter(resolution_due_at__lte=now), "resolution_due_at"


def flag_sla_breaches(*, now: datetime | None = None) -> int:
    """Flags and escalates every phase missed by ``now``; returns how many were flagged."""
    now = now or timezone.now()
    flagged = 0
    for phase in SlaPhase.values:
        rows, field = _missed(phase, now)
        for ticket in rows.select_related("vendor")[:BATCH]:
            due = getattr(ticket, field)
            try:
                with transaction.atomic():
                    SlaBreach.objects.create(ticket=ticket, phase=phase, due_at=due, flagged_at=now)
                    params = {
                        "number": ticket.number,
                        "severity": ticket.severity.upper(),  # S1: the same in every language
                        "due": due.strftime("%Y-%m-%d %H:%M UTC"),
                    }
                    agents = list(agents_for(ticket.vendor_id))
                    transaction.on_commit(
                        lambda t=ticket, a=agents, m=tell.SLA_BREACHED[phase], p=params: tell.tell(
                            a, ticket=t, message=m, params=p
                        )
                    )
            except IntegrityError:
                continue  # another worker flagged it first
            flagged += 1
    return flagged
