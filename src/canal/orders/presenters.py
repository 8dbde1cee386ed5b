"""How orders read in lists and pages (no rules, no queries beyond the order's own relations)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.core.money import Money
from canal.orders.models import Order, OrderKind


def price_label(order: Order) -> str:
    """R2.15: the price in the order's currency, or the free plan's name (“Freemium”)."""
    if order.free_plan and order.plan is not None:
        return order.plan.name
    if order.kind == OrderKind.TRIAL:
        return str(_("Free trial"))
    return str(Money(order.net_total, order.currency).quantize())


def shows_lines(actor: Actor, order: Order) -> bool:
    """The price breakdown (partner discount, cashback) is the payer's business and operator staff's:
    a vendor or a customer whose partner paid sees the order without it."""
    return actor.is_operator or order.payer_id == actor.organisation.pk


def lines_for_display(order: Order) -> list[dict]:
    """The order's lines with amounts as Money, so templates format them like the catalog does."""
    return display_lines(order.lines, order.currency)


def charges_for_display(charges: list) -> list[dict]:
    """Billing charges (a checkout preview) shaped like an order's stored lines."""
    from canal.orders.invoicing import lines_of

    return display_lines(lines_of(charges), charges[0].amount.currency if charges else "EUR")


def display_lines(lines: list[dict], currency: str) -> list[dict]:
    shown = []
    for line in lines:
        line_currency = line.get("currency", currency)
        shown.append(
            {
                **line,
                "unit_price_money": Money(line["unit_price"], line_currency),
                "amount_money": Money(line["amount"], line_currency),
                "steps_shown": [_step_shown(step, line_currency) for step in line["steps"]],
            }
        )
    return shown


def timeline_for_display(entries: object) -> list[dict]:
    """Audit entries as timeline steps: when, what (translated), who, on whose behalf, why."""
    from canal.orders import timeline

    return [
        {
            "at": entry.at,
            "label": timeline.label(entry.action),
            "by": entry.user,
            "for": entry.organisation,
            "reason": entry.reason,
        }
        for entry in entries  # type: ignore[attr-defined]
    ]


def _step_shown(step: dict, currency: str) -> dict:
    """A breakdown step with Money amounts; a deduction also carries what it deducts, so the page shows
    "minus 290.00" beside the deduction and the result after it (issue 14)."""
    shown = {**step, "amount_after_money": Money(step["amount_after"], currency)}
    if step.get("kind") == "already_paid" and "amount_before" in step:
        shown["deducted_money"] = Money(step["amount_before"], currency) - Money(
            step["amount_after"], currency
        )
    return shown
