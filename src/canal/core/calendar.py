"""Business calendar: deadlines counted in business hours.

Used for "provisioned within 48 business hours" (R1.12, R1.17) and for support SLA targets ("first
response within N business hours"). Pure: no Django, no clock; the caller passes the time in.

Conventions:

- Inputs are timezone-aware datetimes in any zone; naive datetimes raise ValueError. Every datetime
  returned is in UTC.
- A working period is one working day (in ``working_days`` and not a public holiday) from ``opens`` to
  ``closes`` on the local wall clock of ``time_zone``. Business time is half-open: a moment at
  ``opens`` is business time, a moment at ``closes`` is not.
- Each period is anchored on the wall clock of its own day, so 09:00-18:00 is nine business hours on
  a daylight-saving change day too. Inside a period time is real elapsed time; only a period that
  itself spans a change (opening at night) is an hour shorter or longer.
- ``add_business_hours(start, h)`` returns the earliest moment at which ``h`` business hours have
  passed since ``start``. For ``h > 0`` that moment lies inside a period or exactly at its closing
  (Monday 09:00 + 9 hours is Monday 18:00, not Tuesday 09:00); for ``h == 0`` it is ``start``.
  This makes it the exact inverse of ``business_hours_between`` and additive:
  ``add(add(s, a), b) == add(s, a + b)``.
- Hours are a ``Decimal``, an ``int`` or a ``timedelta``, counted to the microsecond (Decimal hours are
  rounded half up to the microsecond). Floats are refused so no binary rounding creeps in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import holidays

Hours = Decimal | int | timedelta

MICROSECOND = timedelta(microseconds=1)
MICROSECONDS_PER_HOUR = 3_600_000_000
ONE_DAY = timedelta(days=1)
# No real calendar goes this long without a working day; past it the configuration is broken.
MAX_IDLE_DAYS = 366


@cache
def supported_subdivisions(country: str) -> tuple[str, ...] | None:
    """The subdivisions ``holidays`` knows for ``country``, or None if it does not know the country."""
    subdivisions = holidays.list_supported_countries().get(country)
    return None if subdivisions is None else tuple(subdivisions)


@lru_cache(maxsize=512)
def public_holidays(country: str, year: int, subdivision: str | None = None) -> frozenset[date]:
    """Public holidays of ``country`` (and ``subdivision``) in ``year``, cached per year."""
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


@dataclass(frozen=True)
class BusinessCalendar:
    """Working hours, working days and public holidays of one region."""

    time_zone: str
    opens: time
    closes: time
    working_days: frozenset[int]  # Monday is 0, as date.weekday()
    country: str
    subdivision: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "working_days", frozenset(self.working_days))
        ZoneInfo(self.time_zone)  # raises ZoneInfoNotFoundError for an unknown zone
        if self.opens.tzinfo is not None or self.closes.tzinfo is not None:
            raise ValueError("opens and closes are local wall-clock times and take no tzinfo.")
        if not self.opens < self.closes:
            raise ValueError(f"opens ({self.opens}) must be before closes ({self.closes}).")
        if not self.working_days or not self.working_days <= frozenset(range(7)):
            raise ValueError("working_days must be a non-empty set of weekdays from 0 (Monday) to 6.")
        subdivisions = supported_subdivisions(self.country)
        if subdivisions is None:
            raise ValueError(f"No public holidays are known for country {self.country!r}.")
        if self.subdivision is not None and self.subdivision not in subdivisions:
            raise ValueError(f"{self.country} has no subdivision {self.subdivision!r}.")

    @classmethod
    def default(cls) -> BusinessCalendar:
        """Madrid office hours: 09:00-18:00, Monday to Friday, Spanish national holidays."""
        return cls(
            time_zone="Europe/Madrid",
            opens=time(9),
            closes=time(18),
            working_days=frozenset(range(5)),
            country="ES",
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def holidays_in(self, year: int) -> frozenset[date]:
        return public_holidays(self.country, year, self.subdivision)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.working_days and day not in self.holidays_in(day.year)

    def is_business_time(self, moment: datetime) -> bool:
        moment = _to_utc(moment)
        return any(opening <= moment < closing for opening, closing in self._periods_from(moment, days=2))

    def next_business_moment(self, moment: datetime) -> datetime:
        """``moment`` itself if it is business time, otherwise the next opening."""
        moment = _to_utc(moment)
        for opening, closing in self._periods_from(moment):
            if moment < closing:
                return max(opening, moment)
        raise AssertionError("unreachable: _periods_from never ends")

    def add_business_hours(self, start: datetime, hours: Hours) -> datetime:
        """The earliest moment at which ``hours`` business hours have passed since ``start``."""
        remaining = _as_duration(hours)
        start = _to_utc(start)
        if not remaining:
            return start
        for opening, closing in self._periods_from(start):
            begin = max(opening, start)
            if begin >= closing:
                continue
            if remaining <= closing - begin:
                return begin + remaining
            remaining -= closing - begin
        raise AssertionError("unreachable: _periods_from never ends")

    def business_hours_between(self, start: datetime, end: datetime) -> Decimal:
        """Business hours from ``start`` to ``end``; negative when ``end`` is before ``start``."""
        start, end = _to_utc(start), _to_utc(end)
        if end < start:
            return -self.business_hours_between(end, start)
        elapsed = timedelta(0)
        for opening, closing in self._periods_from(start):
            if opening >= end:
                break
            elapsed += max(timedelta(0), min(closing, end) - max(opening, start))
        return Decimal(elapsed // MICROSECOND) / MICROSECONDS_PER_HOUR

    def _periods_from(self, moment: datetime, days: int | None = None) -> Iterator[tuple[datetime, datetime]]:
        """Working periods in UTC, in order, from the one that may contain ``moment`` onwards.

        Starts a day early: where a zone skips the hour before midnight, a period's closing can fall
        on the next local date.
        """
        zone = self.zone
        day = moment.astimezone(zone).date() - ONE_DAY
        idle_days = 0
        scanned = 0
        while days is None or scanned < days:
            scanned += 1
            opening = datetime.combine(day, self.opens, zone).astimezone(UTC)
            closing = datetime.combine(day, self.closes, zone).astimezone(UTC)
            # An opening in a skipped hour can map past the closing; such a day has no business time.
            if self.is_working_day(day) and opening < closing:
                idle_days = 0
                yield opening, closing
            else:
                idle_days += 1
                if idle_days > MAX_IDLE_DAYS:
                    raise ValueError(f"No working day within {MAX_IDLE_DAYS} days after {day}.")
            day += ONE_DAY


def _to_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"Expected a timezone-aware datetime, got naive {moment.isoformat()}.")
    return moment.astimezone(UTC)


def _as_duration(hours: Hours) -> timedelta:
    if isinstance(hours, timedelta):
        if hours < timedelta(0):
            raise ValueError(f"hours must not be negative, got {hours}.")
        return hours
    if isinstance(hours, bool) or not isinstance(hours, int | Decimal):
        raise TypeError(f"hours must be a Decimal, an int or a timedelta, got {type(hours).__name__}.")
    if isinstance(hours, Decimal) and not hours.is_finite():
        raise ValueError(f"hours must be finite, got {hours}.")
    if hours < 0:
        raise ValueError(f"hours must not be negative, got {hours}.")
    microseconds = (Decimal(hours) * MICROSECONDS_PER_HOUR).to_integral_value(ROUND_HALF_UP)
    return timedelta(microseconds=int(microseconds))
