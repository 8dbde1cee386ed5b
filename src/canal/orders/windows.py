"""Deadlines and periods of the order lifecycle. Pure: plain values in, plain values out, no clock.

- R1.15: an order can be cancelled within 48 hours of its placement.
- R1.12: provisioning is due 48 business hours after placement on the vendor's business calendar.
- R1.17: a trial lasts the plan's trial days from the day it is provisioned.
- R1.15: subscriptions are annual and prepaid: a term is twelve months, renewed from its end.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from canal.core.calendar import BusinessCalendar

CANCELLATION_WINDOW = timedelta(hours=48)
DEFAULT_PROVISIONING_HOURS = 48
TRIAL_WARNING_DAYS = 5
# Months of a term by the plan's billing term; annual prepaid is the default (R1.15).
TERM_MONTHS = {"annual_prepaid": 12, "monthly": 1}
DEFAULT_TERM_MONTHS = TERM_MONTHS["annual_prepaid"]


def cancellation_deadline(placed_at: datetime) -> datetime:
    """The last moment the placing side may cancel the order by itself (R1.15)."""
    return placed_at + CANCELLATION_WINDOW


def provisioning_due(business_calendar: BusinessCalendar, placed_at: datetime, hours: int) -> datetime:
    """When the vendor must have provisioned an order placed at `placed_at` (R1.12)."""
    return business_calendar.add_business_hours(placed_at, hours)


def trial_end(start: date, days: int) -> date:
    """The day a trial stops working: `days` days after the day it started (R1.17: 30)."""
    return start + timedelta(days=days)


def trial_warning_due(trial_ends_on: date, today: date, days_before: int = TRIAL_WARNING_DAYS) -> bool:
    """True from `days_before` days before the end until the end (the "ending soon" e-mail)."""
    return today < trial_ends_on <= today + timedelta(days=days_before)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_of(term: str) -> int:
    """How many months a term of the plan's billing `term` lasts (12 for an unknown or empty term)."""
    return TERM_MONTHS.get(term, DEFAULT_TERM_MONTHS)


def term_from(start: date, months: int = DEFAULT_TERM_MONTHS) -> tuple[date, date]:
    """A term starting on `start`: (first day, first day of the next term)."""
    return start, add_months(start, months)
