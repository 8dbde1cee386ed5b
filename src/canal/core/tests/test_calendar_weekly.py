"""Calendars with different opening hours per weekday, extra closed dates and 24x7.

The published case is django-helpdesk's business-hours test (tests/test_time_spent_auto.py): Monday
00:00-24:00, Tuesday 08:00-18:00, Wednesday 08:30-18:30, Thursday 00:00-10:00, Friday 13:00-23:00, weekend
closed, in UTC, with 18-22 March 2024 closed. Their Monday is written "0 to 23.9999" hours; the figures
they publish (60 hours from Monday 04:00 to Sunday) only hold with Monday open until midnight.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canal.core.calendar import BusinessCalendar

HELPDESK = BusinessCalendar.weekly(
    time_zone="UTC",
    hours={
        0: (time(0), None),
        1: (time(8), time(18)),
        2: (time(8, 30), time(18, 30)),
        3: (time(0), time(10)),
        4: (time(13), time(23)),
    },
    closed_dates=frozenset(date(2024, 3, day) for day in range(18, 23)),
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


HELPDESK_FIGURES = [
    ("2024-03-04T00:00:00", "2024-03-04T09:30:10", timedelta(hours=9, minutes=30, seconds=10)),
    ("2024-03-05T07:00:00", "2024-03-05T09:00:00", timedelta(hours=1)),
    ("2024-03-05T17:50:00", "2024-03-05T17:51:00", timedelta(minutes=1)),
    ("2024-03-05T17:50:00", "2024-03-05T19:51:00", timedelta(minutes=10)),
    ("2024-03-05T18:00:00", "2024-03-05T23:59:59", timedelta(0)),
    ("2024-03-05T20:00:00", "2024-03-05T20:59:59", timedelta(0)),
    ("2024-03-06T08:00:00", "2024-03-06T09:01:00", timedelta(minutes=31)),
    ("2024-03-06T01:00:00", "2024-03-06T19:30:10", timedelta(hours=10)),
    ("2024-03-06T18:01:00", "2024-03-06T19:00:00", timedelta(minutes=29)),
    ("2024-03-07T00:00:00", "2024-03-07T09:30:10", timedelta(hours=9, minutes=30, seconds=10)),
    ("2024-03-07T09:30:00", "2024-03-07T10:30:00", timedelta(minutes=30)),
    ("2024-03-08T00:00:00", "2024-03-08T23:30:10", timedelta(hours=10)),
    ("2024-03-09T00:00:00", "2024-03-09T09:30:10", timedelta(0)),
    ("2024-03-10T00:00:00", "2024-03-10T09:30:10", timedelta(0)),
    ("2024-03-04T04:00:00", "2024-03-10T09:00:00", timedelta(hours=60)),
    ("2024-03-04T04:00:00", "2024-03-17T09:00:00", timedelta(hours=124)),
    ("2024-03-04T04:00:00", "2024-03-24T09:00:00", timedelta(hours=124)),
    ("2024-03-18T04:00:00", "2024-03-24T09:00:00", timedelta(0)),
]


@pytest.mark.parametrize(("start", "end", "expected"), HELPDESK_FIGURES)
def test_business_time_reproduces_django_helpdesk_figures(start: str, end: str, expected: timedelta) -> None:
    assert HELPDESK.business_time_between(utc(start), utc(end)) == expected


def test_due_after_lands_where_the_helpdesk_figures_say() -> None:
    # Tuesday 17:50 + 10 business minutes closes Tuesday; one more minute opens Wednesday 08:30.
    assert HELPDESK.due_after(utc("2024-03-05T17:50:00"), timedelta(minutes=10)) == utc("2024-03-05T18:00:00")
    assert HELPDESK.due_after(utc("2024-03-05T17:50:00"), timedelta(minutes=11)) == utc("2024-03-06T08:31:00")
    # Monday is open until midnight and Tuesday opens at 08:00.
    assert HELPDESK.due_after(utc("2024-03-04T23:00:00"), timedelta(hours=2)) == utc("2024-03-05T09:00:00")
    # The closed week is skipped: Friday 15 March 22:00 + 2 hours is Monday 25 March 01:00.
    assert HELPDESK.due_after(utc("2024-03-15T22:00:00"), timedelta(hours=2)) == utc("2024-03-25T01:00:00")


def test_a_day_open_until_midnight_runs_into_a_day_opening_at_midnight() -> None:
    sunday_monday = BusinessCalendar.weekly(
        time_zone="UTC", hours={6: (time(20), None), 0: (time(0), time(2))}
    )

    assert sunday_monday.due_after(utc("2024-03-10T23:00:00"), timedelta(hours=2)) == utc(
        "2024-03-11T01:00:00"
    )
    assert sunday_monday.business_time_between(utc("2024-03-10T20:00:00"), utc("2024-03-11T02:00:00")) == (
        timedelta(hours=6)
    )


def test_public_holidays_and_extra_closed_dates_both_close_a_day() -> None:
    madrid = BusinessCalendar.weekly(
        time_zone="Europe/Madrid",
        hours={day: (time(9), time(18)) for day in range(5)},
        country="ES",
        closed_dates=frozenset({date(2026, 12, 7)}),
    )
    zone = ZoneInfo("Europe/Madrid")

    # Friday 4 Dec 17:00 + 2 h: Monday 7th closed by the calendar, Tuesday 8th a public holiday.
    due = madrid.due_after(datetime(2026, 12, 4, 17, tzinfo=zone), timedelta(hours=2))

    assert due == datetime(2026, 12, 9, 10, tzinfo=zone)


def test_twenty_four_seven_counts_wall_time_even_across_a_clock_change() -> None:
    always = BusinessCalendar.always_open("Europe/Madrid")
    start = datetime(2026, 3, 28, 12, tzinfo=UTC)

    assert always.due_after(start, timedelta(hours=48)) == start + timedelta(hours=48)
    assert always.business_time_between(start, start + timedelta(hours=30)) == timedelta(hours=30)


def test_add_business_hours_and_due_after_agree() -> None:
    start = utc("2024-03-05T17:50:00")

    assert HELPDESK.add_business_hours(start, 3) == HELPDESK.due_after(start, timedelta(hours=3))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weekly_hours": (None,) * 7}, "at least one open weekday"),
        ({"weekly_hours": ((time(10), time(9)),) + (None,) * 6}, "must be before"),
        ({"weekly_hours": ((time(9), time(10)),)}, "seven entries"),
        ({"weekly_hours": ((time(9), time(10)),) + (None,) * 6, "opens": time(9)}, "not both"),
        ({"weekly_hours": ((time(9), time(10)),) + (None,) * 6, "subdivision": "MD"}, "needs a country"),
    ],
)
def test_an_inconsistent_weekly_calendar_is_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BusinessCalendar(time_zone="UTC", **kwargs)


# Properties: due_after and business_time_between are inverse, on random weekly calendars with DST.


@st.composite
def weekly_calendars(draw: st.DrawFn) -> BusinessCalendar:
    time_zone = draw(st.sampled_from(["UTC", "Europe/Madrid", "America/New_York", "Australia/Sydney"]))
    hours: dict[int, tuple[time, time | None]] = {}
    for day in draw(st.frozensets(st.integers(0, 6), min_size=1)):
        opens_q = draw(st.integers(0, 94))
        closes_q = draw(st.integers(opens_q + 1, 96))
        hours[day] = (
            time(opens_q // 4, opens_q % 4 * 15),
            None if closes_q == 96 else time(closes_q // 4, closes_q % 4 * 15),
        )
    closed = draw(st.frozensets(st.dates(date(2024, 1, 1), date(2031, 3, 1)), max_size=20))
    return BusinessCalendar.weekly(time_zone=time_zone, hours=hours, closed_dates=closed)


moments = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2030, 12, 31),
    timezones=st.sampled_from([UTC, ZoneInfo("Europe/Madrid"), ZoneInfo("America/New_York")]),
)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=200))


@given(calendar=weekly_calendars(), start=moments, duration=durations)
def test_business_time_between_undoes_due_after(
    calendar: BusinessCalendar, start: datetime, duration: timedelta
) -> None:
    due = calendar.due_after(start, duration)

    assert calendar.business_time_between(start, due) == duration


@given(calendar=weekly_calendars(), start=moments, end=moments)
def test_due_after_undoes_business_time_between_up_to_the_next_business_moment(
    calendar: BusinessCalendar, start: datetime, end: datetime
) -> None:
    elapsed = calendar.business_time_between(start, end)
    if elapsed <= timedelta(0):
        return
    due = calendar.due_after(start, elapsed)

    # The earliest moment with that much business time: at or before end, with no business time between.
    assert due <= end
    assert calendar.business_time_between(due, end) == timedelta(0)


@given(calendar=weekly_calendars(), start=moments, a=durations, b=durations)
def test_due_after_a_then_b_equals_due_after_a_plus_b(
    calendar: BusinessCalendar, start: datetime, a: timedelta, b: timedelta
) -> None:
    assert calendar.due_after(calendar.due_after(start, a), b) == calendar.due_after(start, a + b)
