"""`{% load canal_formats %}`: money and dates the reader's way, one format on every page
(`canal.core.formats`, babel), instead of Django's date formats beside babel's money."""

from datetime import date, datetime

from django import template

from canal.core import formats
from canal.core.money import Money

register = template.Library()


@register.filter
def when(value: datetime | date | None) -> str:
    """ "1 dic 2026, 14:48" in Spanish, "1 Dec 2026, 14:48" in English; empty for None."""
    return formats.when(value) if value else ""


@register.filter
def money(value: Money | None) -> str:
    return formats.money(value) if value is not None else ""
