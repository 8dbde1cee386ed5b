"""Money and dates written the reader's way: babel, with the locale of the active language. Pages, CSVs,
e-mails and stored text all format through here, so one page never shows "EUR 30.00" beside "30,00 €"."""

from __future__ import annotations

from datetime import date, datetime

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from django.utils import timezone, translation

from canal.core.money import Money

LOCALES = {"es": "es_ES", "en": "en_GB"}


def current_locale() -> str:
    """The babel locale of the active language ("es" -> "es_ES")."""
    return LOCALES.get((translation.get_language() or "es")[:2], "es_ES")


def money(value: Money) -> str:
    """ "1.234,50 €" in Spanish, "€1,234.50" in English."""
    return value.format(current_locale())


def when(value: datetime | date) -> str:
    """A moment (in the site's time zone) or a day, as the reader's locale writes it: "1 dic 2026, 14:48"
    (medium date, short time: seconds say nothing to a reader)."""
    locale = current_locale()
    if not isinstance(value, datetime):
        return format_date(value, format="medium", locale=locale)
    moment = timezone.localtime(value) if timezone.is_aware(value) else value
    day = format_date(moment, format="medium", locale=locale)
    time = format_time(moment, format="short", locale=locale)
    return Locale.parse(locale).datetime_formats["medium"].format(time, day)


def month(value: date) -> str:
    """A month as the reader's locale abbreviates it: "dic 2026", "Dec 2026" (chart axes)."""
    return format_skeleton("yMMM", value, locale=current_locale())
