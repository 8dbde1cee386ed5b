"""Text stored now and read later (notifications, ledger lines): kept as a message id (an English msgid
marked with `gettext_noop`) and its parameters, and rendered when shown, in the language active for the
reader. Money stays amount + currency and dates stay ISO until then, so both are written the reader's way.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from babel.numbers import list_currencies
from django.utils import translation
from django.utils.translation import gettext

from canal.core import formats
from canal.core.money import Money


def stored_params(params: dict[str, Any] | None) -> dict[str, Any]:
    """`params` as JSON that keeps each value's kind: Money and dates as tagged objects, the rest as text."""
    stored: dict[str, Any] = {}
    for name, value in (params or {}).items():
        if isinstance(value, Money):
            stored[name] = {"money": str(value.amount), "currency": value.currency}
        elif isinstance(value, datetime):
            stored[name] = {"datetime": value.isoformat()}
        elif isinstance(value, date):
            stored[name] = {"date": value.isoformat()}
        elif isinstance(value, int | Decimal) and not isinstance(value, bool):
            stored[name] = {"number": str(value)}
        else:
            stored[name] = str(value)
    return stored


def _shown(value: Any) -> str:
    if not isinstance(value, dict):
        return str(value)
    if "money" in value:
        return formats.money(Money(value["money"], value["currency"]))
    if "datetime" in value:
        return formats.when(datetime.fromisoformat(value["datetime"]))
    if "date" in value:
        return formats.when(date.fromisoformat(value["date"]))
    if "number" in value:
        return f"{Decimal(value['number']).normalize():f}"
    return str(value)


def render(message: str, params: dict[str, Any] | None) -> str:
    """`message` translated into the active language, with `params` (as stored) written the same way."""
    if not message:
        return ""
    translated = gettext(message)
    if not params:
        return translated
    return translated % {name: _shown(value) for name, value in params.items()}


_STORED_MONEY = re.compile(r"(?P<currency>[A-Z]{3}) (?P<amount>-?\d+(?:\.\d+)?)")


def recovered(text: str, messages: list[str], languages: list[str]) -> tuple[str, dict[str, Any]] | None:
    """The message id and parameters behind `text` written earlier in one of `languages` (for migrating
    rows stored as words), or None. Amounts written as "EUR 30.00" come back as money."""
    for message in messages:
        for language in languages:
            with translation.override(language):
                translated = gettext(message)
            pattern = "".join(
                f"(?P<{piece[2:-2]}>.+?)" if piece.startswith("%(") else re.escape(piece)
                for piece in re.split(r"(%\(\w+\)s)", translated)
                if piece
            )
            try:
                match = re.fullmatch(pattern, text, flags=re.DOTALL)
            except re.error:  # a name used twice in one message: not recoverable this way
                continue
            if match:
                params: dict[str, Any] = {}
                for name, value in match.groupdict().items():
                    money = _STORED_MONEY.fullmatch(value)
                    if money and money["currency"] in list_currencies():
                        params[name] = {"money": money["amount"], "currency": money["currency"]}
                    else:
                        params[name] = value
                return message, params
    return None
