"""The pricing engine: turns items into a quote whose every line shows how its amount was reached.

Steps come in the order of DESIGN.md and R4.9: list amount, partner discount, volume (degressive)
discount on what is left, proration. Each step is rounded half up to the currency's minor unit and the
next starts from that rounded amount, so anyone can redo the arithmetic from the quote. Tax is added
by billing. Pure: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from canal.core.money import CurrencyMismatch, Money, check_currency, sum_money

from .errors import PricingError
from .models import (
    BreakdownStep,
    Flat,
    Graduated,
    Item,
    License,
    PerUnit,
    Quote,
    QuoteLine,
    StepKind,
    Volume,
    VolumeDiscount,
)
from .programme import check_partner_rate
from .proration import Proration
from .tiers import graduated_bands, tier_for

ZERO_RATE = Decimal(0)


def quote(
    items: Iterable[Item],
    *,
    currency: str,
    partner_discount_rate: Decimal = ZERO_RATE,
    proration: Proration | None = None,
) -> Quote:
    """Price `items` in `currency`, with the partner's discount rate (R4.3) and proration (R3.8) if any."""
    check_currency(currency)
    check_partner_rate(partner_discount_rate)
    lines = tuple(
        _discounted(line, partner_discount_rate, _volume_rate(item), proration)
        for item in items
        for line in _list_lines(item, currency)
    )
    return Quote(
        lines=lines, subtotal=sum_money((line.amount for line in lines), currency), currency=currency
    )


def _list_lines(item: Item, currency: str) -> list[QuoteLine]:
    """The item's lines, each with its list step only."""
    pricing = item.pricing
    match pricing:
        case PerUnit(unit_price=price) | VolumeDiscount(unit_price=price):
            return [_line(item.code, item.description, item.quantity, price, currency)]
        case Flat(price=price):
            return [_line(item.code, item.description, 1, price, currency)]
        case Volume(tiers=tiers):
            price = tier_for(tiers, item.quantity).price
            return [_line(item.code, item.description, item.quantity, price, currency)]
        case Graduated(tiers=tiers):
            return [
                _line(
                    item.code,
                    f"{item.description} (units {first} to {last})",
                    last - first + 1,
                    tier.price,
                    currency,
                )
                for tier, first, last in graduated_bands(tiers, item.quantity)
            ]
        case License():
            return _license_lines(item, pricing, currency)
    raise TypeError(f"Unknown pricing model {type(pricing).__name__}.")


def _volume_rate(item: Item) -> Decimal:
    if isinstance(item.pricing, VolumeDiscount):
        return tier_for(item.pricing.tiers, item.quantity).rate
    return ZERO_RATE


def _license_lines(item: Item, pricing: License, currency: str) -> list[QuoteLine]:
    offered = {module.code: module for module in pricing.modules}
    unknown = sorted(set(item.modules) - offered.keys())
    if unknown:
        raise PricingError(
            f"{item.description} offers no module {', '.join(unknown)}.",
            code="unknown_module",
            field="modules",
        )
    lines = [
        _line(
            f"{item.code}.{module.code}",
            f"{item.description}: {module.description}",
            1,
            module.price,
            currency,
        )
        for module in pricing.modules
        if module.code in item.modules
    ]
    tier = tier_for(pricing.client_tiers, item.quantity)
    clients = f"up to {tier.up_to} clients" if tier.up_to is not None else f"{item.quantity} clients"
    lines.append(_line(f"{item.code}.clients", f"{item.description}: {clients}", 1, tier.price, currency))
    return lines


def _line(code: str, description: str, quantity: int, unit_price: Money, currency: str) -> QuoteLine:
    if unit_price.currency != currency:
        raise CurrencyMismatch(f"{description} is priced in {unit_price.currency}, the quote in {currency}.")
    step = BreakdownStep(
        kind=StepKind.LIST,
        label=f"{quantity} x {unit_price}",
        rate_or_factor=Decimal(quantity),
        amount_before=unit_price,
        amount_after=(unit_price * quantity).quantize(),
    )
    return QuoteLine(
        description=description, code=code, quantity=quantity, unit_list_price=unit_price, steps=(step,)
    )


def _discounted(
    line: QuoteLine, partner_rate: Decimal, volume_rate: Decimal, proration: Proration | None
) -> QuoteLine:
    steps = list(line.steps)
    if partner_rate:
        steps.append(
            _discount(StepKind.PARTNER_DISCOUNT, "Partner discount", partner_rate, steps[-1].amount_after)
        )
    if volume_rate:
        # R4.9: the degressive discount applies to what is left after the partner discount.
        steps.append(
            _discount(StepKind.VOLUME_DISCOUNT, "Volume discount", volume_rate, steps[-1].amount_after)
        )
    if proration is not None and proration.days_left != proration.days_in_cycle:
        before = steps[-1].amount_after
        steps.append(
            BreakdownStep(
                StepKind.PRORATION, proration.label, proration.factor, before, proration.apply(before)
            )
        )
    return replace(line, steps=tuple(steps))


def _discount(kind: StepKind, label: str, rate: Decimal, before: Money) -> BreakdownStep:
    return BreakdownStep(
        kind=kind,
        label=f"{label} {rate:%}",
        rate_or_factor=rate,
        amount_before=before,
        amount_after=(before * (1 - rate)).quantize(),
    )
