"""Reading the configurator form into a `Configuration` (the rules, not the form, decide what is valid)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from .offer import Configuration, Offer


@dataclass(frozen=True)
class ConfiguratorInput:
    configuration: Configuration
    customer_id: int | None
    currency: str | None


def _number(value: str | None) -> int:
    try:
        return max(int(str(value).strip()), 0)
    except (TypeError, ValueError):
        return 0


def fixed_quantity(offer: Offer, plan_code: str) -> int | None:
    """The quantity of a plan that allows exactly one, else None."""
    plan = offer.plan(plan_code)
    if plan is not None and len(plan.allowed_quantities) == 1:
        return plan.allowed_quantities[0]
    return None


def configurator_input(offer: Offer, data: QueryDict) -> ConfiguratorInput:
    """What the configurator posted; missing or garbled numbers read as 0, which the rules then refuse."""
    customer = data.get("customer") or ""
    plan = offer.plan(data.get("plan", ""))
    # A plan sold in one quantity only (Freemium: 100 clients, R2.5) takes it without asking.
    fixed = fixed_quantity(offer, plan.code if plan else "")
    return ConfiguratorInput(
        configuration=Configuration(
            product=offer.code,
            plan=data.get("plan", ""),
            quantity=fixed if fixed is not None else _number(data.get("quantity")),
            add_ons=tuple(data.getlist("add_ons")),
            package=data.get("package", ""),
            modules=tuple(data.getlist("modules")),
            license_types=tuple(
                (license_type.code, _number(data.get(f"license_{license_type.code}")))
                for license_type in offer.license_types
            ),
            support_pack=data.get("support_pack", ""),
        ),
        customer_id=int(customer) if customer.isdigit() else None,
        currency=data.get("currency") or None,
    )


def initial_input(offer: Offer, *, customer_id: int | None, currency: str | None) -> ConfiguratorInput:
    """A first configuration that the rules accept where the catalog makes that easy: the first plan at
    its smallest quantity, the first support pack."""
    plan = offer.plans[0] if offer.plans else None
    quantity = 1
    if plan is not None:
        quantity = min(plan.allowed_quantities) if plan.allowed_quantities else max(plan.min_quantity, 1)
    return ConfiguratorInput(
        configuration=Configuration(
            product=offer.code,
            plan=plan.code if plan is not None else "",
            quantity=quantity,
            license_types=tuple(
                (lt.code, 1 if index == 0 else 0) for index, lt in enumerate(offer.license_types)
            ),
            support_pack=offer.support_packs[0].code if offer.support_packs else "",
        ),
        customer_id=customer_id,
        currency=currency,
    )
