"""Structured invoices out: one document in one format, all of a period as a ZIP, and the check at issue.

Every read goes through the billing selectors, so an actor gets only the invoices it may see (strangers
get 404), and documents are written on request from the stored invoice: nothing is cached that could
drift from the PDF.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.http import HttpResponse
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.billing import selectors
from canal.billing.einvoices import cii, facturae, facturx, ubl
from canal.billing.einvoices.document import Document, document_of, seller_billing_account
from canal.billing.einvoices.validation import check_facturae_possible, check_schema, schema_name
from canal.billing.exports import spreadsheet_cell
from canal.billing.models import BillingAccount, EInvoiceFormat, Invoice, InvoiceLine, InvoiceStatus
from canal.billing.pdf import render_invoice_pdf
from canal.core.errors import RuleViolation

STRUCTURED = (EInvoiceFormat.UBL, EInvoiceFormat.FACTURX, EInvoiceFormat.FACTURAE)
MAX_PERIOD_DAYS = 366


@dataclass(frozen=True)
class File:
    name: str
    content_type: str
    content: bytes

    def as_download(self) -> HttpResponse:
        response = HttpResponse(self.content, content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="{self.name}"'
        return response


def formats_for(invoice: Invoice) -> list[str]:
    """The structured formats an invoice can be downloaded in: Facturae only for buyers in Spain."""
    country = invoice.buyer_country or invoice.organisation.country
    return [fmt for fmt in STRUCTURED if fmt != EInvoiceFormat.FACTURAE or country == "ES"]


def _xml(doc: Document, fmt: str) -> bytes:
    if fmt == EInvoiceFormat.UBL:
        return ubl.render(doc)
    if fmt == EInvoiceFormat.FACTURX:
        return cii.render(doc)
    return facturae.render(doc)


def _check_facturae(invoice: Invoice) -> None:
    account = BillingAccount.objects.filter(organisation_id=invoice.organisation_id).first()
    check_facturae_possible(
        buyer_country=invoice.buyer_country, buyer_legal_id=invoice.buyer_legal_id, address=account
    )
    seller = seller_billing_account()
    if seller is None or not all((seller.address, seller.postcode, seller.city, seller.province)):
        raise RuleViolation(
            _(
                "Facturae needs the seller's full postal address; operator staff complete it in the "
                "operator's billing settings."
            ),
            code="einvoice_incomplete",
            field="seller_address",
        )


def render(invoice: Invoice, fmt: str, lines: Sequence[InvoiceLine] | None = None) -> File:
    """The invoice as `fmt`, checked against its schema; refuses drafts and impossible formats."""
    if fmt not in STRUCTURED and fmt != EInvoiceFormat.PDF:
        raise RuleViolation(
            _("Unknown format %(format)s: choose ubl, facturx or facturae.") % {"format": fmt}, field="format"
        )
    if invoice.status == InvoiceStatus.DRAFT or not invoice.code:
        raise RuleViolation(
            _("A draft has no structured invoice; issue it first."), code="invoice_draft", field="invoice"
        )
    base = invoice.code
    if fmt == EInvoiceFormat.PDF:
        return File(f"{base}.pdf", "application/pdf", render_invoice_pdf(invoice))
    if not invoice.seller_legal_id:
        # Not refused at issue (a fresh install's operator may have none yet), but no file is valid without.
        raise RuleViolation(
            _(
                "The seller has no tax id, which every structured invoice needs; operator staff add it to "
                "the operator organisation."
            ),
            code="einvoice_incomplete",
            field="seller_legal_id",
        )
    if fmt == EInvoiceFormat.FACTURAE:
        _check_facturae(invoice)
    doc = document_of(invoice, lines)
    xml = _xml(doc, fmt)
    check_schema(schema_name(fmt, credit_note=doc.is_credit_note), xml)
    if fmt == EInvoiceFormat.FACTURX:
        return File(f"{base}.pdf", "application/pdf", facturx.render(doc, render_invoice_pdf(invoice), xml))
    suffix = "ubl.xml" if fmt == EInvoiceFormat.UBL else "facturae.xml"
    return File(f"{base}.{suffix}", "application/xml", xml)


def download(actor: Actor, invoice_id: int, fmt: str) -> File:
    invoice = selectors.invoice_for(actor, invoice_id)
    return render(invoice, fmt)


def validate_on_issue(invoice: Invoice, lines: Sequence[InvoiceLine] | None = None) -> None:
    """The files of a just-issued invoice, checked against the schemas (a few milliseconds; see
    docs/billing.md). Raising rolls the issuing back: an invoice whose file would not validate is not
    issued. Facturae is checked when the buyer asked for it."""
    doc = document_of(invoice, lines)
    for fmt in (EInvoiceFormat.UBL, EInvoiceFormat.FACTURX):
        check_schema(schema_name(fmt, credit_note=doc.is_credit_note), _xml(doc, fmt))
    account = BillingAccount.objects.filter(organisation_id=invoice.organisation_id).first()
    if account is not None and account.einvoice_format == EInvoiceFormat.FACTURAE:
        _check_facturae(invoice)
        check_schema("facturae", _xml(doc, EInvoiceFormat.FACTURAE))


def parse_period(start: str | date, end: str | date) -> tuple[date, date]:
    try:
        first = start if isinstance(start, date) else date.fromisoformat(start)
        last = end if isinstance(end, date) else date.fromisoformat(end)
    except ValueError:
        raise RuleViolation(_("Give the period as two dates, YYYY-MM-DD."), field="start") from None
    if last < first:
        raise RuleViolation(_("The period ends before it starts."), field="end")
    if last - first > timedelta(days=MAX_PERIOD_DAYS):
        raise RuleViolation(_("Export at most one year at a time."), field="end")
    return first, last


def period_zip(
    actor: Actor,
    *,
    start: str | date,
    end: str | date,
    fmt: str = "preferred",
    organisation_id: int | None = None,
) -> File:
    """Every invoice and credit note the actor may see, issued in the period, in one ZIP with an index.

    Operator staff get every payer's (or one payer's) documents; everyone else their own organisation's.
    `fmt` "preferred" writes each payer's preferred format (the PDF when it has none); an invoice that
    cannot have the asked format (Facturae for a buyer abroad) gets its UBL file, said in the index.
    """
    first, last = parse_period(start, end)
    if fmt != "preferred" and fmt not in STRUCTURED and fmt != EInvoiceFormat.PDF:
        raise RuleViolation(
            _("Unknown format %(format)s: choose ubl, facturx or facturae.") % {"format": fmt}, field="format"
        )
    invoices = selectors.invoices_visible_to(actor).filter(
        issue_date__gte=first, issue_date__lte=last, number__isnull=False
    )
    if organisation_id is not None:
        invoices = invoices.filter(organisation_id=organisation_id)
    invoices = (
        invoices.select_related("credited_invoice").prefetch_related("lines").order_by("issue_date", "code")
    )
    preferred = dict(
        BillingAccount.objects.filter(organisation__in=invoices.values("organisation_id")).values_list(
            "organisation_id", "einvoice_format"
        )
    )
    buffer = io.BytesIO()
    index = io.StringIO()
    writer = csv.writer(index)
    writer.writerow(
        ["code", "kind", "issue_date", "buyer", "buyer_tax_id", "currency", "total", "file", "note"]
    )
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for invoice in invoices:
            wanted = preferred.get(invoice.organisation_id, EInvoiceFormat.PDF) if fmt == "preferred" else fmt
            note = ""
            if wanted not in formats_for(invoice) and wanted != EInvoiceFormat.PDF:
                note = _("%(format)s is not available for this buyer; UBL given.") % {"format": wanted}
                wanted = EInvoiceFormat.UBL
            try:
                file = render(invoice, wanted, list(invoice.lines.all()))
            except RuleViolation as error:
                file = render(invoice, EInvoiceFormat.UBL, list(invoice.lines.all()))
                note = _("%(format)s: %(error)s UBL given.") % {"format": wanted, "error": error.message}
            archive.writestr(file.name, file.content)
            # Buyer names are the buyers' own text: a spreadsheet must not run one as a formula.
            row = [
                invoice.code,
                invoice.kind,
                invoice.issue_date.isoformat(),
                invoice.buyer_name,
                invoice.buyer_legal_id,
                invoice.currency,
                invoice.total,  # a Decimal: a negative total stays a number
                file.name,
                note,
            ]
            writer.writerow([spreadsheet_cell(value) for value in row])
        archive.writestr("index.csv", index.getvalue())
    return File(f"invoices-{first.isoformat()}-{last.isoformat()}.zip", "application/zip", buffer.getvalue())
