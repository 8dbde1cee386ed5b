"""Day-based proration (R3.8): something bought mid-cycle costs its price times the share of the cycle left.

Days left run from the purchase date (inclusive) to the next cycle start (exclusive), so buying on the
first day of a cycle costs the full price. Dates are passed in; nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from canal.core.money import Money

from .errors import PricingError


@dataclass(frozen=True)
class Proration:
    purchase_date: date
    cycle_start: date
    next_cycle_start: date

    def __post_init__(self) -> None:
        # A datetime is a date, but subtracting two of them counts hours, not days.
        if any(isinstance(day, datetime) or not isinstance(day, date) for day in self._dates()):
            raise TypeError("Proration takes dates, not datetimes.")
        if not self.cycle_start < self.next_cycle_start:
            raise PricingError(
                f"The cycle starting {self.cycle_start} must end after it, not on {self.next_cycle_start}.",
                code="empty_cycle",
                field="next_cycle_start",
            )
        if not self.cycle_start <= self.purchase_date < self.next_cycle_start:
            raise PricingError(
                f"{self.purchase_date} is outside the cycle {self.cycle_start} to {self.next_cycle_start}.",
                code="purchase_outside_cycle",
                field="purchase_date",
            )

    def _dates(self) -> tuple[date, date, date]:
        return (self.purchase_date, self.cycle_start, self.next_cycle_start)

    @property
    def days_left(self) -> int:
        return (self.next_cycle_start - self.purchase_date).days

    @property
    def days_in_cycle(self) -> int:
        return (self.next_cycle_start - self.cycle_start).days

    @property
    def factor(self) -> Decimal:
        return Decimal(self.days_left) / Decimal(self.days_in_cycle)

    @property
    def label(self) -> str:
        return f"{self.days_left}/{self.days_in_cycle} days"

    def apply(self, amount: Money) -> Money:
        # Multiply before dividing so 16/30 of a price is not computed from a rounded 0.5333…
        return (amount * self.days_left / self.days_in_cycle).quantize()


def proration_factor(*, purchase_date: date, cycle_start: date, next_cycle_start: date) -> Decimal:
    """Share of the cycle left on `purchase_date`, from 0 (excluded) to 1 (bought on the first day)."""
    return Proration(purchase_date, cycle_start, next_cycle_start).factor


def prorate(amount: Money, *, purchase_date: date, cycle_start: date, next_cycle_start: date) -> Money:
    """`amount` * days left / days in the cycle, rounded half up to the currency's minor unit."""
    return Proration(purchase_date, cycle_start, next_cycle_start).apply(amount)
