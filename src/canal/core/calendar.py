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
- Real support hours differ by weekday: ``BusinessCalendar.weekly(...)`` takes opening hours per weekday
  (a day may be closed, or open until midnight: ``closes=None``), an optional country for public holidays
  and the calendar's own extra closed dates. ``due_after`` and ``business_time_between`` are the same
  two operations as ``add_business_hours`` / ``business_hours_between`` with ``timedelta`` in and out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import holidays

Hours = Decimal | int | timedelta
# One weekday's opening hours: (opens, closes); ``closes`` None means open until midnight.
DayHours = tuple[time, time | None]

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
def public_holidays(country: str | None, year: int, subdivision: str | None = None) -> frozenset[date]:
    """Public holidays of ``country`` (and ``subdivision``) in ``year``, cached; none without a country."""
    if country is None:
        return frozenset()
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


@dataclass(frozen=True)
class BusinessCalendar:
    """Opening hours per weekday, public holidays and extra closed dates of one region, in one time zone.

    Either the classic form (``opens``, ``closes``, ``working_days``: the same hours every working day)
    or ``weekly_hours``: seven entries, Monday first, each ``(opens, closes)`` or None for a closed day.
    """

    time_zone: str
    opens: time | None = None
    closes: time | None = None
    working_days: frozenset[int] = frozenset()
    country: str | None = None
    subdivision: str | None = None
    weekly_hours: tuple[DayHours | None, ...] | None = None
    closed_dates: frozenset[date] = frozenset()
    # The seven days' hours, whichever form built the calendar.
    day_hours: tuple[DayHours | None, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "working_days", frozenset(self.working_days))
        object.__setattr__(self, "closed_dates", frozenset(self.closed_dates))
        ZoneInfo(self.time_zone)  # raises ZoneInfoNotFoundError for an unknown zone
        if self.weekly_hours is None:
            day_hours = self._uniform_hours()
        else:
            if self.opens is not None or self.closes is not None or self.working_days:
                raise ValueError("Give either weekly_hours or opens/closes/working_days, not both.")
            day_hours = tuple(self.weekly_hours)
        if len(day_hours) != 7:
            raise ValueError("weekly_hours needs seven entries, Monday first.")
        for hours in day_hours:
            if hours is not None:
                _check_day_hours(hours)
        if all(hours is None for hours in day_hours):
            raise ValueError("A calendar needs at least one open weekday.")
        object.__setattr__(self, "day_hours", day_hours)
        if self.country is None:
            if self.subdivision is not None:
                raise ValueError("A subdivision needs a country.")
            return
        subdivisions = supported_subdivisions(self.country)
        if subdivisions is None:
            raise ValueError(f"No public holidays are known for country {self.country!r}.")
        if self.subdivision is not None and self.subdivision not in subdivisions:
            raise ValueError(f"{self.country} has no subdivision {self.subdivision!r}.")

    def _uniform_hours(self) -> tuple[DayHours | None, ...]:
        if self.opens is None or self.closes is None:
            raise ValueError("opens and closes are required unless weekly_hours is given.")
        if not self.opens < self.closes:
            raise ValueError(f"opens ({self.opens}) must be before closes ({self.closes}).")
        if not self.working_days or not self.working_days <= frozenset(range(7)):
            raise ValueError("working_days must be a non-empty set of weekdays from 0 (Monday) to 6.")
        if self.country is None:
            raise ValueError("The uniform form needs a country for its public holidays.")
        return tuple((self.opens, self.closes) if day in self.working_days else None for day in range(7))

    @classmethod
    def weekly(
        cls,
        *,
        time_zone: str,
        hours: Mapping[int, DayHours],
        country: str | None = None,
        subdivision: str | None = None,
        closed_dates: frozenset[date] = frozenset(),
    ) -> BusinessCalendar:
        """A calendar open ``hours[weekday]`` on the weekdays given (Monday is 0) and closed on the rest."""
        if not set(hours) <= set(range(7)):
            raise ValueError("Weekdays go from 0 (Monday) to 6 (Sunday).")
        return cls(
            time_zone=time_zone,
            country=country,
            subdivision=subdivision,
            weekly_hours=tuple(hours.get(day) for day in range(7)),
            closed_dates=closed_dates,
        )

    @classmethod
    def always_open(cls, time_zone: str = "UTC") -> BusinessCalendar:
        """24x7: every moment is business time (no holidays)."""
        return cls.weekly(time_zone=time_zone, hours={day: (time(0), None) for day in range(7)})

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
        return (
            self.day_hours[day.weekday()] is not None
            and day not in self.closed_dates
            and day not in self.holidays_in(day.year)
        )

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
        return self.due_after(start, _as_duration(hours))

    def due_after(self, start: datetime, business_time: timedelta) -> datetime:
        """The earliest moment at which ``business_time`` of business time has passed since ``start``."""
        remaining = _as_duration(business_time)
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
        elapsed = self.business_time_between(start, end)
        return Decimal(elapsed // MICROSECOND) / MICROSECONDS_PER_HOUR

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Business time from ``start`` to ``end``; negative when ``end`` is before ``start``."""
        start, end = _to_utc(start), _to_utc(end)
        if end < start:
            return -self.business_time_between(end, start)
        elapsed = timedelta(0)
        for opening, closing in self._periods_from(start):
            if opening >= end:
                break
            elapsed += max(timedelta(0), min(closing, end) - max(opening, start))
        return elapsed

    def _periods_from(self, moment: datetime, days: int | None = None) -> Iterator[tuple[datetime, datetime]]:
        """Working periods in UTC, in order, from the one that may contain ``moment`` onwards.

        Starts a day early: where a zone skips the hour before midnight, a period's closing can fall
        on the next local date.
        """
        zone = self.zone
        day = moment.astimezone(zone).date() - ONE_DAY
        idle_days = 0
        scanned = 0
        previous_closing: datetime | None = None
        while days is None or scanned < days:
            scanned += 1
            hours = self.day_hours[day.weekday()]
            opening = closing = None
            if hours is not None and self.is_working_day(day):
                opens, closes = hours
                opening = datetime.combine(day, opens, zone).astimezone(UTC)
                if closes is None:
                    closing = datetime.combine(day + ONE_DAY, time(0), zone).astimezone(UTC)
                else:
                    closing = datetime.combine(day, closes, zone).astimezone(UTC)
                # Around a clock change a period may reach into the previous one; never count time twice.
                if previous_closing is not None:
                    opening = max(opening, previous_closing)
            # An opening in a skipped hour can map past the closing; such a day has no business time.
            if opening is not None and closing is not None and opening < closing:
                idle_days = 0
                previous_closing = closing
                yield opening, closing
            else:
                idle_days += 1
                if idle_days > MAX_IDLE_DAYS:
                    raise ValueError(f"No working day within {MAX_IDLE_DAYS} days after {day}.")
            day += ONE_DAY


def _check_day_hours(hours: DayHours) -> None:
    opens, closes = hours
    if opens.tzinfo is not None or (closes is not None and closes.tzinfo is not None):
        raise ValueError("opens and closes are local wall-clock times and take no tzinfo.")
    if closes is not None and not opens < closes:
        raise ValueError(f"opens ({opens}) must be before closes ({closes}).")


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
