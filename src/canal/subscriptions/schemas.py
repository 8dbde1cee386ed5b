from datetime import date, datetime

from ninja import Field, Schema

from canal.api.fields import Code, Count, Id, Input
from canal.catalog.schemas import QuoteOut


class SubscriptionOut(Schema):
    id: int
    customer_id: int
    payer_id: int
    partner_id: int | None
    product: str = Field(..., description="Product code")
    plan: str | None = Field(None, description="Plan code")
    quantity: int
    currency: str
    status: str
    term_start: date
    term_end: date
    vendor_account_id: str
    contract_id: str

    @staticmethod
    def resolve_product(subscription: object) -> str:
        return subscription.product.code  # type: ignore[attr-defined]

    @staticmethod
    def resolve_plan(subscription: object) -> str | None:
        plan = subscription.plan  # type: ignore[attr-defined]
        return plan.code if plan else None


class SeatPoolOut(Schema):
    """R3.2: per license type, in use, free, total, contract minimum and being bought."""

    license_type: str
    name: str
    in_use: int
    free: int
    total: int
    contract_minimum: int
    being_bought: int


class SeatUserOut(Schema):
    id: int
    email: str
    full_name: str
    active: bool = Field(..., description="R3.5: active only while holding at least one license")
    licenses: list[str]

    @staticmethod
    def resolve_active(user: object) -> bool:
        return user.license_count > 0  # type: ignore[attr-defined]

    @staticmethod
    def resolve_licenses(user: object) -> list[str]:
        return sorted(seat.pool.license_type.code for seat in user.held_seats)  # type: ignore[attr-defined]


class AssignSeat(Input):
    user_id: Id


class AssignmentOut(Schema):
    user_id: int
    license_type: str
    assigned_at: datetime


class SeatHistoryOut(Schema):
    license_type: str
    at: datetime
    total: int
    in_use: int
    reason: str

    @staticmethod
    def resolve_license_type(change: object) -> str:
        return change.pool.license_type.code  # type: ignore[attr-defined]

    @staticmethod
    def resolve_in_use(change: object) -> int:
        return change.assigned  # type: ignore[attr-defined]


class SeatPurchaseIn(Input):
    """R3.4: how many licenses of each type to buy now."""

    quantities: dict[Code, Count] = Field(
        ..., max_length=100, examples=[{"standard": 3}], description="Licenses to buy per license type code."
    )


class SeatPurchaseQuoteOut(Schema):
    """What buying these licenses costs: prorated today (R3.8), and at full price from the next cycle."""

    subscription_id: int
    quantities: dict[str, int]
    purchase_date: date
    next_cycle_start: date
    now: QuoteOut = Field(..., description="Charged and invoiced today, prorated to the cycle's end.")
    from_next_cycle: QuoteOut = Field(..., description="Added to every following cycle's invoice.")


class SeatPurchaseOut(SeatPurchaseQuoteOut):
    seats: list[SeatPoolOut] = Field(..., description="The license summary after the purchase (R3.2).")
