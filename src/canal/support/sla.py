"""SLA due times (R5.6): a classified ticket's first response, problem determination and resolution are
due after its severity's targets, counted on the 24x7 clock or on the vendor's business calendar."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from canal.core.calendar import BusinessCalendar
from canal.support.models import PrioritySupport, SlaTarget, Ticket

# The document's S1 commitment, upper bounds as targets (minutes): 3 h, 8 h, 48 h on the 24x7 clock.
DOCUMENT_S1 = {"first_response_minutes": 180, "determination_minutes": 480, "resolution_minutes": 2880}
DUE_FIELDS = ["first_response_due_at", "determination_due_at", "resolution_due_at"]


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
    return BusinessCalendar.weekly(time_zone=config.time_zone, hours=hours, country=config.country or None)


def due_times(target: SlaTarget, calendar: BusinessCalendar, start: datetime) -> dict[str, datetime]:
    clock = calendar if target.business_hours else BusinessCalendar.always_open()
    return {
        "first_response_due_at": clock.due_after(start, timedelta(minutes=target.first_response_minutes)),
        "determination_due_at": clock.due_after(start, timedelta(minutes=target.determination_minutes)),
        "resolution_due_at": clock.due_after(start, timedelta(minutes=target.resolution_minutes)),
    }


def set_due_times(ticket: Ticket, config: PrioritySupport) -> None:
    """Fills (or clears) the ticket's due times for its severity, counted from when it was opened."""
    target = next((t for t in config.targets.all() if t.severity == ticket.severity), None)
    if target is None:
        values: dict[str, datetime | None] = dict.fromkeys(DUE_FIELDS)
    else:
        values = dict(due_times(target, business_calendar(config), ticket.created_at))
    for field, value in values.items():
        setattr(ticket, field, value)
