from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from canal.api.fields import Code, Input, PositiveAmount, PositiveCount, Text
from canal.api.schemas import Row
from canal.billing import selectors


class StepOut(Schema):
    kind: str
    label: str
    rate_or_factor: str
    amount_before: str
    amount_after: str


class InvoiceLineOut(Schema):
    position: int
    description: str
    code: str
    product_code: str
    beneficiary_id: int | None = Field(None, description="The client the line is for.")
    quantity: int
    unit_price: Decimal
    net_amount: Decimal
    tax_rate: Decimal
    tax_amount: Decimal
    total_amount: Decimal
    period_start: date | None
    period_end: date | None
    steps: list[StepOut]
    cashback_amount: Decimal | None = Field(
        None, description="The partner's cashback (R4.7): only for operator staff and that partner."
    )

    @staticmethod
    def resolve_cashback_amount(line, context) -> Decimal | None:
        # The paying client must not read its partner's margin off the invoice.
        request = (context or {}).get("request")
        actor = getattr(request, "actor", None)
        if actor is None or not selectors.sees_cashback(actor, line):
            return None
        return line.cashback_amount


class InvoiceOut(Row):
    id: int
    code: str | None = Field(None, description="The invoice number, e.g. F2026-000001.")
    kind: str
    status: str
    organisation_id: int = Field(..., description="The paying organisation, where the invoice lives (R4.10).")
    customer_id: int | None = Field(
        None, description="The client the invoice is for, when someone else pays."
    )
    currency: str
    issue_date: date | None
    due_date: date | None
    net: Decimal
    tax: Decimal
    total: Decimal
    amount_paid: Decimal
    amount_credited: Decimal
    amount_due: Decimal
    tax_name: str
    reverse_charge: bool
    reference: str
    credited_invoice_id: int | None = Field(None, description="For a credit note: the invoice it corrects.")


class InvoiceDetailOut(Schema, InvoiceOut):  # a Schema again, for resolve_lines
    buyer_name: str
    buyer_legal_id: str
    buyer_country: str
    seller_name: str
    seller_legal_id: str
    seller_country: str
    lines: list[InvoiceLineOut]

    @staticmethod
    def resolve_lines(invoice) -> list:
        return list(invoice.lines.order_by("position"))


class CreditNoteIn(Input):
    reason: Text(300)
    line_positions: list[PositiveCount] | None = Field(None, max_length=1000)


class PaymentOut(Schema):
    id: int
    organisation_id: int = Field(..., description="The paying organisation.")
    invoice_id: int | None
    purpose: str
    method: str
    status: str
    currency: str
    amount: Decimal
    applied_amount: Decimal
    to_wallet_amount: Decimal
    reference: str
    has_receipt: bool
    provider_reference: str
    failure_message: str
    decision_note: str
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_has_receipt(payment) -> bool:
        return payment["has_receipt"] if isinstance(payment, dict) else bool(payment.receipt)


class PayIn(Input):
    method: Code = Field(..., description="wallet, cashback or card")
    amount: PositiveAmount | None = Field(None, description="Defaults to everything due.")
    card_token: Text(200) = ""


class TopUpIn(Input):
    amount: PositiveAmount
    card_token: Text(200)


class TransferIn(Input):
    """A bank transfer notified with its receipt (multipart form fields)."""

    amount: PositiveAmount | None = Field(None, description="Defaults to everything due.")
    reference: Text(140) = ""


class WalletTransferIn(TransferIn):
    amount: PositiveAmount


class ConfirmIn(Input):
    amount_received: PositiveAmount | None = None
    note: Text(300) = ""


class RejectIn(Input):
    reason: Text(300)


class BalanceOut(Schema):
    kind: str
    label: str
    currency: str
    amount: Decimal


class MovementOut(Schema):
    id: int
    booked_at: datetime
    account: str
    currency: str
    amount: Decimal
    reason: str
    memo: str
    invoice_id: int | None
    payment_id: int | None

    @staticmethod
    def resolve_booked_at(posting) -> datetime:
        return posting.entry.booked_at

    @staticmethod
    def resolve_account(posting) -> str:
        return posting.account.kind

    @staticmethod
    def resolve_reason(posting) -> str:
        return posting.entry.reason

    @staticmethod
    def resolve_memo(posting) -> str:
        return posting.entry.memo_text

    @staticmethod
    def resolve_invoice_id(posting) -> int | None:
        return posting.entry.invoice_id

    @staticmethod
    def resolve_payment_id(posting) -> int | None:
        return posting.entry.payment_id
