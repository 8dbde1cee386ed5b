"""Facturae 3.2.2, the Spanish administration's invoice format, for buyers in Spain.

The file is unsigned: Facturae's XAdES signature is optional in the schema and needs the operator's
qualified certificate, which Canal does not hold. A credit note is a corrective invoice ("OR") by
differences ("02") with negative amounts, naming the invoice it corrects.
"""

from __future__ import annotations

import calendar
from decimal import Decimal

import pycountry
from lxml import etree

from canal.billing.einvoices.document import EU, Document, Party

NAMESPACE = "http://www.facturae.gob.es/formato/Versiones/Facturaev3_2_2.xml"
# TaxTypeCode 01 is IVA, the only tax Canal charges in Spain.
IVA = "01"
# PaymentMeans 04: transfer (bank transfers and the prepaid wallet both settle on account).
TRANSFER = "04"
LANGUAGES = {"es", "en", "de", "fr", "ca", "eu", "gl", "it", "pt"}


def _el(parent: etree._Element, name: str, text: object = None) -> etree._Element:
    element = etree.SubElement(parent, name)
    if text is not None:
        element.text = str(text)
    return element


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def alpha3(country: str) -> str:
    found = pycountry.countries.get(alpha_2=country)
    return found.alpha_3 if found is not None else country


def tax_number(party: Party) -> str:
    """Spanish residents are identified by their NIF without prefix; others by their VAT id."""
    compact = "".join(party.legal_id.split()).upper()
    if party.country == "ES":
        return compact.removeprefix("ES")
    return party.vat_id


def _party(parent: etree._Element, name: str, party: Party) -> None:
    element = _el(parent, name)
    identification = _el(element, "TaxIdentification")
    _el(identification, "PersonTypeCode", "J")
    residence = "R" if party.country == "ES" else ("U" if party.country in EU else "E")
    _el(identification, "ResidenceTypeCode", residence)
    _el(identification, "TaxIdentificationNumber", tax_number(party))
    legal = _el(element, "LegalEntity")
    _el(legal, "CorporateName", party.name[:80])
    address = party.address
    if party.country == "ES":
        spanish = _el(legal, "AddressInSpain")
        _el(spanish, "Address", address.street[:80])
        _el(spanish, "PostCode", address.postcode)
        _el(spanish, "Town", address.city[:50])
        _el(spanish, "Province", address.province[:20])
        _el(spanish, "CountryCode", "ESP")
    else:
        overseas = _el(legal, "OverseasAddress")
        _el(overseas, "Address", address.street[:80])
        _el(overseas, "PostCodeAndTown", f"{address.postcode} {address.city}".strip()[:50])
        _el(overseas, "Province", address.province[:20])
        _el(overseas, "CountryCode", alpha3(party.country))


def _tax(parent: etree._Element, percent: Decimal, taxable: Decimal, amount: Decimal) -> None:
    tax = _el(parent, "Tax")
    _el(tax, "TaxTypeCode", IVA)
    _el(tax, "TaxRate", _money(percent))
    _el(_el(tax, "TaxableBase"), "TotalAmount", _money(taxable))
    _el(_el(tax, "TaxAmount"), "TotalAmount", _money(amount))


