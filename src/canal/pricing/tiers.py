"""Finding the tier a quantity falls into, and splitting a quantity across graduated tiers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from .errors import PricingError


class _Tier(Protocol):
    @property
    def up_to(self) -> int | None: ...


T = TypeVar("T", bound=_Tier)


def check_tiers(tiers: Sequence[T]) -> None:
    """Refuse tiers that are empty, not in increasing order, or open-ended before the last one."""
    if not tiers:
        raise PricingError("A tiered price needs at least one tier.", code="no_tiers", field="tiers")
    bounds = [tier.up_to for tier in tiers]
    closed = [bound for bound in bounds if bound is not None]
    if None in bounds[:-1] or closed != sorted(set(closed)) or (closed and closed[0] < 1):
        raise PricingError(
            "Tiers must go up in order from 1; only the last may be open-ended.",
            code="tiers_out_of_order",
            field="tiers",
        )


def tier_for(tiers: Sequence[T], quantity: int) -> T:
    """The first tier whose bound is at or above `quantity`."""
    check_tiers(tiers)
    for tier in tiers:
        if tier.up_to is None or quantity <= tier.up_to:
            return tier
    raise PricingError(
        f"No tier covers a quantity of {quantity}; the last one ends at {tiers[-1].up_to}.",
        code="quantity_above_tiers",
        field="quantity",
    )


def graduated_bands(tiers: Sequence[T], quantity: int) -> list[tuple[T, int, int]]:
    """`(tier, first unit, last unit)` for each tier the units 1..quantity reach, in order."""
    tier_for(tiers, quantity)  # validates the tiers and that the last unit is covered
    bands = []
    first = 1
    for tier in tiers:
        if first > quantity:
            break
        last = quantity if tier.up_to is None else min(tier.up_to, quantity)
        bands.append((tier, first, last))
        first = last + 1
    return bands
