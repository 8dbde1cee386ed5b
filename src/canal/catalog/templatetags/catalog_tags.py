"""Formatting for catalog pages: money in the reader's language, rates as percentages, units."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from canal.catalog.rules import either, unit_name
from canal.core import formats
from canal.core.money import Money

register = template.Library()


@register.filter
def money(value: Money | None) -> str:
    """CHF 347.20 written the reader's way: "347,20 CHF" in Spanish, "CHF 347.20" in English."""
    if value is None:
        return ""
    return formats.money(value)


@register.filter
def percent(rate: Decimal | str | None) -> str:
    if rate in (None, ""):
        return ""
    value = (Decimal(str(rate)) * 100).normalize()
    return f"{value:f} %"


@register.filter
def units(quantity: int | None, unit: str) -> str:
    """ "5 seats", "1 hosting": the quantity with the product's unit in the reader's language."""
    count = int(quantity or 0)
    return f"{count} {unit_name(unit, count)}"


@register.filter
def unit_of(unit: str) -> str:
    """The singular unit name ("seat"), for "per seat"."""
    return unit_name(unit, 1)


@register.filter
def quantity_rule(plan: object, unit: str) -> str:
    """A plan's quantity rule in words: "5, 10 or 15 seats", "5 to 200 seats in steps of 5"."""
    allowed = list(getattr(plan, "allowed_quantities", []) or [])
    if allowed:
        return f"{either(allowed)} {unit_name(unit, max(allowed))}"
    minimum = max(getattr(plan, "min_quantity", 1), 1)
    maximum = getattr(plan, "max_quantity", None)
    step = getattr(plan, "quantity_step", 1)
    if maximum is not None:
        text = _("%(minimum)s to %(maximum)s %(units)s") % {
            "minimum": minimum,
            "maximum": maximum,
            "units": unit_name(unit, maximum),
        }
    else:
        text = _("from %(minimum)s %(units)s") % {"minimum": minimum, "units": unit_name(unit, minimum)}
    if step > 1:
        text += ", " + _("in steps of %(step)s") % {"step": step}
    return text


@register.simple_tag
def prices_of(prices: dict, kind: str, code: str) -> list:
    """The price views of one item ("plan", "business") from `presenters.portal_prices`."""
    return prices.get(f"{kind}:{code}", [])
