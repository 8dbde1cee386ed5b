"""Partner programme levels (R4.3) and the cashback they earn (R4.7).

A level gives its partners a discount rate and a cashback rate. Under the access modes of R4.7 the
client pays the public price and the partner is credited the difference with its partner price, the
price it would pay at the level's cashback rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from canal.core.money import Money

from .errors import PricingError
from .models import check_rate

# R4.3: "cashback recurrente o descuento de hasta -35 %". The seed caps both benefits.
MAX_PARTNER_RATE = Decimal("0.35")


def check_partner_rate(rate: Decimal, *, field_name: str = "partner_discount_rate") -> Decimal:
    """Return `rate` if it is between 0 and 35 %; raise PricingError otherwise."""
    return check_rate(rate, field_name=field_name, maximum=MAX_PARTNER_RATE)


@dataclass(frozen=True)
class ProgrammeLevel:
    name: str
    discount_rate: Decimal
    cashback_rate: Decimal

    def __post_init__(self) -> None:
        check_partner_rate(self.discount_rate, field_name="discount_rate")
        check_partner_rate(self.cashback_rate, field_name="cashback_rate")


def cashback(*, public_price: Money, partner_price: Money) -> Money:
    """R4.7: the public price minus the partner price, never negative."""
    amount = public_price - partner_price
    if amount < Money.zero(amount.currency):
        raise PricingError(
            f"The partner price {partner_price} is above the public price {public_price}.",
            code="partner_price_above_public",
            field="partner_price",
        )
    return amount


class Benefit(StrEnum):
    """What the partner gets on an order for a client it manages (R4.7, R4.8)."""

    NONE = "none"
    DISCOUNT = "discount"
    CASHBACK = "cashback"


def partner_benefit(*, access: str, payment_mode: str, ordered_by_partner: bool) -> Benefit:
    """The partner's benefit for an order of a product it manages for its client.

    `access` is "full" or "limited", `payment_mode` "customer" or "partner" (whose means pay, R4.6).
    R4.8: under full access paid by the partner, the partner ordering pays the discounted price. R4.7:
    cashback otherwise under full access, and under limited access when the client orders. *A partner
    ordering under limited access is not in the document's list, so it earns nothing.*
    """
    if access == "full":
        if ordered_by_partner and payment_mode == "partner":
            return Benefit.DISCOUNT
        return Benefit.CASHBACK
    if access == "limited" and not ordered_by_partner:
        return Benefit.CASHBACK
    return Benefit.NONE
