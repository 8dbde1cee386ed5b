"""Tax on invoices: pure functions, no database. Rates come from the TaxRate table via the caller.

The buyer's country decides the rate. A business buyer (it has a tax id) in a country configured for
reverse charge, invoiced from another country, pays no tax on the invoice and accounts for it itself;
the invoice says so. Tax is computed per line and rounded half up, so the invoice's tax is the sum of
its lines' rounded taxes and anyone can redo it line by line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from canal.core.money import Money, sum_money


@dataclass(frozen=True)
class TaxRule:
    country: str
    name: str
    rate: Decimal
    reverse_charge_for_business: bool = False


@dataclass(frozen=True)
class TaxTreatment:
    rate: Decimal
    name: str
    reverse_charge: bool = False


NO_TAX = TaxTreatment(rate=Decimal(0), name="")


def tax_treatment(
    *, seller_country: str, buyer_country: str, buyer_is_business: bool, rule: TaxRule | None
) -> TaxTreatment:
    """How a buyer in `buyer_country` is taxed, given the rule configured for that country (or none)."""
    if rule is None:
        return NO_TAX
    if rule.reverse_charge_for_business and buyer_is_business and buyer_country != seller_country:
        return TaxTreatment(rate=Decimal(0), name=rule.name, reverse_charge=True)
    return TaxTreatment(rate=rule.rate, name=rule.name)


def line_tax(net: Money, rate: Decimal) -> Money:
    return (net * rate).quantize()


@dataclass(frozen=True)
class Totals:
    net: Money
    tax: Money
    total: Money


def totals(lines: Iterable[tuple[Money, Money]], currency: str) -> Totals:
    """Invoice totals from (rounded net, rounded tax) per line: sums of the rounded lines, nothing else."""
    lines = list(lines)
    net = sum_money((line_net for line_net, _ in lines), currency)
    tax = sum_money((line_tax_ for _, line_tax_ in lines), currency)
    return Totals(net=net, tax=tax, total=net + tax)
