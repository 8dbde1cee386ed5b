"""API schemas of the support desk: strict, bounded input; output with the quote and the balance."""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict, StrictBool

from canal.api.fields import Count, Id, PositiveCount, Text
from canal.billing.selectors import support_credit_balance
from canal.support import selectors
from canal.support.presenters import sla_states
from canal.support.tickets import standard_cost


def _field(obj: Any, name: str, compute: Callable[[Any], Any]) -> Any:
    """Resolvers also run when an answer is replayed from a stored body (Idempotency-Key): a dict."""
    return obj[name] if isinstance(obj, dict) else compute(obj)


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class TicketIn(Strict):
    category_id: Id = Field(..., description="A ticket category (GET /support/categories).", examples=[3])
    title: Text(200, min_length=1) = Field(..., examples=["Queues do not shape traffic"])  # type: ignore[valid-type]
    description: Text(20000, min_length=1) = Field(  # type: ignore[valid-type]
        ..., examples=["Since Monday the QoS queues ignore the configured limits on server1."]
    )
    subscription_id: Id | None = Field(
        None, description="The server or subscription concerned; required when you have more than one."
    )


class QuoteIn(Strict):
    credits: Count | None = Field(
        None, description="Omit for the category's cost for this customer (R2.14).", examples=[25]
    )
    reason: Text(300) = Field("", description="Required when the credits differ from the category's cost.")  # type: ignore[valid-type]


class AcceptIn(Strict):
    credits: Count | None = Field(
        None,
        description="The quote you accept; refused with 409 if support changed it meanwhile.",
        examples=[25],
    )


class ReasonIn(Strict):
    reason: Text(300) = Field("", examples=["We solved it ourselves."])  # type: ignore[valid-type]


class AssignIn(Strict):
    agent_id: Id


class ReplyIn(Strict):
    body: Text(20000, min_length=1) = Field(..., examples=["The log is attached; the queues reset at 02:00."])  # type: ignore[valid-type]
    internal: StrictBool = Field(False, description="An internal note customers never see (support only).")


class BuyPackIn(Strict):
    pay_with: Literal["wallet", "card", "bank_transfer"] = Field(..., examples=["card"])
    card_token: Text(100) = Field("", examples=["tok_visa"])  # type: ignore[valid-type]


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    message_id: int | None
    created_at: datetime


class MessageOut(Schema):
    id: int
    kind: str = Field(..., description="public or internal (internal notes reach support only).")
    from_support: bool
    author: str
    body: str
    created_at: datetime
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_author(message) -> str:
        return _field(message, "author", lambda message: str(message.author))

    @staticmethod
    def resolve_attachments(message) -> list:
        return _field(message, "attachments", lambda message: list(message.attachments.all()))


class SlaPhaseOut(Schema):
    phase: str = Field(..., description="first_response, determination, resolution or update (R5.6).")
    label: str
    due_at: datetime | None
    warn_at: datetime | None = Field(None, description="When the warning (the lower bound) is raised.")
    met: bool
    warned: bool
    breached: bool
    remaining_seconds: int | None = Field(
        None, description="Time left (negative: overdue); frozen while the clock is paused; null once met."
    )


class TicketOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    customer_id: int
    customer: str
    vendor_id: int
    category_id: int
    category: str
    subscription_id: int | None
    title: str
    description: str
    requester: str
    agent_id: int | None
    agent: str | None
    licensed: bool
    standard_credits: int = Field(..., description="The category's cost for this customer (R2.14).")
    quoted_credits: int | None = Field(None, description="The quote, once support gave one (R2.12).")
    quote_reason: str
    charged_credits: int
    refunded_credits: int
    balance: int = Field(..., description="The customer's support-credit balance now.")
    channel: str
    severity: str = Field(..., description="s1-s4, empty while unclassified (R5.4).")
    severity_label: str = Field(..., description="S1-Critical, S2-High, S3-Medium or S4-Low.")
    large_account: bool = Field(..., description='"Priority customer: large account" (R5.4).')
    customer_email: str = Field(..., description="The customer's primary e-mail, once known (R5.5).")
    account_ref: str = Field(..., description="The organisation or group id at the vendor (R5.2, R5.8).")
    first_response_due_at: datetime | None = Field(..., description="R5.6, from the severity's targets.")
    determination_due_at: datetime | None
    resolution_due_at: datetime | None
    update_due_at: datetime | None = Field(None, description="The next public update is due by (R5.6).")
    sla_paused_at: datetime | None = Field(None, description="Waiting for the customer: the clock is paused.")
    sla_breached: bool = Field(False, description="A phase of this ticket missed its due time (R5.6).")
    sla: list[SlaPhaseOut] = Field([], description="Each SLA phase with its due time and time left (R5.6).")
    created_at: datetime
    quoted_at: datetime | None
    accepted_at: datetime | None
    finished_at: datetime | None
    closed_at: datetime | None
    rejection_reason: str

    @staticmethod
    def resolve_status_label(ticket) -> str:
        return _field(ticket, "status_label", lambda ticket: str(ticket.get_status_display()))

    @staticmethod
    def resolve_customer(ticket) -> str:
        return _field(ticket, "customer", lambda ticket: ticket.customer.name)

    @staticmethod
    def resolve_severity_label(ticket) -> str:
        return _field(ticket, "severity_label", lambda ticket: ticket.get_severity_label())

    @staticmethod
    def resolve_category(ticket) -> str:
        return _field(ticket, "category", lambda ticket: ticket.category.shown_name)

    @staticmethod
    def resolve_requester(ticket) -> str:
        return _field(ticket, "requester", lambda ticket: str(ticket.requester))

    @staticmethod
    def resolve_agent(ticket) -> str | None:
        return _field(ticket, "agent", lambda ticket: str(ticket.agent) if ticket.agent_id else None)

    @staticmethod
    def resolve_standard_credits(ticket) -> int:
        return _field(ticket, "standard_credits", lambda ticket: standard_cost(ticket))

    @staticmethod
    def resolve_balance(ticket) -> int:
        return _field(ticket, "balance", lambda ticket: support_credit_balance(ticket.customer))

    @staticmethod
    def resolve_sla_breached(ticket) -> bool:
        return _field(
            ticket, "sla_breached", lambda ticket: any(e.kind == "breach" for e in ticket.breaches.all())
        )

    @staticmethod
    def resolve_sla(ticket) -> list:
        return _field(ticket, "sla", _sla)


def _sla(ticket) -> list[dict]:
    return [
        vars(state)
        | {"remaining_seconds": None if state.remaining is None else int(state.remaining.total_seconds())}
        for state in sla_states(ticket)
    ]


class TicketDetailOut(TicketOut):
    messages: list[MessageOut] = Field(..., description="The conversation, oldest first (R2.17).")
    attachments: list[AttachmentOut]

    # Through the selectors: internal notes and their files never reach a customer (R2.17).
    @staticmethod
    def resolve_messages(ticket, context) -> list:
        return _field(ticket, "messages", lambda t: list(selectors.messages_of(context["request"].actor, t)))

    @staticmethod
    def resolve_attachments(ticket, context) -> list:
        return _field(
            ticket, "attachments", lambda t: list(selectors.attachments_of(context["request"].actor, t))
        )


class CountsOut(Schema):
    all: int
    pending: int
    assigned: int
    finished: int
    closed: int
    reopened: int
    rejected: int


class CategoryOut(Schema):
    id: int
    code: str
    vendor: str
    title: str
    description: str
    help: str
    cost_licensed: int
    cost_unlicensed: int

    @staticmethod
    def resolve_vendor(category) -> str:
        return _field(category, "vendor", lambda category: category.product.vendor.name)

    @staticmethod
    def resolve_title(category) -> str:
        return _field(category, "title", lambda category: category.shown_name)

    @staticmethod
    def resolve_help(category) -> str:
        return _field(category, "help", lambda category: category.shown_help)

    @staticmethod
    def resolve_description(category) -> str:
        return _field(category, "description", lambda category: category.shown_description)


class DeflectionOut(Schema):
    id: int
    category_id: int
    created_at: datetime


class PackOut(Schema):
    id: int
    code: str
    name: str
    vendor: str
    credits: int
    currency: str
    net: Decimal
    tax: Decimal
    total: Decimal


