from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canal.core.calendar import BusinessCalendar

MADRID = ZoneInfo("Europe/Madrid")
NEW_YORK = ZoneInfo("America/New_York")
CALENDAR = BusinessCalendar.default()
EVERY_DAY = BusinessCalendar(
    time_zone="Europe/Madrid",
    opens=time(9),
    closes=time(18),
    working_days=frozenset(range(7)),
    country="ES",
)


def madrid(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=MADRID)


# Concrete examples (Madrid, 09:00-18:00, Monday to Friday, Spanish national holidays).


def test_friday_evening_plus_two_hours_lands_monday_morning() -> None:
    assert CALENDAR.add_business_hours(madrid(2026, 3, 6, 17), 2) == madrid(2026, 3, 9, 10)


def test_forty_eight_hours_from_monday_opening_land_on_the_sixth_working_day_at_noon() -> None:
    assert CALENDAR.add_business_hours(madrid(2026, 1, 12, 9), 48) == madrid(2026, 1, 19, 12)


def test_results_are_returned_in_utc() -> None:
    due = CALENDAR.add_business_hours(madrid(2026, 1, 12, 9), 1)

    assert due.tzinfo is UTC
    assert due == datetime(2026, 1, 12, 9, tzinfo=UTC)


def test_immaculate_conception_is_skipped() -> None:
    assert CALENDAR.add_business_hours(madrid(2026, 12, 7, 17), 2) == madrid(2026, 12, 9, 10)


def test_new_years_day_is_skipped() -> None:
    assert CALENDAR.add_business_hours(madrid(2025, 12, 31, 17), 2) == madrid(2026, 1, 2, 10)


def test_public_holidays_come_from_the_holidays_package() -> None:
    assert {date(2026, 1, 1), date(2026, 12, 8)} <= CALENDAR.holidays_in(2026)
    assert not CALENDAR.is_working_day(date(2026, 12, 8))


def test_a_regional_calendar_skips_regional_holidays_too() -> None:
    madrid_region = BusinessCalendar(
        time_zone="Europe/Madrid",
        opens=time(9),
        closes=time(18),
        working_days=frozenset(range(5)),
        country="ES",
        subdivision="MD",
    )

    assert madrid_region.add_business_hours(madrid(2025, 4, 30, 17), 2) == madrid(2025, 5, 5, 10)
    assert CALENDAR.add_business_hours(madrid(2025, 4, 30, 17), 2) == madrid(2025, 5, 2, 10)


def test_a_start_at_night_begins_counting_at_the_next_opening() -> None:
    assert CALENDAR.add_business_hours(madrid(2026, 1, 13, 22), 1) == madrid(2026, 1, 14, 10)


def test_a_start_before_opening_begins_counting_at_opening() -> None:
    assert CALENDAR.add_business_hours(madrid(2026, 1, 13, 6, 30), 1) == madrid(2026, 1, 13, 10)


def test_a_start_on_a_saturday_begins_counting_on_monday() -> None:
    assert CALENDAR.add_business_hours(madrid(2026, 1, 17, 11), 3) == madrid(2026, 1, 19, 12)


def test_hours_that_end_at_closing_land_on_the_closing_time() -> None:
    assert CALENDAR.add_business_hours(madrid(2026, 1, 12, 9), 9) == madrid(2026, 1, 12, 18)


def test_fractional_hours_carry_over_to_the_next_day() -> None:
    due = CALENDAR.add_business_hours(madrid(2026, 1, 12, 17), Decimal("1.5"))

    assert due == madrid(2026, 1, 13, 9, 30)


def test_hours_can_be_given_as_a_timedelta() -> None:
    due = CALENDAR.add_business_hours(madrid(2026, 1, 12, 17), timedelta(minutes=90))

    assert due == madrid(2026, 1, 13, 9, 30)


def test_zero_hours_leave_the_start_unchanged() -> None:
    assert CALENDAR.add_business_hours(madrid(2026, 1, 17, 11), 0) == madrid(2026, 1, 17, 11)


