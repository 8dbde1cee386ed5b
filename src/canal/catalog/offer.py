"""A product as the rules and the pricing engine see it: frozen plain values, no database.

Selectors build an `Offer` from the catalog tables once; `rules.violations()` and `quoting.items_for()`
work on it. A `Configuration` is what a buyer asks for. Keeping both plain makes validation and pricing
pure functions that the portal, the API, orders and the benchmark share.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from canal.pricing import PriceTier, PricingModel


@dataclass(frozen=True)
class PlanRules:
    code: str
    name: str
    rank: int
    term: str
    trial_days: int = 0
    min_quantity: int = 1
    max_quantity: int | None = None
    quantity_step: int = 1
    allowed_quantities: tuple[int, ...] = ()
    suggest_over_maximum: str | None = None
    package_required_above: int | None = None
    includes_all_modules: bool = False
    renewable: bool = True
    quantity_changeable: bool = True

    @property
    def upper_bound(self) -> int | None:
        """The largest quantity the plan allows, if any."""
        if self.allowed_quantities:
            return max(self.allowed_quantities)
        return self.max_quantity


@dataclass(frozen=True)
class Option:
    """An add-on, onboarding package, module, license type or support pack."""

    code: str
    name: str
    plans: frozenset[str] = frozenset()  # add-ons and packages: the plans that allow it
    seat_limit: int | None = None  # packages: None is a custom package without a limit
    credits: int = 0  # support packs

    def allowed_on(self, plan: str) -> bool:
        return plan in self.plans


@dataclass(frozen=True)
class Offer:
    code: str
    name: str
    kind: str
    unit: str
    vendor_id: int
    plans: tuple[PlanRules, ...] = ()
    add_ons: tuple[Option, ...] = ()
    packages: tuple[Option, ...] = ()
    modules: tuple[Option, ...] = ()
    license_types: tuple[Option, ...] = ()
    support_packs: tuple[Option, ...] = ()
    # currency -> (item kind, item code) -> engine pricing; client tiers are kept as their tiers.
    prices: Mapping[str, Mapping[tuple[str, str], PricingModel | tuple[PriceTier, ...]]] = field(
        default_factory=dict
    )

    @property
    def currencies(self) -> tuple[str, ...]:
        return tuple(sorted(self.prices))

    def plan(self, code: str) -> PlanRules | None:
        return next((plan for plan in self.plans if plan.code == code), None)

    def packages_for(self, plan: str) -> list[Option]:
        """The plan's packages from the smallest seat limit up; the custom one (no limit) last."""
        offered = [package for package in self.packages if package.allowed_on(plan)]
        return sorted(offered, key=lambda package: (package.seat_limit is None, package.seat_limit or 0))


@dataclass(frozen=True)
class Configuration:
    """What a buyer asks for. `quantity` counts the product's unit: seats, clients, hostings, packs."""

    product: str
    plan: str = ""
    quantity: int = 0
    add_ons: tuple[str, ...] = ()
    package: str = ""
    modules: tuple[str, ...] = ()
    license_types: tuple[tuple[str, int], ...] = ()  # (license type code, quantity)
    support_pack: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "product": self.product,
            "plan": self.plan,
            "quantity": self.quantity,
            "add_ons": list(self.add_ons),
            "package": self.package,
            "modules": list(self.modules),
            "license_types": dict(self.license_types),
            "support_pack": self.support_pack,
        }


@dataclass(frozen=True)
class Violation:
    """One broken ordering rule: a code, the field it is about, a message and what to do instead."""

    code: str
    field: str
    message: str
    suggestion: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "code": self.code,
            "field": self.field,
            "message": self.message,
            "suggestion": self.suggestion,
        }