def render(doc: Document) -> bytes:
    # Credit notes carry negative amounts in Facturae (rectificación por diferencias).
    sign = Decimal(-1) if doc.is_credit_note else Decimal(1)
    root = etree.Element(f"{{{NAMESPACE}}}Facturae", nsmap={"fe": NAMESPACE})
    header = _el(root, "FileHeader")
    _el(header, "SchemaVersion", "3.2.2")
    _el(header, "Modality", "I")
    _el(header, "InvoiceIssuerType", "EM")
    batch = _el(header, "Batch")
    _el(batch, "BatchIdentifier", f"{tax_number(doc.seller)}{doc.code}"[:70])
    _el(batch, "InvoicesCount", 1)
    for name in ("TotalInvoicesAmount", "TotalOutstandingAmount", "TotalExecutableAmount"):
        _el(_el(batch, name), "TotalAmount", _money(sign * doc.total))
    _el(batch, "InvoiceCurrencyCode", doc.currency)
    parties = _el(root, "Parties")
    _party(parties, "SellerParty", doc.seller)
    _party(parties, "BuyerParty", doc.buyer)

    invoice = _el(_el(root, "Invoices"), "Invoice")
    invoice_header = _el(invoice, "InvoiceHeader")
    _el(invoice_header, "InvoiceNumber", f"{doc.number:06d}")
    _el(invoice_header, "InvoiceSeriesCode", f"{doc.series}{doc.issue_date.year}")
    _el(invoice_header, "InvoiceDocumentType", "FC")
    _el(invoice_header, "InvoiceClass", "OR" if doc.is_credit_note else "OO")
    if doc.corrects is not None:
        corrective = _el(invoice_header, "Corrective")
        _el(corrective, "InvoiceNumber", f"{doc.corrects.number:06d}")
        _el(corrective, "InvoiceSeriesCode", f"{doc.corrects.series}{doc.corrects.issue_date.year}")
        _el(corrective, "ReasonCode", "10")
        _el(corrective, "ReasonDescription", "Detalle Operación")
        period = _el(corrective, "TaxPeriod")
        day = doc.corrects.issue_date
        _el(period, "StartDate", day.replace(day=1).isoformat())
        _el(period, "EndDate", day.replace(day=calendar.monthrange(day.year, day.month)[1]).isoformat())
        _el(corrective, "CorrectionMethod", "02")
        _el(corrective, "CorrectionMethodDescription", "Rectificación por diferencias")
        if doc.reference:
            _el(corrective, "AdditionalReasonDescription", doc.reference[:2500])
        _el(corrective, "InvoiceIssueDate", doc.corrects.issue_date.isoformat())
    issue = _el(invoice, "InvoiceIssueData")
    _el(issue, "IssueDate", doc.issue_date.isoformat())
    _el(issue, "InvoiceCurrencyCode", doc.currency)
    _el(issue, "TaxCurrencyCode", doc.currency)
    _el(issue, "LanguageName", doc.language if doc.language in LANGUAGES else "es")
    taxes = _el(invoice, "TaxesOutputs")
    for subtotal in doc.subtotals:
        _tax(taxes, subtotal.category.percent, sign * subtotal.taxable, sign * subtotal.tax)
    totals = _el(invoice, "InvoiceTotals")
    _el(totals, "TotalGrossAmount", _money(sign * doc.net))
    _el(totals, "TotalGrossAmountBeforeTaxes", _money(sign * doc.net))
    _el(totals, "TotalTaxOutputs", _money(sign * doc.tax))
    _el(totals, "TotalTaxesWithheld", "0.00")
    _el(totals, "InvoiceTotal", _money(sign * doc.total))
    _el(totals, "TotalOutstandingAmount", _money(sign * doc.total))
    _el(totals, "TotalExecutableAmount", _money(sign * doc.total))
    items = _el(invoice, "Items")
    for line in doc.lines:
        row = _el(items, "InvoiceLine")
        if doc.reference and not doc.is_credit_note:
            _el(row, "IssuerContractReference", doc.reference[:20])
        _el(row, "ItemDescription", line.description[:2500])
        _el(row, "Quantity", f"{sign * line.quantity:.2f}")
        _el(row, "UnitOfMeasure", "01")  # units
        _el(row, "UnitPriceWithoutTax", f"{line.unit_price:.2f}")
        _el(row, "TotalCost", _money(sign * line.quantity * line.unit_price))
        if line.allowance > 0:
            discount = _el(_el(row, "DiscountsAndRebates"), "Discount")
            _el(discount, "DiscountReason", doc.allowance_reason)
            _el(discount, "DiscountAmount", _money(sign * line.allowance))
        elif line.allowance < 0:
            charge = _el(_el(row, "Charges"), "Charge")
            _el(charge, "ChargeReason", "Recargo")
            _el(charge, "ChargeAmount", _money(-sign * line.allowance))
        _el(row, "GrossAmount", _money(sign * line.net))
        _tax(_el(row, "TaxesOutputs"), line.category.percent, sign * line.net, sign * line.tax)
        if line.period_start and line.period_end:
            period = _el(row, "LineItemPeriod")
            _el(period, "StartDate", line.period_start.isoformat())
            _el(period, "EndDate", line.period_end.isoformat())
        if line.code:
            _el(row, "ArticleCode", line.code[:20])
    if doc.due_date and not doc.is_credit_note:
        installment = _el(_el(invoice, "PaymentDetails"), "Installment")
        _el(installment, "InstallmentDueDate", doc.due_date.isoformat())
        _el(installment, "InstallmentAmount", _money(doc.total))
        _el(installment, "PaymentMeans", TRANSFER)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