def test_weekend_across_spring_forward_keeps_local_opening_hours() -> None:
    due = CALENDAR.add_business_hours(madrid(2026, 3, 27, 17), 2)

    assert due == madrid(2026, 3, 30, 10)
    assert due == datetime(2026, 3, 30, 8, tzinfo=UTC)


def test_spring_forward_day_has_nine_business_hours() -> None:
    assert EVERY_DAY.business_hours_between(madrid(2026, 3, 29), madrid(2026, 3, 30)) == 9


def test_fall_back_day_has_nine_business_hours() -> None:
    assert EVERY_DAY.business_hours_between(madrid(2026, 10, 25), madrid(2026, 10, 26)) == 9


def test_adding_hours_on_a_dst_change_day_uses_local_opening_hours() -> None:
    assert EVERY_DAY.add_business_hours(madrid(2026, 3, 29, 17), 2) == madrid(2026, 3, 30, 10)
    assert EVERY_DAY.add_business_hours(madrid(2026, 10, 24, 17), 2) == madrid(2026, 10, 25, 10)


def test_business_hours_between_counts_only_open_hours() -> None:
    between = CALENDAR.business_hours_between(madrid(2026, 3, 6, 17), madrid(2026, 3, 9, 10, 30))

    assert between == Decimal("2.5")


def test_business_hours_between_is_negative_when_end_is_before_start() -> None:
    assert CALENDAR.business_hours_between(madrid(2026, 3, 9, 10), madrid(2026, 3, 6, 17)) == -2


def test_opening_is_business_time_and_closing_is_not() -> None:
    assert CALENDAR.is_business_time(madrid(2026, 1, 12, 9))
    assert not CALENDAR.is_business_time(madrid(2026, 1, 12, 18))


def test_next_business_moment_inside_working_hours_is_the_moment_itself() -> None:
    assert CALENDAR.next_business_moment(madrid(2026, 1, 12, 11)) == madrid(2026, 1, 12, 11)


def test_next_business_moment_at_closing_is_the_next_opening() -> None:
    assert CALENDAR.next_business_moment(madrid(2026, 1, 16, 18)) == madrid(2026, 1, 19, 9)


def test_any_time_zone_is_accepted_as_input() -> None:
    start = datetime(2026, 3, 6, 11, tzinfo=NEW_YORK)  # 17:00 in Madrid

    assert CALENDAR.add_business_hours(start, 2) == madrid(2026, 3, 9, 10)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        CALENDAR.add_business_hours(datetime(2026, 1, 12, 9), 1)


def test_negative_hours_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        CALENDAR.add_business_hours(madrid(2026, 1, 12, 9), -1)


def test_float_hours_are_refused() -> None:
    with pytest.raises(TypeError, match="Decimal"):
        CALENDAR.add_business_hours(madrid(2026, 1, 12, 9), 1.5)  # type: ignore[arg-type]


def test_a_calendar_that_closes_before_it_opens_is_refused() -> None:
    with pytest.raises(ValueError, match="before closes"):
        BusinessCalendar("Europe/Madrid", time(18), time(9), frozenset(range(5)), "ES")


def test_a_calendar_without_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="working_days"):
        BusinessCalendar("Europe/Madrid", time(9), time(18), frozenset(), "ES")


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ZoneInfoNotFoundError):
        BusinessCalendar("Europe/Atlantis", time(9), time(18), frozenset(range(5)), "ES")


def test_an_unknown_country_or_subdivision_is_refused() -> None:
    with pytest.raises(ValueError, match="country"):
        BusinessCalendar("Europe/Madrid", time(9), time(18), frozenset(range(5)), "XX")
    with pytest.raises(ValueError, match="subdivision"):
        BusinessCalendar("Europe/Madrid", time(9), time(18), frozenset(range(5)), "ES", "XX")


# Properties, on the default calendar and on random calendars in zones with daylight saving.

