"""Money: a Decimal amount with its currency, so amounts can neither be floats nor silently mixed.

Arithmetic does not round: prices are rounded explicitly at each step of a breakdown (DESIGN.md,
"Money"), and hiding that inside `+` or `*` would make the steps impossible to redo by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from babel.numbers import format_currency, get_currency_precision, list_currencies


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined or compared."""


@cache
def _known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def check_currency(currency: str) -> str:
    """Return `currency` if it is an upper-case ISO 4217 code babel knows; raise ValueError otherwise."""
    if not isinstance(currency, str) or currency not in _known_currencies():
        raise ValueError(f"{currency!r} is not an ISO 4217 currency code (upper-case, e.g. 'CHF').")
    return currency


def minor_unit_digits(currency: str) -> int:
    """Digits after the decimal point in `currency` (CHF 2, JPY 0, BHD 3)."""
    return get_currency_precision(check_currency(currency))


def to_decimal(value: Decimal | int | str) -> Decimal:
    """Convert an exact value to Decimal; floats are refused because they are not exact."""
    # bool is an int subclass, and True is never meant as an amount.
    if isinstance(value, float | bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"Amounts must be Decimal, int or str, not {type(value).__name__}.")
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number.") from None
    if not result.is_finite():
        raise ValueError(f"{value!r} is not a finite amount.")
    return result


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round `amount` half up to the minor unit of `currency` (CHF 0.005 -> 0.01)."""
    exponent = Decimal(1).scaleb(-minor_unit_digits(currency))
    rounded = to_decimal(amount).quantize(exponent, rounding=ROUND_HALF_UP)
    # -0.004 rounds to -0.00, which would print as "CHF -0.00".
    return rounded.copy_abs() if rounded.is_zero() else rounded


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __init__(self, amount: Decimal | int | str, currency: str) -> None:
        object.__setattr__(self, "amount", to_decimal(amount))
        object.__setattr__(self, "currency", check_currency(currency))

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    def is_zero(self) -> bool:
        return self.amount.is_zero()

    def quantize(self) -> Money:
        """This amount rounded half up to the currency's minor unit."""
        return Money(round_money(self.amount, self.currency), self.currency)

    def format(self, locale: str) -> str:
        """The rounded amount as `locale` writes it: "CHF 347.20" in de_CH, "1.234,50 €" in es_ES."""
        return format_currency(self.quantize().amount, self.currency, locale=locale)

    def __str__(self) -> str:
        # Pad to the minor unit ("347.2" -> "347.20") but never hide digits of an unrounded amount.
        padded = self.amount.quantize(Decimal(1).scaleb(-minor_unit_digits(self.currency)))
        return f"{self.currency} {padded if padded == self.amount else self.amount}"

    def __repr__(self) -> str:
        return f"Money('{self.amount}', '{self.currency}')"

    def _same_currency(self, other: Money) -> None:
        if self.currency != other.currency:
            raise CurrencyMismatch(f"Cannot combine {self.currency} and {other.currency}.")

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, Money):
            return NotImplemented
        return Money(self.amount * to_decimal(factor), self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Decimal | int) -> Money:
        if isinstance(divisor, Money):
            return NotImplemented
        return Money(self.amount / to_decimal(divisor), self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount >= other.amount


def sum_money(amounts: Iterable[Money], currency: str) -> Money:
    """The sum of `amounts`, all in `currency`; zero when there are none."""
    total = Money.zero(currency)
    for amount in amounts:
        total = total + amount
    return total
