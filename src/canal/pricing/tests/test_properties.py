from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canal.core.money import CurrencyMismatch, Money, round_money, sum_money
from canal.pricing import (
    MAX_PARTNER_RATE,
    DiscountTier,
    Flat,
    Graduated,
    Item,
    PerUnit,
    PriceTier,
    Proration,
    StepKind,
    Volume,
    VolumeDiscount,
    prorate,
    quote,
)

CURRENCIES = ("CHF", "EUR", "USD", "JPY", "BHD")


@st.composite
def money(draw, currency: str) -> Money:
    digits = {"JPY": 0, "BHD": 3}.get(currency, 2)
    return Money(Decimal(draw(st.integers(0, 10**7))).scaleb(-digits), currency)


rates = st.decimals(min_value=0, max_value=1, places=4)
partner_rates = st.decimals(min_value=0, max_value=MAX_PARTNER_RATE, places=4)


@st.composite
def bounds(draw) -> list[int | None]:
    closed = sorted(draw(st.sets(st.integers(1, 500), min_size=0, max_size=4)))
    return [*closed, None]


@st.composite
def items(draw, currency: str) -> Item:
    kind = draw(st.sampled_from(["per_unit", "flat", "volume", "volume_discount", "graduated"]))
    if kind == "per_unit":
        pricing = PerUnit(draw(money(currency)))
    elif kind == "flat":
        pricing = Flat(draw(money(currency)))
    elif kind == "volume_discount":
        pricing = VolumeDiscount(
            draw(money(currency)), tuple(DiscountTier(b, draw(rates)) for b in draw(bounds()))
        )
    else:
        tiers = tuple(PriceTier(b, draw(money(currency))) for b in draw(bounds()))
        pricing = Volume(tiers) if kind == "volume" else Graduated(tiers)
    return Item("code", "Item", pricing, draw(st.integers(0, 1000)))


@st.composite
def prorations(draw) -> Proration:
    cycle_start = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
    days = draw(st.integers(1, 366))
    purchase_date = cycle_start + timedelta(days=draw(st.integers(0, days - 1)))
    return Proration(purchase_date, cycle_start, cycle_start + timedelta(days=days))


@st.composite
def quotes(draw):
    currency = draw(st.sampled_from(CURRENCIES))
    return quote(
        draw(st.lists(items(currency), max_size=5)),
        currency=currency,
        partner_discount_rate=draw(partner_rates),
        proration=draw(st.none() | prorations()),
    )


@given(quotes())
def test_discounts_and_proration_never_raise_a_price(result):
    for line in result.lines:
        for step in line.steps[1:]:
            assert step.amount_after <= step.amount_before
        assert line.amount <= line.list_amount


@given(st.data())
def test_a_bigger_partner_discount_never_costs_more(data):
    currency = data.draw(st.sampled_from(CURRENCIES))
    basket = data.draw(st.lists(items(currency), max_size=5))
    low, high = sorted(data.draw(st.lists(partner_rates, min_size=2, max_size=2)))

    assert (
        quote(basket, currency=currency, partner_discount_rate=high).subtotal
        <= quote(basket, currency=currency, partner_discount_rate=low).subtotal
    )


@given(quotes())
def test_a_quote_subtotal_is_the_sum_of_its_rounded_lines(result):
    assert result.subtotal == sum_money((line.amount for line in result.lines), result.currency)
    for line in result.lines:
        assert line.amount.amount == round_money(line.amount.amount, result.currency)


@given(quotes())
def test_anyone_can_redo_each_step_from_the_previous_rounded_amount(result):
    for line in result.lines:
        list_step, *later = line.steps
        assert list_step.amount_after == (list_step.amount_before * list_step.rate_or_factor).quantize()
        previous = list_step
        for step in later:
            assert step.amount_before == previous.amount_after
            # A proration factor may be a rounded repeating decimal (16/30); the discounts are exact.
            if step.kind != StepKind.PRORATION:
                assert step.amount_after == (step.amount_before * (1 - step.rate_or_factor)).quantize()
            previous = step
        assert [step.kind for step in line.steps] == sorted(
            (step.kind for step in line.steps), key=list(StepKind).index
        )


@given(st.sampled_from(CURRENCIES).flatmap(money), prorations())
def test_proration_stays_between_zero_and_the_full_price(price, proration):
    prorated = proration.apply(price)

    assert Money.zero(price.currency) <= prorated <= price


@given(st.sampled_from(CURRENCIES).flatmap(money), prorations(), st.integers(1, 366))
def test_proration_grows_with_the_days_left(price, proration, days_earlier):
    earlier = max(proration.cycle_start, proration.purchase_date - timedelta(days=days_earlier))
    cycle = {"cycle_start": proration.cycle_start, "next_cycle_start": proration.next_cycle_start}

    assert prorate(price, purchase_date=earlier, **cycle) >= prorate(
        price, purchase_date=proration.purchase_date, **cycle
    )


@given(st.lists(st.sampled_from(CURRENCIES), min_size=2, max_size=2, unique=True), st.data())
def test_money_of_two_currencies_never_mixes(pair, data):
    first, second = (data.draw(money(currency)) for currency in pair)

    with pytest.raises(CurrencyMismatch):
        first + second
    with pytest.raises(CurrencyMismatch):
        first - second
    with pytest.raises(CurrencyMismatch):
        _ = first < second
    with pytest.raises(CurrencyMismatch):
        sum_money([first, second], pair[0])
    with pytest.raises(CurrencyMismatch):
        quote([Item("x", "X", PerUnit(first))], currency=pair[1])
