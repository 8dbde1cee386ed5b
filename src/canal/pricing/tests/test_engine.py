from datetime import date
from decimal import Decimal

import pytest

from canal.core.money import CurrencyMismatch, Money
from canal.pricing import (
    DiscountTier,
    Flat,
    Graduated,
    Item,
    License,
    Module,
    PerUnit,
    PriceTier,
    PricingError,
    ProgrammeLevel,
    Proration,
    StepKind,
    Volume,
    VolumeDiscount,
    cashback,
    prorate,
    proration_factor,
    quote,
)

# R4.9: the hosting provider's degressive price for web hostings; 35 hostings fall in the 25 % tier.
HOSTING_TIERS = (
    DiscountTier(9, Decimal(0)),
    DiscountTier(24, Decimal("0.10")),
    DiscountTier(None, Decimal("0.25")),
)
NOVEMBER_2026 = {"cycle_start": date(2026, 11, 1), "next_cycle_start": date(2026, 12, 1)}


def hostings(quantity: int, unit_price: Money) -> Item:
    return Item("web", "Web hosting", VolumeDiscount(unit_price, HOSTING_TIERS), quantity)


def amounts(line):
    return [(step.kind, str(step.amount_after)) for step in line.steps]


def test_r4_9_partner_discount_then_volume_discount_chf():
    result = quote(
        [hostings(35, Money("9.92", "CHF"))], currency="CHF", partner_discount_rate=Decimal("0.20")
    )

    assert amounts(result.lines[0]) == [
        (StepKind.LIST, "CHF 347.20"),
        (StepKind.PARTNER_DISCOUNT, "CHF 277.76"),
        (StepKind.VOLUME_DISCOUNT, "CHF 208.32"),
    ]
    assert result.subtotal == Money("208.32", "CHF")
    assert (1 - result.subtotal.amount / Decimal("347.20")).quantize(Decimal("0.01")) == Decimal("0.40")


def test_r4_9_partner_discount_then_volume_discount_eur():
    result = quote(
        [hostings(35, Money("5.75", "EUR"))], currency="EUR", partner_discount_rate=Decimal("0.20")
    )

    assert amounts(result.lines[0]) == [
        (StepKind.LIST, "EUR 201.25"),
        (StepKind.PARTNER_DISCOUNT, "EUR 161.00"),
        (StepKind.VOLUME_DISCOUNT, "EUR 120.75"),
    ]
    assert result.subtotal == Money("120.75", "EUR")


def test_r4_9_each_step_rounds_half_up_and_the_next_starts_from_the_rounded_amount():
    line = quote(
        [hostings(35, Money("0.14", "CHF"))], currency="CHF", partner_discount_rate=Decimal("0.15")
    ).lines[0]

    list_step, partner_step, volume_step = line.steps
    assert list_step.amount_after == Money("4.90", "CHF")
    assert partner_step.amount_after == Money("4.17", "CHF")  # 4.165, half up
    assert volume_step.amount_before == partner_step.amount_after
    assert volume_step.amount_after == Money("3.13", "CHF")  # 3.1275; 4.90 x 0.85 x 0.75 unrounded gives 3.12


def test_r3_8_license_bought_mid_cycle_costs_half():
    assert proration_factor(purchase_date=date(2026, 11, 16), **NOVEMBER_2026) == Decimal("0.5")
    assert prorate(Money("29.90", "EUR"), purchase_date=date(2026, 11, 16), **NOVEMBER_2026) == Money(
        "14.95", "EUR"
    )


def test_r3_8_license_bought_on_the_first_day_of_the_cycle_costs_the_full_price():
    assert prorate(Money("29.90", "EUR"), purchase_date=date(2026, 11, 1), **NOVEMBER_2026) == Money(
        "29.90", "EUR"
    )


def test_r3_8_a_mid_cycle_quote_shows_the_days_left_as_its_last_step():
    seat = Item("voip", "VoIP calls license", PerUnit(Money("12.00", "EUR")), 3)
    proration = Proration(purchase_date=date(2026, 11, 16), **NOVEMBER_2026)

    line = quote([seat], currency="EUR", proration=proration).lines[0]

    assert line.steps[-1].kind == StepKind.PRORATION
    assert line.steps[-1].label == "15/30 days"
    assert line.amount == Money("18.00", "EUR")


def test_proration_refuses_a_purchase_outside_the_cycle():
    with pytest.raises(PricingError, match="outside the cycle") as error:
        prorate(Money("10", "EUR"), purchase_date=date(2026, 12, 1), **NOVEMBER_2026)
    assert error.value.code == "purchase_outside_cycle"


def test_proration_refuses_datetimes_because_they_count_hours():
    from datetime import datetime

    with pytest.raises(TypeError, match="dates"):
        proration_factor(purchase_date=datetime(2026, 11, 16, 12), **NOVEMBER_2026)


def test_r4_3_programme_level_discount_and_cashback():
    level = ProgrammeLevel("Gold", discount_rate=Decimal("0.20"), cashback_rate=Decimal("0.10"))
    item = Item("mail", "Mail service", PerUnit(Money("5.00", "CHF")), 10)

    partner_price = quote([item], currency="CHF", partner_discount_rate=level.discount_rate).subtotal

    assert partner_price == Money("40.00", "CHF")
    assert _cashback([item], level) == Money("5.00", "CHF")


def test_r4_3_a_discount_rate_above_35_percent_is_refused():
    with pytest.raises(PricingError, match="between 0 and 35%") as error:
        ProgrammeLevel("Too generous", discount_rate=Decimal("0.36"), cashback_rate=Decimal(0))
    assert error.value.field == "discount_rate"


