"""Formatting shared by the portal pages, the PDF and the exports: how a stored breakdown step reads."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from canal.core.money import Money


def step_label(kind: str) -> str:
    labels = {
        "list": _("List amount"),
        "partner_discount": _("Partner discount"),
        "volume_discount": _("Volume discount"),
        "proration": _("Proration"),
    }
    return labels.get(kind, kind)


def step_detail(step: dict[str, str]) -> str:
    """The step's factor as a reader expects it: "3 x", "-20 %", "16/30 days"."""
    kind = step.get("kind", "")
    factor = Decimal(step.get("rate_or_factor", "0"))
    if kind == "list":
        return f"{factor.normalize():f} x"
    if kind in {"partner_discount", "volume_discount"}:
        return f"-{(factor * 100).normalize():f} %"
    if kind == "proration":
        label = step.get("label", "")
        return label.replace("days", _("days"))
    return step.get("label", "")


def step_text(step: dict[str, str], currency: str, locale: str) -> str:
    before = Money(step["amount_before"], currency).format(locale)
    after = Money(step["amount_after"], currency).format(locale)
    return f"{step_label(step.get('kind', ''))} ({step_detail(step)}): {before} -> {after}"