class PurchaseOut(Schema):
    id: int
    pack_id: int
    credits: int
    status: str
    pay_with: str
    invoice_id: int | None
    invoice_code: str | None
    created_at: datetime
    credited_at: datetime | None

    @staticmethod
    def resolve_invoice_code(purchase) -> str | None:
        return _field(
            purchase, "invoice_code", lambda purchase: purchase.invoice.code if purchase.invoice_id else None
        )


SeverityCode = Literal["s1", "s2", "s3", "s4"]


class TierIn(Strict):
    region: Text(40) = Field("", description="The customer region; empty for every other region.")  # type: ignore[valid-type]
    threshold: PositiveCount = Field(..., description="User licenses from which the account is large (R5.1).")


class PriorityConfigIn(Strict):
    default_severity: SeverityCode = Field("s3", description="For tickets that are not a large account's.")
    tiers: list[TierIn] = Field(..., max_length=50)
    excluded_product_ids: list[Id] | None = Field(
        None,
        max_length=500,
        description="Products whose licenses do not count (R5.3); omit for those not billed per user.",
    )


class TierOut(Schema):
    region: str
    threshold: int


class ExcludedProductOut(Schema):
    id: int
    code: str
    name: str
    unit: str


class PriorityConfigOut(Schema):
    default_severity: str
    tiers: list[TierOut]
    excluded_products: list[ExcludedProductOut]

    @staticmethod
    def resolve_tiers(config) -> list:
        return _field(config, "tiers", lambda config: list(config.tiers.all()))

    @staticmethod
    def resolve_excluded_products(config) -> list:
        return _field(
            config, "excluded_products", lambda config: list(config.excluded_products.order_by("code"))
        )


class IdentifyIn(Strict):
    email: Text(254) = Field("", description="The customer's primary (super-admin) e-mail.")  # type: ignore[valid-type]
    user_id: Id | None = None
    account_ref: Text(120) = Field("", description="The organisation or group id at the vendor.")  # type: ignore[valid-type]


class SeverityIn(Strict):
    severity: SeverityCode
    reason: Text(300, min_length=1)  # type: ignore[valid-type]


class SlaTargetIO(Strict):
    severity: SeverityCode
    first_response_minutes: PositiveCount
    determination_minutes: PositiveCount
    resolution_minutes: PositiveCount
    first_response_warn_minutes: PositiveCount | None = None
    determination_warn_minutes: PositiveCount | None = None
    resolution_warn_minutes: PositiveCount | None = None
    update_minutes: PositiveCount | None = Field(
        None, description="Timely updates: a public reply at least this often."
    )
    business_hours: StrictBool = Field(False, description="Counted on the calendar below; false: 24x7.")


class SlaCalendarIO(Strict):
    time_zone: Text(60) = "UTC"  # type: ignore[valid-type]
    opening_hours: list[tuple[Text(5), Text(5) | None] | None] = Field(  # type: ignore[valid-type]
        [],
        max_length=7,
        description='Seven entries, Monday first: ["09:00", "18:00"], ["09:00", null] (until midnight) '
        "or null (closed); empty: 24x7.",
    )
    closed_dates: list[Text(10)] = Field([], max_length=400, description="Extra closed dates, YYYY-MM-DD.")  # type: ignore[valid-type]
    country: Text(2) = Field("", description="ISO country whose public holidays are closed.")  # type: ignore[valid-type]


class SlaConfigIO(Strict):
    targets: list[SlaTargetIO] = Field(..., max_length=4)
    calendar: SlaCalendarIO
    escalation_contact_ids: list[Id] = Field(
        [],
        max_length=50,
        description="Users of your organisation told of breaches; empty: your agents and admins.",
    )


class ComplianceRowOut(Schema):
    month: str
    severity: str
    phase: str
    met: int
    breached: int
    running: int
    compliance: Decimal | None = Field(
        None, description="Met ÷ (met + breached) in percent; null without any."
    )


class TicketByDueOut(TicketOut):
    """A ticket in the list by due time. Its own name, because that list pages by offset and the main
    list by cursor: the two page schemas must not share the name "PagedTicketOut" in the OpenAPI document."""
