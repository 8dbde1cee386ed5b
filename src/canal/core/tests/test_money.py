from decimal import Decimal

import pytest

from canal.core.money import CurrencyMismatch, Money, round_money, sum_money


def test_it_keeps_the_exact_decimal_amount_from_a_string():
    assert Money("9.92", "CHF").amount == Decimal("9.92")


def test_it_refuses_a_float_amount():
    with pytest.raises(TypeError, match="not float"):
        Money(9.92, "CHF")  # type: ignore[arg-type]


@pytest.mark.parametrize("currency", ["chf", "ABC", "", "EURO"])
def test_it_refuses_a_currency_that_is_not_an_upper_case_iso_code(currency):
    with pytest.raises(ValueError, match="ISO 4217"):
        Money("1", currency)


def test_it_refuses_text_that_is_not_a_number():
    with pytest.raises(ValueError, match="not a number"):
        Money("nine", "CHF")


@pytest.mark.parametrize(
    ("amount", "currency", "rounded"),
    [
        ("0.005", "CHF", "0.01"),
        ("2.675", "EUR", "2.68"),
        ("-0.005", "EUR", "-0.01"),
        ("-0.004", "EUR", "0.00"),
        ("1234.5", "JPY", "1235"),
        ("1.0005", "BHD", "1.001"),
    ],
)
def test_round_money_rounds_half_up_to_the_currency_minor_unit(amount, currency, rounded):
    assert str(round_money(Decimal(amount), currency)) == rounded


def test_quantize_returns_money_rounded_to_cents():
    assert Money("208.3249", "CHF").quantize() == Money("208.32", "CHF")


def test_adding_and_subtracting_keep_the_currency():
    assert Money("10.50", "EUR") + Money("1.25", "EUR") - Money("0.75", "EUR") == Money("11.00", "EUR")


def test_multiplying_and_dividing_do_not_round():
    assert (Money("10.00", "CHF") / 3 * Decimal(2)).amount == Decimal("10.00") / 3 * 2
    assert 3 * Money("9.92", "CHF") == Money("29.76", "CHF")


def test_multiplying_by_a_float_is_refused():
    with pytest.raises(TypeError):
        Money("1", "CHF") * 1.5  # type: ignore[operator]


def test_adding_two_currencies_is_refused():
    with pytest.raises(CurrencyMismatch, match="CHF and EUR"):
        Money("1", "CHF") + Money("1", "EUR")


def test_comparing_two_currencies_is_refused_but_equality_is_simply_false():
    with pytest.raises(CurrencyMismatch):
        _ = Money("1", "CHF") < Money("2", "EUR")
    assert Money("1", "CHF") != Money("1", "EUR")


def test_a_currency_mismatch_is_a_value_error():
    assert issubclass(CurrencyMismatch, ValueError)


def test_amounts_compare_within_a_currency():
    assert Money("1.00", "CHF") < Money("1.01", "CHF") <= Money("1.01", "CHF")
    assert Money("1.0", "CHF") == Money("1.00", "CHF")


def test_zero_and_negation():
    assert Money.zero("EUR").is_zero()
    assert -Money("5.75", "EUR") == Money("-5.75", "EUR")
    assert not Money("0.01", "EUR").is_zero()


def test_sum_money_adds_amounts_and_is_zero_when_empty():
    assert sum_money([Money("1.10", "CHF"), Money("2.20", "CHF")], "CHF") == Money("3.30", "CHF")
    assert sum_money([], "EUR") == Money.zero("EUR")


def test_sum_money_refuses_an_amount_in_another_currency():
    with pytest.raises(CurrencyMismatch):
        sum_money([Money("1", "CHF")], "EUR")


def test_it_prints_as_the_currency_code_and_the_amount_in_minor_units():
    assert str(Money("347.2", "CHF")) == "CHF 347.20"
    assert str(Money("1000", "JPY")) == "JPY 1000"


def test_printing_an_unrounded_amount_hides_no_digits():
    assert str(Money("0.125", "EUR")) == "EUR 0.125"


def test_format_follows_the_locale_and_rounds_half_up():
    assert Money("1234.5", "EUR").format("es_ES") == "1.234,50\xa0€"
    assert Money("0.125", "EUR").format("en") == "€0.13"
