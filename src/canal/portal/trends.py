"""The dashboard's figure that moves over time: a monthly bar chart per role (the operator's revenue, a
vendor's sales, a partner's cashback, what a customer was invoiced), read through billing's scoped
selectors and drawn as SVG geometry here, so the template only places rectangles."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import OrganisationKind
from canal.billing import selectors as billing
from canal.core import formats
from canal.core.money import Money

MONTHS = 6
CHART_HEIGHT = 120
BAR_WIDTH = 40
BAR_GAP = 16


@dataclass(frozen=True)
class Bar:
    month: date
    label: str  # the month as the reader's locale writes it
    amount: str  # the month's figure, formatted
    x: int
    y: int
    height: int
    negative: bool


@dataclass(frozen=True)
class Trend:
    title: str
    currency: str
    bars: list[Bar]
    width: int
    height: int = CHART_HEIGHT


def months_ending(today: date, count: int = MONTHS) -> list[date]:
    """The first days of the last `count` months, the current one last."""
    year, month = today.year, today.month
    firsts = []
    for _step in range(count):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def bar_heights(values: Sequence[Decimal], height: int = CHART_HEIGHT) -> list[int]:
    """Bars scaled to the largest magnitude; a month with any amount gets at least one pixel."""
    largest = max((abs(value) for value in values), default=Decimal(0))
    if not largest:
        return [0 for _value in values]
    return [max(1, int(abs(value) * height / largest)) if value else 0 for value in values]


def _series(rows: Iterable[Mapping[str, Any]], months: list[date]) -> tuple[str, list[Decimal]]:
    """The busiest currency's monthly amounts (one chart shows one currency; the others stay on lists)."""
    per_currency: dict[str, dict[date, Decimal]] = {}
    for row in rows:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        per_currency.setdefault(row["currency"], {})[month] = row["amount"] or Decimal(0)
    if not per_currency:
        return "", []
    currency = max(per_currency, key=lambda code: (sum(map(abs, per_currency[code].values())), code))
    return currency, [per_currency[currency].get(month, Decimal(0)) for month in months]


def _figure(actor: Actor, since: date) -> tuple[str, Iterable[Mapping[str, Any]]]:
    if actor.kind == OrganisationKind.OPERATOR:
        return _("Revenue per month (net)"), billing.monthly_net_invoiced(actor, since)
    if actor.kind == OrganisationKind.VENDOR:
        return _("Sales of your products per month (net)"), billing.monthly_vendor_sales(actor, since)
    if actor.kind == OrganisationKind.PARTNER:
        return _("Cashback earned per month"), billing.monthly_cashback_earned(actor, since)
    return _("Invoiced to you per month (net)"), billing.monthly_net_invoiced(actor, since)


def trend_of(actor: Actor, today: date) -> Trend | None:
    """The reader's chart over the last six months, or None while there is nothing to draw."""
    months = months_ending(today)
    title, rows = _figure(actor, months[0])
    currency, values = _series(rows, months)
    if not currency:
        return None
    bars = []
    for index, (month, value, height) in enumerate(zip(months, values, bar_heights(values), strict=True)):
        bars.append(
            Bar(
                month=month,
                label=formats.month(month),
                amount=formats.money(Money(value, currency)),
                x=index * (BAR_WIDTH + BAR_GAP),
                y=CHART_HEIGHT - height,
                height=height,
                negative=value < 0,
            )
        )
    return Trend(title=title, currency=currency, bars=bars, width=len(months) * (BAR_WIDTH + BAR_GAP))
