"""CSV exports: invoices, invoice lines and payments of what the actor sees (per organisation, or for a
partner per client, R4.11), and the operator's accounting journal. Plain values, one row per record,
amounts as plain decimals with a currency column so spreadsheets and accounting tools import them."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from io import StringIO
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.billing import selectors
from canal.billing.models import Invoice, InvoiceLine, JournalEntry, Payment
from canal.core.errors import NotFound

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula gets a leading quote; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def _csv(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """Rows as CSV text, one chunk per row, so large exports stream."""
    buffer = StringIO()
    writer = csv.writer(buffer)
    for row in _chain(header, rows):
        writer.writerow([spreadsheet_cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)


def _chain(header: list[str], rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
    yield header
    yield from rows


def _invoices(actor: Actor, organisation_id: int | None, client_id: int | None) -> QuerySet[Invoice]:
    if client_id is not None:
        return selectors.invoices_for_client(actor, client_id)
    invoices = selectors.invoices_visible_to(actor)
    if organisation_id is not None:
        invoices = invoices.filter(organisation=selectors.organisation_for(actor, organisation_id))
    return invoices


def invoices_csv(
    actor: Actor, *, organisation_id: int | None = None, client_id: int | None = None
) -> Iterator[str]:
    header = [
        "number",
        "kind",
        "status",
        "issue_date",
        "due_date",
        "paid_by",
        "paid_by_tax_id",
        "for_client",
        "currency",
        "net",
        "tax",
        "total",
        "paid",
        "credited",
        "due",
        "reverse_charge",
        "reference",
        "corrects",
    ]
    invoices = (
        _invoices(actor, organisation_id, client_id)
        .select_related("credited_invoice")
        .order_by("issue_date", "id")
    )
    rows = (
        [
            invoice.code or "",
            invoice.kind,
            invoice.status,
            invoice.issue_date or "",
            invoice.due_date or "",
            invoice.organisation.name,
            invoice.buyer_legal_id or invoice.organisation.legal_id,
            invoice.customer.name if invoice.customer else "",
            invoice.currency,
            invoice.net,
            invoice.tax,
            invoice.total,
            invoice.amount_paid,
            invoice.amount_credited,
            invoice.amount_due,
            "yes" if invoice.reverse_charge else "no",
            invoice.reference,
            invoice.credited_invoice.code if invoice.credited_invoice else "",
        ]
        for invoice in invoices.iterator(chunk_size=500)
    )
    return _csv(header, rows)


def invoice_lines_csv(
    actor: Actor, *, organisation_id: int | None = None, client_id: int | None = None
) -> Iterator[str]:
    header = [
        "invoice",
        "issue_date",
        "position",
        "description",
        "code",
        "product",
        "for_client",
        "period_start",
        "period_end",
        "quantity",
        "unit_price",
        "net",
        "tax_rate",
        "tax",
        "total",
        "currency",
        "cashback",
    ]
    invoices = _invoices(actor, organisation_id, client_id)
    lines = (
        InvoiceLine.objects.filter(invoice__in=invoices)
        .select_related("invoice", "beneficiary")
        .order_by("invoice__issue_date", "invoice_id", "position")
    )
    if client_id is not None:
        # An invoice the partner pays may hold several clients' lines: only this client's.
        lines = lines.filter(Q(invoice__organisation_id=client_id) | Q(beneficiary_id=client_id))
    rows = (
        [
            line.invoice.code or "",
            line.invoice.issue_date or "",
            line.position,
            line.description,
            line.code,
            line.product_code,
            line.beneficiary.name if line.beneficiary else "",
            line.period_start or "",
            line.period_end or "",
            line.quantity,
            line.unit_price,
            line.net_amount,
            line.tax_rate,
            line.tax_amount,
            line.total_amount,
            line.invoice.currency,
            line.cashback_amount if selectors.sees_cashback(actor, line) else "",
        ]
        for line in lines.iterator(chunk_size=500)
    )
    return _csv(header, rows)


def payments_csv(
    actor: Actor, *, organisation_id: int | None = None, client_id: int | None = None
) -> Iterator[str]:
    header = [
        "id",
        "created_at",
        "paid_by",
        "invoice",
        "purpose",
        "method",
        "status",
        "currency",
        "amount",
        "applied",
        "to_wallet",
        "reference",
        "provider_reference",
        "decided_at",
    ]
    payments: QuerySet[Payment] = selectors.payments_visible_to(actor)
    if client_id is not None:
        payments = payments.filter(invoice__in=selectors.invoices_for_client(actor, client_id))
    elif organisation_id is not None:
        payments = payments.filter(organisation=selectors.organisation_for(actor, organisation_id))
    rows = (
        [
            payment.pk,
            payment.created_at.isoformat(timespec="seconds"),
            payment.organisation.name,
            payment.invoice.code if payment.invoice else "",
            payment.purpose,
            payment.method,
            payment.status,
            payment.currency,
            payment.amount,
            payment.applied_amount,
            payment.to_wallet_amount,
            payment.reference,
            payment.provider_reference,
            payment.decided_at.isoformat(timespec="seconds") if payment.decided_at else "",
        ]
        for payment in payments.order_by("created_at", "id").iterator(chunk_size=500)
    )
    return _csv(header, rows)


def journal_csv(actor: Actor) -> Iterator[str]:
    """The accounting journal: one row per posting, grouped by entry; each entry sums to zero."""
    if not actor.is_operator:
        raise NotFound(_("The accounting journal is for operator staff."))
    header = [
        "entry",
        "booked_at",
        "reason",
        "memo",
        "document",
        "account_owner",
        "account",
        "currency",
        "amount",
    ]
    entries: QuerySet[JournalEntry] = selectors.journal_visible_to(actor).select_related("invoice", "payment")

    def rows() -> Iterator[list[Any]]:
        for entry in entries.iterator(chunk_size=500):
            document = (
                entry.invoice.code
                if entry.invoice_id
                else f"payment {entry.payment_id}"
                if entry.payment_id
                else f"{entry.document_type} {entry.document_id}".strip()
            )
            for posting in entry.postings.all():
                owner = posting.account.organisation.name if posting.account.organisation_id else "house"
                yield [
                    entry.pk,
                    entry.booked_at.isoformat(timespec="seconds"),
                    entry.reason,
                    entry.memo_text,
                    document,
                    owner,
                    posting.account.kind,
                    posting.currency,
                    posting.amount,
                ]

    return _csv(header, rows())
