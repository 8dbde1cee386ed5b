"""The SLA sweep (R5.6): flags each warning and each missed phase of an open ticket exactly once and
escalates them to the vendor's escalation contacts, in the app and by e-mail.

Set-based, so its number of queries does not grow with the number of tickets: one
``INSERT ... SELECT ... ON CONFLICT DO NOTHING RETURNING`` per phase and kind picks the tickets and
flags them, then one query reads the flagged tickets and escalation.py tells everyone in a fixed number
of queries. The unique constraints on `SlaBreach` (per ticket, phase and kind; for timely updates per
missed due time) make a flag happen once however many workers sweep at the same moment, and the whole
sweep is one transaction: a flag is never kept without its escalation.

A paused ticket (waiting for the customer) is never flagged. Phases are met as sla.phase_met says;
a warning is raised between its warning time and its due time.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection, models, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from canal.support import escalation
from canal.support.models import SlaBreach, SlaEventKind, SlaPhase, Ticket, TicketStatus

# A ticket support is working on; WAITING is left out: its clock is paused.
RUNNING = (TicketStatus.PENDING, TicketStatus.ASSIGNED, TicketStatus.REOPENED)
NOT_MET = {
    SlaPhase.FIRST_RESPONSE: Q(first_response_at__isnull=True),
    SlaPhase.DETERMINATION: Q(status=TicketStatus.PENDING),
    SlaPhase.RESOLUTION: Q(),
    SlaPhase.UPDATE: Q(),
}


def _candidates(phase: str, kind: str, now: datetime) -> QuerySet[Ticket]:
    due = f"{phase}_due_at"
    rows = Ticket.objects.filter(NOT_MET[phase], status__in=RUNNING, sla_paused_at__isnull=True)
    if kind == SlaEventKind.WARNING:
        rows = rows.filter(**{f"{phase}_warn_at__lte": now, f"{due}__gt": now})
    else:
        rows = rows.filter(**{f"{due}__lte": now})
    flagged = SlaBreach.objects.filter(ticket=OuterRef("pk"), phase=phase, kind=kind)
    if phase == SlaPhase.UPDATE:
        flagged = flagged.filter(due_at=OuterRef(due))  # one flag per missed update
    return rows.exclude(Exists(flagged)).order_by()


def _flag(phase: str, kind: str, now: datetime) -> list[escalation.Flagged]:
    """Inserts the flags of one phase and kind; returns those this call inserted (not another worker)."""
    due = F(f"{phase}_warn_at" if kind == SlaEventKind.WARNING else f"{phase}_due_at")
    rows = _candidates(phase, kind, now).annotate(
        flag_ticket=F("pk"),
        flag_phase=Value(phase, output_field=models.CharField()),
        flag_kind=Value(kind, output_field=models.CharField()),
        flag_due=due,
        flag_at=Value(now, output_field=models.DateTimeField()),
    )
    select, params = rows.values_list(
        "flag_ticket", "flag_phase", "flag_kind", "flag_due", "flag_at"
    ).query.sql_with_params()
    table = SlaBreach._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (ticket_id, phase, kind, due_at, flagged_at) {select} "
            "ON CONFLICT DO NOTHING RETURNING ticket_id, due_at",
            params,
        )
        inserted = cursor.fetchall()
    return [escalation.Flagged(ticket_id, phase, kind, _aware(value)) for ticket_id, value in inserted]


def _aware(value: datetime | str) -> datetime:
    """SQLite hands RETURNING timestamps back as text; PostgreSQL as aware datetimes."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


EVENTS = [
    *(
        (phase, SlaEventKind.WARNING)
        for phase in (SlaPhase.FIRST_RESPONSE, SlaPhase.DETERMINATION, SlaPhase.RESOLUTION)
    ),
    *((phase, SlaEventKind.BREACH) for phase in SlaPhase.values),
]


def flag_sla_breaches(*, now: datetime | None = None) -> int:
    """Flags and escalates every warning reached and every phase missed by ``now``; returns how many
    flags this sweep added."""
    now = now or timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Each flagging statement inserts into the table its "not flagged yet" check reads. Planned
            # as a nested loop (as PostgreSQL does when the statistics say few flags exist), every
            # ticket rescans the rows inserted so far: quadratic in a burst. A hash anti-join reads the
            # flags once per statement, whatever the statistics say.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_nestloop = off")
        flagged = [event for phase, kind in EVENTS for event in _flag(phase, kind, now)]
        if flagged:
            escalation.escalate(flagged)
    return len(flagged)
