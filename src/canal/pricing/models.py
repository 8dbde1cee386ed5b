"""What the pricing engine takes and returns: frozen values, so a quote can be shown, stored and redone.

Rates are Decimal fractions (0.20 is 20 %). Tier bounds are inclusive unit counts; the last tier may
be open-ended (`up_to=None`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from canal.core.money import Money

from .errors import PricingError


def check_rate(rate: Decimal, *, field_name: str, maximum: Decimal = Decimal(1)) -> Decimal:
    """Return `rate` if it is a Decimal between 0 and `maximum`; raise PricingError otherwise."""
    if not isinstance(rate, Decimal) or not Decimal(0) <= rate <= maximum:
        raise PricingError(
            f"{field_name} must be a Decimal between 0 and {maximum:%}, not {rate!r}.",
            code="invalid_rate",
            field=field_name,
        )
    return rate


@dataclass(frozen=True)
class PriceTier:
    """Units up to `up_to` cost `price`: per unit (volume, graduated) or for the whole tier (clients)."""

    up_to: int | None
    price: Money


@dataclass(frozen=True)
class DiscountTier:
    """Quantities up to `up_to` get `rate` off (degressive prices)."""

    up_to: int | None
    rate: Decimal

    def __post_init__(self) -> None:
        check_rate(self.rate, field_name="rate")


@dataclass(frozen=True)
class PerUnit:
    unit_price: Money


@dataclass(frozen=True)
class Flat:
    """One price whatever the quantity."""

    price: Money


@dataclass(frozen=True)
class Volume:
    """All units at the price of the tier the quantity falls into."""

    tiers: tuple[PriceTier, ...]


@dataclass(frozen=True)
class VolumeDiscount:
    """All units at `unit_price`, less the rate of the tier the quantity falls into.

    The discount is a breakdown step of its own, after the partner discount (R4.9).
    """

    unit_price: Money
    tiers: tuple[DiscountTier, ...]


@dataclass(frozen=True)
class Graduated:
    """Each unit at the price of the tier it falls into: one quote line per tier reached."""

    tiers: tuple[PriceTier, ...]


@dataclass(frozen=True)
class Module:
    code: str
    description: str
    price: Money


@dataclass(frozen=True)
class License:
    """An on-premise license (R2.5): a price per chosen module plus the price of the client-count tier.

    The item's quantity is the client count; the item's `modules` are the chosen module codes.
    """

    modules: tuple[Module, ...]
    client_tiers: tuple[PriceTier, ...]


PricingModel = PerUnit | Flat | Volume | VolumeDiscount | Graduated | License


@dataclass(frozen=True)
class Item:
    """One thing to price: a product, plan, add-on or license configuration."""

    code: str
    description: str
    pricing: PricingModel
    quantity: int = 1
    modules: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or self.quantity < 0:
            raise PricingError(
                f"The quantity must be a whole number of 0 or more, not {self.quantity!r}.",
                code="invalid_quantity",
                field="quantity",
            )
        if self.modules and not isinstance(self.pricing, License):
            raise PricingError(
                f"{self.description} has no modules to choose.", code="modules_not_offered", field="modules"
            )


class StepKind(StrEnum):
    LIST = "list"
    PARTNER_DISCOUNT = "partner_discount"
    VOLUME_DISCOUNT = "volume_discount"
    PRORATION = "proration"


@dataclass(frozen=True)
class BreakdownStep:
    """One rounded step of a line's price.

    `rate_or_factor` is the rate taken off for a discount (amount_after = amount_before * (1 - rate)),
    and the multiplier otherwise: the quantity for the list amount (amount_before is then the unit
    price) and the share of the cycle left for proration.
    """

    kind: StepKind
    label: str
    rate_or_factor: Decimal
    amount_before: Money
    amount_after: Money


@dataclass(frozen=True)
class QuoteLine:
    description: str
    code: str
    quantity: int
    unit_list_price: Money
    steps: tuple[BreakdownStep, ...]
    amount: Money = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", self.steps[-1].amount_after)

    @property
    def list_amount(self) -> Money:
        return self.steps[0].amount_after


@dataclass(frozen=True)
class Quote:
    lines: tuple[QuoteLine, ...]
    subtotal: Money
    currency: str
