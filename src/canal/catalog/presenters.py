"""Turn catalog rows and priced configurations into the API's plain shapes (no rules, no queries)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from canal.core.money import Money
from canal.pricing import Quote

from .models import Product
from .quoting import amount_text, discounted
from .selectors import price_rows_by_currency
from .services import PricedConfiguration


def _text(value: Decimal | None, currency: str) -> str | None:
    return None if value is None else amount_text(Money(value, currency))


def product_detail(product: Product, partner_rate: Decimal | None) -> dict[str, Any]:
    """The product with its rules and its prices; partner prices next to public ones when a rate is given."""
    prices = []
    for currency, rows in sorted(price_rows_by_currency(product).items()):
        for (kind, code), row in sorted(rows.items()):
            partner_amount = None
            if partner_rate is not None and row.amount is not None:
                partner_amount = amount_text(discounted(Money(row.amount, currency), partner_rate))
            tiers = []
            for tier in row.tiers:
                shown: dict[str, Any] = {"up_to": tier["up_to"]}
                if "rate" in tier:
                    shown["rate"] = tier["rate"]
                else:
                    price = Money(tier["price"], currency)
                    shown["price"] = _text(price.amount, currency)
                    if partner_rate is not None:
                        shown["partner_price"] = amount_text(discounted(price, partner_rate))
                tiers.append(shown)
            prices.append(
                {
                    "item_kind": kind,
                    "item_code": code,
                    "currency": currency,
                    "model": row.model,
                    "amount": _text(row.amount, currency),
                    "partner_amount": partner_amount,
                    "tiers": tiers,
                }
            )
    return {
        **product_summary(product),
        "requires_terms_acceptance": product.requires_terms_acceptance,
        "terms_url": product.terms_url,
        "requires_end_customer": product.requires_end_customer,
        "provisioning_hours": product.provisioning_hours,
        "currencies": sorted(price_list.currency for price_list in product.price_lists.all()),
        "partner_discount_rate": None if partner_rate is None else str(partner_rate),
        "plans": [
            {
                "code": plan.code,
                "name": plan.name,
                "description": plan.shown_description,
                "rank": plan.rank,
                "term": plan.term,
                "trial_days": plan.trial_days,
                "quantity": {
                    "minimum": plan.min_quantity,
                    "maximum": plan.max_quantity,
                    "step": plan.quantity_step,
                    "allowed": plan.allowed_quantities,
                    "suggest_over_maximum": plan.suggest_over_maximum.code
                    if plan.suggest_over_maximum
                    else None,
                },
                "package_required_above": plan.package_required_above,
                "includes_all_modules": plan.includes_all_modules,
                "renewable": plan.renewable,
                "quantity_changeable": plan.quantity_changeable,
            }
            for plan in product.plans.all()
        ],
        "add_ons": [{**_option(a), "plans": [p.code for p in a.plans.all()]} for a in product.add_ons.all()],
        "packages": [
            {**_option(p), "plans": [plan.code for plan in p.plans.all()], "seat_limit": p.seat_limit}
            for p in product.packages.all()
        ],
        "modules": [_option(m) for m in product.modules.all()],
        "license_types": [_option(t) for t in product.license_types.all()],
        "support_packs": [{**_option(p), "credits": p.credits} for p in product.support_packs.all()],
        "ticket_categories": [
            {
                **_option(c),
                "help": c.shown_help,
                "cost_licensed": c.cost_licensed,
                "cost_unlicensed": c.cost_unlicensed,
            }
            for c in product.ticket_categories.all()
        ],
        "prices": prices,
    }


def product_summary(product: Product) -> dict[str, Any]:
    return {
        "code": product.code,
        "name": product.name,
        "vendor": {"id": product.vendor_id, "name": product.vendor.name},
        "kind": product.kind,
        "unit": product.unit,
        "category": product.shown_category,
        "description": product.shown_description,
        "priority_support": product.priority_support,
        "is_active": product.is_active,
    }


def _option(item: Any) -> dict[str, Any]:
    # Catalog texts in the caller's language (Accept-Language), the file's own text when not translated.
    return {"code": item.code, "name": item.shown_name, "description": item.shown_description}


def _lines(quote: Quote) -> list[dict[str, Any]]:
    return [
        {
            "code": line.code,
            "description": line.description,
            "quantity": line.quantity,
            "unit_list_price": amount_text(line.unit_list_price),
            "amount": amount_text(line.amount),
            "steps": [
                {
                    "kind": str(step.kind),
                    "label": step.label,
                    "rate_or_factor": str(step.rate_or_factor),
                    "amount_before": amount_text(step.amount_before),
                    "amount_after": amount_text(step.amount_after),
                }
                for step in line.steps
            ],
        }
        for line in quote.lines
    ]


def quote_body(priced: PricedConfiguration) -> dict[str, Any]:
    # quote_configuration refuses a configuration it could not price, so both quotes are there.
    assert priced.quote is not None
    assert priced.public_quote is not None
    return {
        "product": priced.offer.code,
        "plan": priced.configuration.plan,
        "customer": _reference(priced.customer),
        "payer": _reference(priced.payer),
        "currency": priced.currency,
        "benefit": str(priced.benefit),
        "partner_discount_rate": str(priced.partner_discount_rate),
        "lines": _lines(priced.quote),
        "subtotal": amount_text(priced.quote.subtotal),
        "public_subtotal": amount_text(priced.public_quote.subtotal),
        "cashback": amount_text(priced.cashback) if priced.cashback is not None else None,
    }


def _reference(organisation: Any) -> dict[str, Any] | None:
    return None if organisation is None else {"id": organisation.pk, "name": organisation.name}


# --- the portal's view of prices ------------------------------------------------------------------


@dataclass(frozen=True)
class TierView:
    first: int
    up_to: int | None
    price: Money | None
    rate: Decimal | None
    partner_price: Money | None


@dataclass(frozen=True)
class PriceView:
    """One item's price in one currency, with the partner's price when the reader is a partner."""

    currency: str
    model: str
    amount: Money | None
    partner_amount: Money | None
    tiers: tuple[TierView, ...]


def portal_prices(product: Product, partner_rate: Decimal | None) -> dict[str, list[PriceView]]:
    """Prices by "kind:code" ("plan:business"), one entry per currency."""
    views: dict[str, list[PriceView]] = {}
    for currency, rows in sorted(price_rows_by_currency(product).items()):
        for (kind, code), row in rows.items():
            amount = Money(row.amount, currency) if row.amount is not None else None
            firsts = [1, *((tier["up_to"] or 0) + 1 for tier in row.tiers[:-1])][: len(row.tiers)]
            tiers = tuple(
                TierView(
                    first=first,
                    up_to=tier["up_to"],
                    price=Money(tier["price"], currency) if "price" in tier else None,
                    rate=Decimal(tier["rate"]) if "rate" in tier else None,
                    partner_price=(
                        discounted(Money(tier["price"], currency), partner_rate)
                        if "price" in tier and partner_rate
                        else None
                    ),
                )
                for first, tier in zip(firsts, row.tiers, strict=True)
            )
            views.setdefault(f"{kind}:{code}", []).append(
                PriceView(
                    currency=currency,
                    model=row.model,
                    amount=amount,
                    partner_amount=discounted(amount, partner_rate)
                    if amount is not None and partner_rate
                    else None,
                    tiers=tiers,
                )
            )
    return views
