"""Invoices and credit notes as print-ready A4 PDFs (fpdf2, pure Python), in the payer's language.

Each line shows its pricing breakdown under it (list amount, discounts, proration), so the arithmetic
can be redone from the paper. The core PDF fonts are used, so no font files are needed; text is kept
to the Windows-1252 range they cover (every Spanish, German and French letter, and the euro sign).
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import segno
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from canal.billing.models import BillingRecord, Invoice, InvoiceStatus
from canal.billing.presenters import step_text
from canal.billing.records import qr_url
from canal.core.formats import LOCALES
from canal.core.money import Money

BRAND = (15, 95, 115)
MUTED = (100, 110, 120)
LINE = (220, 225, 230)


def _safe(text: str) -> str:
    text = str(text).replace("\u202f", " ").replace("\u2192", "->")
    return text.encode("cp1252", errors="replace").decode("cp1252")


class _Document(FPDF):
    footer_text = ""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # The core fonts cover Windows-1252, which has the euro sign; fpdf2 assumes Latin-1 otherwise.
        self.core_fonts_encoding = "windows-1252"

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("Helvetica", size=7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 5, _safe(self.footer_text), align="L")
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="R")


def render_invoice_pdf(invoice: Invoice) -> bytes:
    with translation.override(invoice.language or "es"):
        return _render(invoice)


def _money(amount: Decimal, invoice: Invoice) -> str:
    locale = LOCALES.get(invoice.language, "es_ES")
    return _safe(Money(amount, invoice.currency).format(locale))


def _verification_qr(pdf: FPDF, invoice: Invoice) -> None:
    """The billing record's QR code (Orden HAC/1177/2024: at the top, 30 mm, error correction M, after
    the words "QR tributario"), which opens the tax agency's check of this invoice, and the record's
    fingerprint beside it. Drafts and invoices issued before records existed have none."""
    record = BillingRecord.objects.filter(invoice_id=invoice.pk).first() if invoice.pk else None
    if record is None:
        return
    image = BytesIO()
    segno.make(qr_url(record), error="m", micro=False, boost_error=False).save(
        image, kind="png", scale=10, border=0
    )
    top, size = pdf.get_y(), 30
    pdf.set_font("Helvetica", "B", 8)
    pdf.set_text_color(20, 20, 20)
    pdf.cell(size, 4, _safe(_("Tax QR code:")), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.image(image, x=pdf.l_margin, y=top + 5, w=size, h=size)
    pdf.set_xy(pdf.l_margin + size + 5, top + 5)
    pdf.set_font("Helvetica", size=7.5)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        pdf.epw - size - 5,
        3.8,
        _safe(
            _(
                "Billing record %(sequence)s of %(issuer)s, chained to the records before it. Scan the code "
                "to check the invoice with the Spanish tax agency (AEAT).\nFingerprint (SHA-256): "
                "%(fingerprint)s"
            )
            % {"sequence": record.sequence, "issuer": record.issuer_nif, "fingerprint": record.fingerprint}
        ),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_y(top + size + 10)


def _render(invoice: Invoice) -> bytes:
    pdf = _Document(format="A4", unit="mm")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.footer_text = f"{invoice.seller_name} · {invoice.seller_legal_id} · {invoice.code or ''}"
    pdf.set_title(_safe(f"{invoice.code}"))
    pdf.set_author(_safe(invoice.seller_name))
    pdf.add_page()
    width = pdf.epw

    # Header: seller on the left, document title and number on the right.
    pdf.set_font("Helvetica", "B", 16)
    pdf.set_text_color(*BRAND)
    pdf.cell(width / 2, 8, _safe(invoice.seller_name or "Canal"))
    title = _("Credit note") if invoice.is_credit_note else _("Invoice")
    pdf.cell(width / 2, 8, _safe(title.upper()), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=9)
    pdf.set_text_color(*MUTED)
    pdf.cell(width / 2, 5, _safe(f"{_('Tax id')}: {invoice.seller_legal_id}  ·  {invoice.seller_country}"))
    pdf.set_font("Helvetica", "B", 11)
    pdf.set_text_color(20, 20, 20)
    pdf.cell(width / 2, 5, _safe(invoice.code or _("Draft")), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(8)
    _verification_qr(pdf, invoice)

    # Buyer block and dates.
    top = pdf.get_y()
    pdf.set_font("Helvetica", "B", 8)
    pdf.set_text_color(*MUTED)
    pdf.cell(width / 2, 5, _safe(_("Billed to").upper()), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "B", 11)
    pdf.set_text_color(20, 20, 20)
    pdf.cell(
        width / 2,
        6,
        _safe(invoice.buyer_name or invoice.organisation.name),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font("Helvetica", size=9)
    buyer_id = invoice.buyer_legal_id or invoice.organisation.legal_id
    pdf.cell(
        width / 2,
        5,
        _safe(f"{_('Tax id')}: {buyer_id}  ·  {invoice.buyer_country}"),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    if invoice.customer_id:
        pdf.cell(
            width / 2,
            5,
            _safe(f"{_('For client')}: {invoice.customer.name}"),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    bottom_left = pdf.get_y()

    facts = [(_("Issue date"), date_format(invoice.issue_date, "DATE_FORMAT") if invoice.issue_date else "-")]
    if not invoice.is_credit_note and invoice.due_date:
        facts.append((_("Due date"), date_format(invoice.due_date, "DATE_FORMAT")))
    if invoice.credited_invoice_id:
        facts.append((_("Corrects invoice"), invoice.credited_invoice.code or ""))
    if invoice.reference:
        facts.append((_("Reason") if invoice.is_credit_note else _("Reference"), invoice.reference))
    facts.append((_("Status"), str(invoice.get_status_display())))
    pdf.set_y(top)
    for label, value in facts:
        pdf.set_x(pdf.l_margin + width / 2)
        pdf.set_font("Helvetica", size=9)
        pdf.set_text_color(*MUTED)
        pdf.cell(width / 4, 5, _safe(label), align="R")
        pdf.set_font("Helvetica", "B", 9)
        pdf.set_text_color(20, 20, 20)
        pdf.cell(width / 4, 5, _safe(value)[:48], align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(bottom_left, pdf.get_y()) + 8)

    # Lines.
    columns = [
        (_("Description"), width * 0.46, "L"),
        (_("Qty"), width * 0.08, "R"),
        (_("Unit price"), width * 0.16, "R"),
        (_("Tax"), width * 0.12, "R"),
        (_("Amount"), width * 0.18, "R"),
    ]
    pdf.set_fill_color(*BRAND)
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("Helvetica", "B", 8.5)
    for label, column_width, align in columns:
        pdf.cell(column_width, 7, _safe(label), align=align, fill=True)
    pdf.ln(7)
    pdf.set_draw_color(*LINE)
    for line in invoice.lines.order_by("position").select_related("beneficiary"):
        pdf.set_text_color(20, 20, 20)
        pdf.set_font("Helvetica", size=9)
        start_y = pdf.get_y()
        if start_y > pdf.h - 45:
            pdf.add_page()
            start_y = pdf.get_y()
        pdf.multi_cell(
            columns[0][1], 5, _safe(line.description), new_x=XPos.RIGHT, new_y=YPos.TOP, max_line_height=5
        )
        description_bottom = pdf.get_y()
        pdf.set_xy(pdf.l_margin + columns[0][1], start_y)
        pdf.cell(columns[1][1], 5, str(line.quantity), align="R")
        pdf.cell(columns[2][1], 5, _money(line.unit_price, invoice), align="R")
        pdf.cell(columns[3][1], 5, f"{line.tax_rate * 100:.2f} %".replace(".00", ""), align="R")
        pdf.cell(columns[4][1], 5, _money(line.net_amount, invoice), align="R")
        pdf.set_y(max(description_bottom, start_y + 5))
        details = []
        if line.period_start and line.period_end:
            details.append(
                _("Period %(start)s to %(end)s")
                % {
                    "start": date_format(line.period_start, "SHORT_DATE_FORMAT"),
                    "end": date_format(line.period_end, "SHORT_DATE_FORMAT"),
                }
            )
        if line.beneficiary_id and line.beneficiary_id != invoice.organisation_id:
            details.append(f"{_('For client')}: {line.beneficiary.name}")
        details.extend(
            step_text(step, invoice.currency, LOCALES.get(invoice.language, "es_ES")) for step in line.steps
        )
        if (
            line.cashback_amount
            and not invoice.is_credit_note
            and line.cashback_partner_id == invoice.organisation_id
        ):
            details.append(f"{_('Cashback')}: {_money(line.cashback_amount, invoice)}")
        pdf.set_font("Helvetica", size=7.5)
        pdf.set_text_color(*MUTED)
        for detail in details:
            pdf.set_x(pdf.l_margin + 3)
            pdf.multi_cell(
                columns[0][1] + columns[1][1] + columns[2][1],
                3.8,
                _safe(detail),
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        pdf.ln(1.5)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        pdf.ln(1.5)

    # Totals.
    pdf.ln(3)
    tax_label = f"{invoice.tax_name or _('Tax')}"
    rows = [(_("Net"), invoice.net), (tax_label, invoice.tax), (_("Total"), invoice.total)]
    if not invoice.is_credit_note and invoice.status in {InvoiceStatus.ISSUED, InvoiceStatus.PAID}:
        if invoice.amount_paid:
            rows.append((_("Paid"), -invoice.amount_paid))
        if invoice.amount_credited:
            rows.append((_("Credited"), -invoice.amount_credited))
        rows.append((_("Amount due"), invoice.amount_due))
    for label, amount in rows:
        strong = label in {_("Total"), _("Amount due")}
        pdf.set_x(pdf.l_margin + width * 0.55)
        pdf.set_font("Helvetica", "B" if strong else "", 10 if strong else 9)
        pdf.set_text_color(*(BRAND if strong else (20, 20, 20)))
        pdf.cell(width * 0.27, 6, _safe(label), align="R")
        pdf.cell(width * 0.18, 6, _money(amount, invoice), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_font("Helvetica", size=8.5)
    pdf.set_text_color(*MUTED)
    if invoice.reverse_charge:
        pdf.multi_cell(
            width,
            4.5,
            _safe(
                _(
                    "Reverse charge: the buyer accounts for the tax (%(tax)s) in its own country. "
                    "No tax is charged on this invoice."
                )
                % {"tax": invoice.tax_name}
            ),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    pdf.multi_cell(
        width,
        4.5,
        _safe(
            _("Amounts in %(currency)s. Each price step is rounded to the cent and the next starts from it.")
            % {"currency": invoice.currency}
        ),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    return bytes(pdf.output())
