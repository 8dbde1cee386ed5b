"""One way to write money and moments per language (issue 14: "EUR 30.00" beside "30,00 €")."""

from datetime import UTC, date, datetime

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from canal.core import formats
from canal.core.money import Money


def test_money_and_moments_follow_the_active_language(settings):
    settings.TIME_ZONE = "Europe/Madrid"
    moment = datetime(2026, 12, 1, 13, 48, tzinfo=UTC)

    with translation.override("es"):
        spanish = (
            formats.money(Money("1234.5", "EUR")),
            formats.when(moment),
            formats.when(date(2026, 12, 1)),
        )
    with translation.override("en"):
        english = (
            formats.money(Money("1234.5", "EUR")),
            formats.when(moment),
            formats.when(date(2026, 12, 1)),
        )

    assert spanish == ("1.234,50\xa0€", "1 dic 2026, 14:48", "1 dic 2026")
    assert english == ("€1,234.50", "1 Dec 2026, 14:48", "1 Dec 2026")


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_a_formatted_amount_always_shows_the_currencys_two_decimals(amount):
    with translation.override("en"):
        written = formats.money(Money(amount, "CHF"))

    assert written.replace("-", "").startswith("CHF")
    assert len(written.rsplit(".", 1)[1]) == 2
