"""API shapes of the catalog and of quotes. Amounts are decimal strings next to their currency."""

from datetime import date

from ninja import Field, Schema
from pydantic import model_validator

from canal.api.fields import Code, Count, Id, Input, Text

OptionalCode = Text(64)
Codes = list[Code]


class VendorOut(Schema):
    id: int
    name: str


class ProductSummaryOut(Schema):
    code: str
    name: str
    vendor: VendorOut
    kind: str
    unit: str
    category: str
    description: str
    priority_support: bool = Field(
        ..., description="False for services billed by other units than users (R5.3)."
    )
    is_active: bool


class QuantityOut(Schema):
    minimum: int
    maximum: int | None
    step: int
    allowed: list[int]
    suggest_over_maximum: str | None


class PlanOut(Schema):
    code: str
    name: str
    description: str
    rank: int
    term: str
    trial_days: int
    quantity: QuantityOut
    package_required_above: int | None
    includes_all_modules: bool
    renewable: bool
    quantity_changeable: bool


class OptionOut(Schema):
    code: str
    name: str
    description: str


class PlanBoundOptionOut(OptionOut):
    plans: list[str]


class PackageOut(PlanBoundOptionOut):
    seat_limit: int | None


class SupportPackOut(OptionOut):
    credits: int


class TicketCategoryOut(OptionOut):
    help: str
    cost_licensed: int = Field(..., description="Credits for customers with a license (R2.14).")
    cost_unlicensed: int


class TierOut(Schema):
    up_to: int | None
    price: str | None = None
    rate: str | None = None
    partner_price: str | None = None


class PriceOut(Schema):
    item_kind: str
    item_code: str
    currency: str
    model: str
    amount: str | None
    partner_amount: str | None = Field(
        None, description="Your price as a partner, after your programme discount."
    )
    tiers: list[TierOut]


class ProductOut(ProductSummaryOut):
    requires_terms_acceptance: bool
    terms_url: str
    requires_end_customer: bool
    provisioning_hours: int | None
    currencies: list[str]
    partner_discount_rate: str | None = Field(
        None, description="Your programme level's discount (partners only)."
    )
    plans: list[PlanOut]
    add_ons: list[PlanBoundOptionOut]
    packages: list[PackageOut]
    modules: list[OptionOut]
    license_types: list[OptionOut]
    support_packs: list[SupportPackOut]
    ticket_categories: list[TicketCategoryOut]
    prices: list[PriceOut]


class QuoteIn(Input):
    product: Code = Field(..., examples=["tareo-work"])
    customer_id: Id | None = Field(
        None, description="The customer the quote is for; partners must give one of their clients."
    )
    plan: OptionalCode = Field("", examples=["business"])
    quantity: Count = Field(0, description="Seats, clients, hostings or packs: the product's unit.")
    add_ons: Codes = Field([], max_length=100)
    package: OptionalCode = ""
    modules: Codes = Field([], max_length=100)
    license_types: dict[Code, Count] = Field(
        {}, max_length=100, description="Licenses to buy per license type code."
    )
    support_pack: OptionalCode = ""
    currency: Text(3) | None = Field(None, description="Defaults to the customer's currency when offered.")
    purchase_date: date | None = Field(
        None, description="With cycle_start and next_cycle_start: prorate (R3.8)."
    )
    cycle_start: date | None = None
    next_cycle_start: date | None = None

    @model_validator(mode="after")
    def _proration_dates_together(self) -> "QuoteIn":
        dates = (self.purchase_date, self.cycle_start, self.next_cycle_start)
        if any(dates) and not all(dates):
            raise ValueError("Give purchase_date, cycle_start and next_cycle_start together to prorate.")
        return self


class StepOut(Schema):
    kind: str
    label: str
    rate_or_factor: str
    amount_before: str
    amount_after: str


class LineOut(Schema):
    code: str
    description: str
    quantity: int
    unit_list_price: str
    amount: str
    steps: list[StepOut]


class OrganisationRef(Schema):
    id: int
    name: str


class QuoteOut(Schema):
    product: str
    plan: str
    customer: OrganisationRef | None
    payer: OrganisationRef | None
    currency: str
    benefit: str = Field(..., description="none, discount (R4.8) or cashback (R4.7) for the partner.")
    partner_discount_rate: str
    lines: list[LineOut]
    subtotal: str = Field(..., description="What the payer pays, before tax.")
    public_subtotal: str
    cashback: str | None = Field(None, description="What the partner would be credited (R4.7).")


class CatalogImportOut(Schema):
    vendor_id: int
    vendor: str
    created: list[str] = Field(..., description="Codes of the products the file added.")
    updated: list[str] = Field(..., description="Codes of the products the file replaced.")