def test_r4_3_a_quote_refuses_a_partner_discount_above_35_percent():
    with pytest.raises(PricingError, match="35%"):
        quote([hostings(1, Money("9.92", "CHF"))], currency="CHF", partner_discount_rate=Decimal("0.40"))


def test_r4_7_r4_9_cashback_is_the_public_price_minus_the_partner_price_after_volume_discount():
    level = ProgrammeLevel("Silver", discount_rate=Decimal("0.20"), cashback_rate=Decimal("0.10"))

    # Public 347.20 - 25 % = 260.40; partner 347.20 - 10 % = 312.48, - 25 % = 234.36.
    assert _cashback([hostings(35, Money("9.92", "CHF"))], level) == Money("26.04", "CHF")


def _cashback(items: list[Item], level: ProgrammeLevel) -> Money:
    """R4.7: the public price minus the price at the level's cashback rate."""
    public = quote(items, currency="CHF").subtotal
    partner = quote(items, currency="CHF", partner_discount_rate=level.cashback_rate).subtotal
    return cashback(public_price=public, partner_price=partner)


def test_r4_7_cashback_refuses_a_partner_price_above_the_public_price():
    with pytest.raises(PricingError, match="above the public price"):
        cashback(public_price=Money("10", "CHF"), partner_price=Money("11", "CHF"))


def test_per_unit_price_is_unit_price_times_quantity():
    result = quote([Item("base", "Base license", PerUnit(Money("19.90", "EUR")), 4)], currency="EUR")

    assert result.subtotal == Money("79.60", "EUR")
    assert result.lines[0].steps[0].label == "4 x EUR 19.90"


def test_volume_prices_all_units_at_the_tier_the_quantity_falls_into():
    tiers = (PriceTier(10, Money("10.00", "USD")), PriceTier(None, Money("8.00", "USD")))

    result = quote([Item("seat", "Seats", Volume(tiers), 11)], currency="USD")

    assert result.lines[0].unit_list_price == Money("8.00", "USD")
    assert result.subtotal == Money("88.00", "USD")


def test_volume_discount_below_the_first_discounted_tier_shows_no_discount_step():
    line = quote([hostings(5, Money("9.92", "CHF"))], currency="CHF").lines[0]

    assert [step.kind for step in line.steps] == [StepKind.LIST]
    assert line.amount == Money("49.60", "CHF")


def test_graduated_prices_each_unit_at_its_own_tier_with_a_line_per_tier():
    tiers = (PriceTier(10, Money("10.00", "USD")), PriceTier(None, Money("8.00", "USD")))

    result = quote([Item("seat", "Seats", Graduated(tiers), 12)], currency="USD")

    assert [(line.description, line.quantity, str(line.amount)) for line in result.lines] == [
        ("Seats (units 1 to 10)", 10, "USD 100.00"),
        ("Seats (units 11 to 12)", 2, "USD 16.00"),
    ]
    assert result.subtotal == Money("116.00", "USD")


def test_flat_price_ignores_the_quantity():
    result = quote([Item("setup", "Self-start onboarding", Flat(Money("500", "USD")), 10)], currency="USD")

    assert result.subtotal == Money("500.00", "USD")


def test_r2_5_pro_license_costs_its_chosen_modules_plus_its_client_tier():
    pro = License(
        modules=(Module("qos", "QoS", Money("120", "USD")), Module("vpn", "VPN", Money("80", "USD"))),
        client_tiers=(PriceTier(500, Money("400", "USD")), PriceTier(1000, Money("700", "USD"))),
    )

    result = quote([Item("pro", "PRO license", pro, quantity=600, modules=("vpn",))], currency="USD")

    assert [(line.code, str(line.amount)) for line in result.lines] == [
        ("pro.vpn", "USD 80.00"),
        ("pro.clients", "USD 700.00"),
    ]
    assert result.lines[1].description == "PRO license: up to 1000 clients"
    assert result.subtotal == Money("780.00", "USD")


def test_a_license_refuses_a_module_it_does_not_offer():
    pro = License(modules=(), client_tiers=(PriceTier(None, Money("0", "USD")),))

    with pytest.raises(PricingError, match="no module ids") as error:
        quote([Item("pro", "PRO license", pro, 100, modules=("ids",))], currency="USD")
    assert error.value.code == "unknown_module"


def test_a_quantity_above_the_last_tier_is_refused():
    tiers = (PriceTier(1000, Money("700", "USD")),)

    with pytest.raises(PricingError, match="No tier covers a quantity of 1001"):
        quote([Item("seat", "Seats", Volume(tiers), 1001)], currency="USD")


def test_tiers_out_of_order_are_refused():
    tiers = (PriceTier(50, Money("5", "USD")), PriceTier(10, Money("6", "USD")))

    with pytest.raises(PricingError, match="go up in order"):
        quote([Item("seat", "Seats", Volume(tiers), 5)], currency="USD")


def test_a_negative_quantity_is_refused():
    with pytest.raises(PricingError, match="0 or more"):
        Item("seat", "Seats", PerUnit(Money("5", "USD")), -1)


def test_an_item_priced_in_another_currency_than_the_quote_is_refused():
    with pytest.raises(CurrencyMismatch, match="priced in EUR"):
        quote([hostings(1, Money("5.75", "EUR"))], currency="CHF")


def test_an_empty_quote_costs_zero_in_its_currency():
    assert quote([], currency="CHF").subtotal == Money.zero("CHF")
