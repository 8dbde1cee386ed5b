"""From a valid configuration to the pricing engine's items, and the engine's quote. Pure.

One item per priced thing: the plan (for on-premise licenses, the client-count tier plus the chosen
modules, R2.5), each add-on (per unit of the plan's quantity when priced per unit), the onboarding
package, each license type bought (R3.4) and the support pack.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext as _

from canal.core.money import Money
from canal.pricing import (
    Flat,
    Item,
    License,
    Module,
    PriceTier,
    PricingError,
    PricingModel,
    Proration,
    Quote,
    quote,
)

from .offer import Configuration, Offer, Violation

FREE = Decimal(0)


class NotPriced(Exception):
    """The catalog has no price for an item in the requested currency."""

    def __init__(self, violation: Violation) -> None:
        super().__init__(violation.message)
        self.violation = violation


def currency_violation(offer: Offer, currency: str) -> Violation | None:
    if currency in offer.prices:
        return None
    return Violation(
        "currency_not_offered",
        "currency",
        _("%(product)s has no prices in %(currency)s. Choose %(currencies)s.")
        % {"product": offer.name, "currency": currency, "currencies": ", ".join(offer.currencies)},
        offer.currencies[0] if offer.currencies else None,
    )


def items_for(offer: Offer, configuration: Configuration, currency: str) -> list[Item]:
    """The engine items of a configuration that `rules.violations()` accepted."""
    prices = offer.prices[currency]

    def price(kind: str, code: str, name: str) -> PricingModel:
        try:
            return prices[(kind, code)]  # type: ignore[return-value]
        except KeyError:
            raise NotPriced(
                Violation(
                    "not_priced",
                    "currency",
                    _("%(item)s has no price in %(currency)s yet; ask the vendor or choose another currency.")
                    % {"item": name, "currency": currency},
                )
            ) from None

    items: list[Item] = []
    plan = offer.plan(configuration.plan)
    if plan is not None and ("plan", plan.code) in prices:
        description = offer.name if plan.name == offer.name else f"{offer.name} {plan.name}"
        pricing = prices[("plan", plan.code)]
        if isinstance(pricing, tuple):
            items.append(_license_item(offer, configuration, description, pricing, price))
        elif plan.includes_all_modules:
            items.append(Item(plan.code, description, pricing, 1))
        else:
            items.append(Item(plan.code, description, pricing, configuration.quantity))
    for add_on in offer.add_ons:
        if add_on.code in configuration.add_ons:
            pricing = price("add_on", add_on.code, add_on.name)
            items.append(Item(add_on.code, add_on.name, pricing, configuration.quantity))
    for package in offer.packages:
        if package.code == configuration.package:
            items.append(Item(package.code, package.name, price("package", package.code, package.name), 1))
    quantities = dict(configuration.license_types)
    for license_type in offer.license_types:
        if quantities.get(license_type.code, 0) > 0:
            pricing = price("license_type", license_type.code, license_type.name)
            items.append(Item(license_type.code, license_type.name, pricing, quantities[license_type.code]))
    for pack in offer.support_packs:
        if pack.code == configuration.support_pack:
            pricing = price("support_pack", pack.code, pack.name)
            items.append(Item(pack.code, pack.name, pricing, configuration.quantity))
    if offer.modules and plan is not None and plan.includes_all_modules:
        # Freemium (R2.5): every module comes with the license at no charge.
        items.append(Item("modules", _("All modules included"), Flat(Money.zero(currency)), 1))
    return items


def _license_item(
    offer: Offer,
    configuration: Configuration,
    description: str,
    client_tiers: tuple[PriceTier, ...],
    price: Callable[[str, str, str], PricingModel],
) -> Item:
    chosen = set(configuration.modules)
    modules = tuple(
        Module(module.code, module.name, _flat_amount(price("module", module.code, module.name)))
        for module in offer.modules
        if module.code in chosen
    )
    pricing = License(modules=modules, client_tiers=tuple(PriceTier(t.up_to, t.price) for t in client_tiers))
    return Item(
        configuration.plan, description, pricing, configuration.quantity, tuple(m.code for m in modules)
    )


def _flat_amount(pricing: PricingModel) -> Money:
    """A module's yearly price: the catalog file only allows flat prices for modules."""
    if not isinstance(pricing, Flat):
        raise TypeError(f"A module is priced flat, not {type(pricing).__name__}.")
    return pricing.price


def price_items(
    items: list[Item],
    *,
    currency: str,
    partner_discount_rate: Decimal = FREE,
    proration: Proration | None = None,
) -> Quote:
    """The engine's quote; a configuration the price tiers do not cover is a violation, not a crash."""
    try:
        return quote(
            items, currency=currency, partner_discount_rate=partner_discount_rate, proration=proration
        )
    except PricingError as error:
        raise NotPriced(Violation(error.code, error.field or "quantity", str(error.message))) from error


def amount_text(money: Money) -> str:
    """The amount alone, padded to the currency's minor unit ("347.2" -> "347.20"), never rounded."""
    return str(money).split(" ", 1)[1]


def discounted(money: Money, rate: Decimal) -> Money:
    """A list price less a partner discount rate, rounded half up: the partner price shown in the catalog."""
    return (money * (1 - rate)).quantize()
