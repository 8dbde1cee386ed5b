from datetime import datetime
from typing import Any

from ninja import Field, Schema

from canal.api.fields import Code, Count, Id, Input, Text
from canal.core.money import Money

OptionalCode = Text(64)
Codes = list[Code]
Reason = Text(300)


class EndCustomerIn(Input):
    name: Text(200) = ""
    email: Text(254) = Field(
        "", description="R1.8: the corporate e-mail, the end customer's login at the vendor"
    )


class PlaceOrderIn(Input):
    kind: OptionalCode = Field(
        "new", description="`new` (a new subscription, or a trial conversion) or `trial`"
    )
    product: Code
    plan: OptionalCode = ""
    quantity: Count = 0
    add_ons: Codes = Field([], max_length=100)
    package: OptionalCode = ""
    modules: Codes = Field([], max_length=100)
    customer_id: Id | None = Field(None, description="The client a partner orders for; customers omit it")
    currency: Text(3) | None = None
    accept_terms: bool = Field(False, description="R1.7: the vendor's terms and conditions are accepted")
    end_customer: EndCustomerIn = EndCustomerIn()
    notify_me: bool = Field(False, description="R1.10: e-mail and in-app notice when provisioned")
    contract_id: Text(120) = Field("", description="R1.11: your own contract id, shown on invoices")
    name: Text(120) = Field("", description="A name for the subscription, e.g. the server name (R2.15)")
    vendor_account_id: Text(120) = Field(
        "", description="R1.9: converts the trial with this vendor account id"
    )
    pay_with: OptionalCode = Field("bank_transfer", description="bank_transfer, wallet, cashback or card")
    card_token: Text(200) = ""


class OrderLineOut(Schema):
    code: str
    description: str
    quantity: int
    unit_price: str
    amount: str
    currency: str
    steps: list[dict[str, Any]]


class OrderFields(Schema):
    """An order as the API shows it; POST answers (stored for idempotent replays) use it as a plain dict."""

    id: int
    reference: str
    kind: str
    kind_label: str
    status: str
    processed: bool
    placed_at: datetime
    placed_by_id: int
    customer_id: int
    customer: str
    payer_id: int
    product: str
    plan: str | None
    quantity: int
    subscription_id: int | None
    name: str = Field(..., description="The subscription's name, e.g. the server (R2.15)")
    summary: str
    currency: str
    price: str = Field(..., description="Price before tax, or the free plan's name (R2.15: “Freemium”)")
    net_total: str
    invoice: str | None
    credit_note: str | None
    contract_id: str
    end_customer_email: str
    notify_me: bool
    terms_accepted_at: datetime | None
    cancellable_until: datetime | None
    processed_at: datetime | None
    cancelled_at: datetime | None
    provisioning_due_at: datetime | None


class PlacedOrderOut(OrderFields):
    """The answer to placing an order: the order and how its payment stands."""

    payment_status: str = Field(
        ...,
        description=(
            "paid, nothing_due, awaiting_payment (bank transfer), card_declined (the order stays placed: "
            "pay its invoice by another card, the wallet or a transfer) or card_pending (the card "
            "provider has not answered yet; the order completes when it does)"
        ),
    )
    payment_message: str = Field(
        ..., description="What to tell the orderer, in its language; empty if nothing"
    )


class OrderOut(OrderFields):
    @staticmethod
    def resolve_kind_label(order: Any) -> str:
        return str(order.get_kind_display())

    @staticmethod
    def resolve_customer(order: Any) -> str:
        return order.customer.name

    @staticmethod
    def resolve_product(order: Any) -> str:
        return order.product.code

    @staticmethod
    def resolve_plan(order: Any) -> str | None:
        return order.plan.code if order.plan else None

    @staticmethod
    def resolve_name(order: Any) -> str:
        return order.subscription_name

    @staticmethod
    def resolve_price(order: Any) -> str:
        from canal.orders.presenters import price_label

        return price_label(order)

    @staticmethod
    def resolve_net_total(order: Any) -> str:
        return str(Money(order.net_total, order.currency).quantize().amount)

    @staticmethod
    def resolve_invoice(order: Any) -> str | None:
        return order.invoice_code or None

    @staticmethod
    def resolve_credit_note(order: Any) -> str | None:
        return order.credit_note_code or None

    @staticmethod
    def resolve_provisioning_due_at(order: Any) -> datetime | None:
        from canal.subscriptions.provisioning import request_of

        request = request_of(order)
        return request.due_at if request is not None else None


class TimelineEntryOut(Schema):
    at: datetime
    action: str
    by: str | None
    reason: str


class OrderDetailOut(OrderOut):
    lines: list[OrderLineOut]
    configuration: dict[str, Any]
    timeline: list[TimelineEntryOut]


class CancelIn(Input):
    reason: Reason = ""


class ProvisioningRequestOut(Schema):
    id: int
    order_id: int
    order: str
    action: str
    status: str
    vendor_id: int
    customer: str
    product: str
    configuration: dict[str, Any]
    end_customer_name: str
    end_customer_email: str
    subscription_id: int
    vendor_account_id: str
    due_at: datetime
    overdue: bool
    question: str
    answer: str
    failure_reason: str
    created_at: datetime
    completed_at: datetime | None

    @staticmethod
    def resolve_order(request: Any) -> str:
        return request.order.reference

    @staticmethod
    def resolve_customer(request: Any) -> str:
        return request.order.customer.name

    @staticmethod
    def resolve_product(request: Any) -> str:
        return request.order.product.code

    @staticmethod
    def resolve_configuration(request: Any) -> dict[str, Any]:
        return request.order.configuration

    @staticmethod
    def resolve_end_customer_name(request: Any) -> str:
        return request.order.end_customer_name or request.subscription.end_customer_name

    @staticmethod
    def resolve_end_customer_email(request: Any) -> str:
        return request.order.end_customer_email or request.subscription.end_customer_email

    @staticmethod
    def resolve_vendor_account_id(request: Any) -> str:
        return request.vendor_account_id or request.subscription.vendor_account_id

    @staticmethod
    def resolve_overdue(request: Any) -> bool:
        return request.overdue_flagged_at is not None


class CompleteIn(Input):
    vendor_account_id: Text(120) = ""


class FailIn(Input):
    reason: Reason


class InquireIn(Input):
    question: Text(4000)


class AnswerIn(Input):
    answer: Text(4000)


class ChangeIn(Input):
    plan: OptionalCode | None = None
    quantity: Count | None = None
    add_ons: Codes | None = Field(None, max_length=100)
    package: OptionalCode | None = None
    modules: Codes | None = Field(None, max_length=100)


class UpgradeIn(Input):
    plan: Code
    quantity: Count
    add_ons: Codes = Field([], max_length=100)
    package: OptionalCode = ""
    accept_terms: bool = False
    notify_me: bool = False
    contract_id: Text(120) = ""


class RenewalIn(Input):
    quantity: Count = Field(..., description="R1.16: 0 means no renewal")
    add_ons: Codes = Field([], max_length=100)
    package: OptionalCode = ""
    plan: OptionalCode | None = Field(None, description="A lower plan sets the renewal quantity to 0 (R1.16)")


class TrialChangeIn(Input):
    plan: Code
    add_ons: Codes = Field([], max_length=100)


class TerminateIn(Input):
    reason: OptionalCode = Field(
        ..., description="One of the reasons listed by GET /trial-termination-reasons"
    )
    acknowledge_data_deletion: bool = False