REGIONS = [
    ("Europe/Madrid", "ES"),
    ("America/New_York", "US"),
    ("Australia/Sydney", "AU"),
    ("Europe/London", "GB"),
]


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    time_zone, country = draw(st.sampled_from(REGIONS))
    quarter_hours = draw(st.lists(st.integers(0, 95), min_size=2, max_size=2, unique=True))
    opens, closes = (time(q // 4, q % 4 * 15) for q in sorted(quarter_hours))
    working_days = draw(st.frozensets(st.integers(0, 6), min_size=1))
    return BusinessCalendar(time_zone, opens, closes, working_days, country)


moments = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2030, 12, 31),
    timezones=st.sampled_from([UTC, MADRID, NEW_YORK]),
)
hours = st.decimals(min_value=0, max_value=120, places=3, allow_nan=False, allow_infinity=False)
positive_hours = hours.filter(lambda h: h > 0)


@given(start=moments, h=positive_hours)
def test_a_due_time_is_business_time_or_exactly_a_closing_time(start: datetime, h: Decimal) -> None:
    due = CALENDAR.add_business_hours(start, h)

    local = due.astimezone(MADRID)
    at_closing = local.time() == CALENDAR.closes and CALENDAR.is_working_day(local.date())
    assert CALENDAR.is_business_time(due) or at_closing


@given(calendar=calendars(), start=moments, h=positive_hours)
def test_the_moment_just_before_a_due_time_is_business_time(
    calendar: BusinessCalendar, start: datetime, h: Decimal
) -> None:
    due = calendar.add_business_hours(start, h)

    assert calendar.is_business_time(due - timedelta(microseconds=1))


@given(calendar=calendars(), start=moments, a=hours, b=hours)
def test_adding_a_then_b_hours_equals_adding_a_plus_b(
    calendar: BusinessCalendar, start: datetime, a: Decimal, b: Decimal
) -> None:
    in_two_steps = calendar.add_business_hours(calendar.add_business_hours(start, a), b)

    assert in_two_steps == calendar.add_business_hours(start, a + b)


@given(calendar=calendars(), start=moments, h=hours)
def test_business_hours_between_undoes_adding_hours(
    calendar: BusinessCalendar, start: datetime, h: Decimal
) -> None:
    due = calendar.add_business_hours(start, h)

    assert calendar.business_hours_between(start, due) == h


@given(calendar=calendars(), start=moments, a=hours, b=hours)
def test_more_hours_give_a_later_due_time(
    calendar: BusinessCalendar, start: datetime, a: Decimal, b: Decimal
) -> None:
    if a == b:
        assert calendar.add_business_hours(start, a) == calendar.add_business_hours(start, b)
    else:
        earlier, later = sorted([a, b])
        assert calendar.add_business_hours(start, earlier) < calendar.add_business_hours(start, later)


@given(start=moments, h=positive_hours)
def test_counting_starts_at_the_next_business_moment(start: datetime, h: Decimal) -> None:
    due = CALENDAR.add_business_hours(start, h)

    assert due == CALENDAR.add_business_hours(CALENDAR.next_business_moment(start), h)


@given(calendar=calendars(), moment=moments)
def test_the_next_business_moment_is_business_time_with_none_skipped(
    calendar: BusinessCalendar, moment: datetime
) -> None:
    following = calendar.next_business_moment(moment)

    assert following >= moment
    assert calendar.is_business_time(following)
    assert calendar.business_hours_between(moment, following) == 0


@given(calendar=calendars(), start=moments, end=moments)
def test_business_hours_between_swapped_ends_is_negated(
    calendar: BusinessCalendar, start: datetime, end: datetime
) -> None:
    assert calendar.business_hours_between(start, end) == -calendar.business_hours_between(end, start)


@given(start=moments, h=st.decimals(max_value=Decimal("-0.001"), allow_nan=False, allow_infinity=False))
def test_negative_hours_always_raise(start: datetime, h: Decimal) -> None:
    with pytest.raises(ValueError, match="negative"):
        CALENDAR.add_business_hours(start, h)
