"""Billing periods: pure date arithmetic for cycles that start on an anchor day of the month."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """`day` moved `months` months on, clamped to the end of a shorter month (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def cycle_containing(day: date, *, anchor_day: int, months: int = 1) -> tuple[date, date]:
    """The cycle (start inclusive, next start exclusive) that `day` falls in, for cycles starting on
    `anchor_day` (1 to 28, so every month has it)."""
    if not 1 <= anchor_day <= 28:
        raise ValueError(f"A cycle anchor day is 1 to 28, not {anchor_day}.")
    start = date(day.year, day.month, anchor_day)
    if day < start:
        start = add_months(start, -1)
    return start, add_months(start, months)
