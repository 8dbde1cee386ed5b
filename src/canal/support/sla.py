"""SLA clock (R5.6): a classified ticket's first response, problem determination and resolution are due
after its severity's targets, with a warning at the lower bound, and an open ticket gets a public update
at least every so often ("timely updates"). Counted on the 24x7 clock or on the vendor's business
calendar. While the ticket waits for the customer the clock is paused; resuming moves every due time on
by the business time the pause lasted, so the time left is what it was when the ticket was put on hold.

Pure calculations on a ticket and its configuration; the services that save them are in holds.py,
classification.py, priority.py and tickets.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from canal.core.calendar import BusinessCalendar
from canal.support.models import PrioritySupport, SlaPhase, SlaTarget, Ticket, TicketStatus

# The document's S1 commitment (minutes): upper bounds as targets (3 h, 8 h, 48 h), lower bounds as
# warnings (1 h, 2 h, 24 h), on the 24x7 clock. The document asks for "timely updates" without a figure:
# every 4 hours is ours (the vendor may change it).
DOCUMENT_S1 = {
    "first_response_minutes": 180,
    "determination_minutes": 480,
    "resolution_minutes": 2880,
    "first_response_warn_minutes": 60,
    "determination_warn_minutes": 120,
    "resolution_warn_minutes": 1440,
    "update_minutes": 240,
}
PHASES = (SlaPhase.FIRST_RESPONSE, SlaPhase.DETERMINATION, SlaPhase.RESOLUTION)
DUE_FIELDS = [
    "first_response_due_at",
    "determination_due_at",
    "resolution_due_at",
    "first_response_warn_at",
    "determination_warn_at",
    "resolution_warn_at",
    "update_due_at",
]


def _clock(value: str | None) -> time | None:
    return None if value is None else time.fromisoformat(value)


def business_calendar(config: PrioritySupport) -> BusinessCalendar:
    """The vendor's business calendar; without opening hours, 24x7 in its time zone."""
    if not config.opening_hours:
        return BusinessCalendar.always_open(config.time_zone)
    hours = {
        day: (_clock(entry[0]), _clock(entry[1]))
        for day, entry in enumerate(config.opening_hours)
        if entry is not None
    }
    return BusinessCalendar.weekly(
        time_zone=config.time_zone,
        hours=hours,
        country=config.country or None,
        closed_dates=frozenset(date.fromisoformat(day) for day in config.closed_dates or ()),
    )


def clock_for(target: SlaTarget, config: PrioritySupport) -> BusinessCalendar:
    return business_calendar(config) if target.business_hours else BusinessCalendar.always_open()


def target_for(ticket: Ticket, config: PrioritySupport) -> SlaTarget | None:
    return next((t for t in config.targets.all() if t.severity == ticket.severity), None)


def _after(clock: BusinessCalendar, start: datetime, minutes: int | None) -> datetime | None:
    return None if minutes is None else clock.due_after(start, timedelta(minutes=minutes))


def due_times(target: SlaTarget, clock: BusinessCalendar, start: datetime) -> dict[str, datetime | None]:
    """Every due and warning time of ``target`` for a ticket opened at ``start``."""
    values: dict[str, datetime | None] = {}
    for phase in PHASES:
        values[f"{phase}_due_at"] = _after(clock, start, getattr(target, f"{phase}_minutes"))
        values[f"{phase}_warn_at"] = _after(clock, start, getattr(target, f"{phase}_warn_minutes"))
    values["update_due_at"] = _after(clock, start, target.update_minutes)
    return values


def set_due_times(ticket: Ticket, config: PrioritySupport) -> None:
    """Fills (or clears) the ticket's due times for its severity, counted from when it was opened."""
    target = target_for(ticket, config)
    if target is None:
        values: dict[str, datetime | None] = dict.fromkeys(DUE_FIELDS)
    else:
        values = due_times(target, clock_for(target, config), ticket.created_at)
    for field, value in values.items():
        setattr(ticket, field, value)


def next_update_due(ticket: Ticket, config: PrioritySupport, at: datetime) -> datetime | None:
    """After a public update at ``at``, when the next one is due (timely updates)."""
    target = target_for(ticket, config)
    if target is None:
        return None
    return _after(clock_for(target, config), at, target.update_minutes)


def resumed_due_times(
    ticket: Ticket, config: PrioritySupport, paused_at: datetime, now: datetime
) -> dict[str, datetime | None]:
    """The due times after a pause from ``paused_at`` to ``now``: each one still ahead when the pause
    began keeps the business time it had left; one already passed stays where it was (it was missed)."""
    target = target_for(ticket, config)
    clock = BusinessCalendar.always_open() if target is None else clock_for(target, config)
    shifted: dict[str, datetime | None] = {}
    for field in DUE_FIELDS:
        due = getattr(ticket, field)
        if due is None or due <= paused_at:
            shifted[field] = due
        else:
            shifted[field] = clock.due_after(now, clock.business_time_between(paused_at, due))
    return shifted


def phase_met(ticket: Ticket, phase: str) -> bool:
    """A phase is met when: first response, support wrote a public reply; problem determination, the
    ticket left Pending (quoted and accepted, or declined); resolution, support finished it (and nobody
    reopened it)."""
    if phase == SlaPhase.FIRST_RESPONSE:
        return ticket.first_response_at is not None
    if phase == SlaPhase.DETERMINATION:
        pending = TicketStatus.PENDING
        return not (
            ticket.status == pending
            or (ticket.status == TicketStatus.WAITING and ticket.held_status == pending)
        )
    # A reopened ticket is being resolved again.
    return ticket.status in (TicketStatus.FINISHED, TicketStatus.CLOSED)


@dataclass(frozen=True)
class PhaseState:
    """What the ticket page and API show for one phase."""

    phase: str
    label: str
    due_at: datetime | None
    warn_at: datetime | None
    met: bool
    breached: bool
    warned: bool
    remaining: timedelta | None  # time left (negative: overdue); None once met or without a due time


def phase_states(ticket: Ticket, *, now: datetime, flagged: set[tuple[str, str]]) -> list[PhaseState]:
    """The four phases with their due times and the time left. ``flagged`` holds (phase, kind) pairs
    already flagged. While paused, the time left is frozen at what it was when the pause began."""
    reference = ticket.sla_paused_at or now
    states = []
    for phase, label in SlaPhase.choices:
        due = getattr(ticket, f"{phase}_due_at")
        warn = getattr(ticket, f"{phase}_warn_at", None)
        if phase == SlaPhase.UPDATE:
            met = ticket.status not in (
                TicketStatus.PENDING,
                TicketStatus.ASSIGNED,
                TicketStatus.REOPENED,
                TicketStatus.WAITING,
            )
        else:
            met = phase_met(ticket, phase)
        remaining = None if met or due is None else due - reference
        states.append(
            PhaseState(
                phase=phase,
                label=str(label),
                due_at=due,
                warn_at=warn,
                met=met,
                breached=(phase, "breach") in flagged,
                warned=(phase, "warning") in flagged,
                remaining=remaining,
            )
        )
    return states
