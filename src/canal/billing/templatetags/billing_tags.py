"""Formatting for billing pages: amounts in the reader's language."""

from decimal import Decimal

from django import template

from canal.core.formats import current_locale
from canal.core.money import Money, round_money

register = template.Library()


@register.filter
def amount(value: Decimal | Money | None, currency: str = "") -> str:
    """`{{ invoice.total|amount:invoice.currency }}` or `{{ money|amount }}`: "1.234,50 €", "CHF 347.20"."""
    if value is None:
        return ""
    money = value if isinstance(value, Money) else Money(value, currency)
    return money.format(current_locale())


@register.filter
def percent(rate: Decimal | None) -> str:
    if rate is None:
        return ""
    return f"{(Decimal(rate) * 100).normalize():f} %"


@register.filter
def credits(value: Decimal | None) -> str:
    return f"{int(value or 0)}"


@register.filter
def plain_amount(value: Decimal | None, currency: str) -> str:
    """The amount rounded to the currency's minor unit, as a form field wants it: "2141.70"."""
    if value is None:
        return ""
    return str(round_money(Decimal(value), currency))
