"""EN 16931 in UN/CEFACT CII D16B, as the Factur-X 1.0 "EN 16931" profile embeds it in the PDF."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lxml import etree

from canal.billing.einvoices.document import Document, Line, Party, TaxCategory
from canal.billing.einvoices.ubl import UNIT

GUIDELINE = "urn:cen.eu:en16931:2017"
RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"


def _ram(parent: etree._Element, name: str, text: object = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{RAM}}}{name}", **attrs)
    if text is not None:
        element.text = str(text)
    return element


def _date(parent: etree._Element, name: str, day: date, ns: str = UDT) -> None:
    wrapper = _ram(parent, name)
    etree.SubElement(wrapper, f"{{{ns}}}DateTimeString", format="102").text = day.strftime("%Y%m%d")


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _tax(
    parent: etree._Element,
    category: TaxCategory,
    *,
    basis: Decimal | None = None,
    amount: Decimal | None = None,
) -> None:
    tax = _ram(parent, "ApplicableTradeTax")
    if amount is not None:
        _ram(tax, "CalculatedAmount", _money(amount))
    _ram(tax, "TypeCode", "VAT")
    if basis is not None and category.exemption_reason:
        _ram(tax, "ExemptionReason", category.exemption_reason)
    if basis is not None:
        _ram(tax, "BasisAmount", _money(basis))
    _ram(tax, "CategoryCode", category.code)
    if basis is not None and category.exemption_code:
        _ram(tax, "ExemptionReasonCode", category.exemption_code)
    _ram(tax, "RateApplicablePercent", f"{category.percent:.2f}")


def _party(parent: etree._Element, name: str, party: Party) -> None:
    element = _ram(parent, name)
    _ram(element, "Name", party.name)
    address = _ram(element, "PostalTradeAddress")
    if party.address.postcode:
        _ram(address, "PostcodeCode", party.address.postcode)
    if party.address.street:
        _ram(address, "LineOne", party.address.street)
    if party.address.city:
        _ram(address, "CityName", party.address.city)
    _ram(address, "CountryID", party.country)
    if party.address.province:
        _ram(address, "CountrySubDivisionName", party.address.province)
    if party.vat_id:
        _ram(_ram(element, "SpecifiedTaxRegistration"), "ID", party.vat_id, schemeID="VA")


def _line(transaction: etree._Element, line: Line, doc: Document) -> None:
    item = _ram(transaction, "IncludedSupplyChainTradeLineItem")
    _ram(_ram(item, "AssociatedDocumentLineDocument"), "LineID", line.position)
    product = _ram(item, "SpecifiedTradeProduct")
    if line.code:
        _ram(product, "SellerAssignedID", line.code)
    _ram(product, "Name", line.description)
    agreement = _ram(item, "SpecifiedLineTradeAgreement")
    _ram(_ram(agreement, "NetPriceProductTradePrice"), "ChargeAmount", _money(line.unit_price))
    _ram(_ram(item, "SpecifiedLineTradeDelivery"), "BilledQuantity", line.quantity, unitCode=UNIT)
    settlement = _ram(item, "SpecifiedLineTradeSettlement")
    _tax(settlement, line.category)
    if line.period_start and line.period_end:
        period = _ram(settlement, "BillingSpecifiedPeriod")
        _date(period, "StartDateTime", line.period_start)
        _date(period, "EndDateTime", line.period_end)
    if line.allowance:
        adjustment = _ram(settlement, "SpecifiedTradeAllowanceCharge")
        indicator = _ram(adjustment, "ChargeIndicator")
        etree.SubElement(indicator, f"{{{UDT}}}Indicator").text = "false" if line.allowance > 0 else "true"
        _ram(adjustment, "ActualAmount", _money(abs(line.allowance)))
        _ram(adjustment, "Reason", doc.allowance_reason)
    _ram(
        _ram(settlement, "SpecifiedTradeSettlementLineMonetarySummation"), "LineTotalAmount", _money(line.net)
    )


def render(doc: Document) -> bytes:
    root = etree.Element(
        f"{{{RSM}}}CrossIndustryInvoice", nsmap={"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}
    )
    context = etree.SubElement(root, f"{{{RSM}}}ExchangedDocumentContext")
    _ram(_ram(context, "GuidelineSpecifiedDocumentContextParameter"), "ID", GUIDELINE)
    header = etree.SubElement(root, f"{{{RSM}}}ExchangedDocument")
    _ram(header, "ID", doc.code)
    _ram(header, "TypeCode", "381" if doc.is_credit_note else "380")
    _date(header, "IssueDateTime", doc.issue_date)
    for note in doc.notes:
        _ram(_ram(header, "IncludedNote"), "Content", note)
    transaction = etree.SubElement(root, f"{{{RSM}}}SupplyChainTradeTransaction")
    for line in doc.lines:
        _line(transaction, line, doc)
    agreement = _ram(transaction, "ApplicableHeaderTradeAgreement")
    if doc.reference and not doc.is_credit_note:
        _ram(agreement, "BuyerReference", doc.reference)
    _party(agreement, "SellerTradeParty", doc.seller)
    _party(agreement, "BuyerTradeParty", doc.buyer)
    _ram(transaction, "ApplicableHeaderTradeDelivery")
    settlement = _ram(transaction, "ApplicableHeaderTradeSettlement")
    _ram(settlement, "InvoiceCurrencyCode", doc.currency)
    for subtotal in doc.subtotals:
        _tax(settlement, subtotal.category, basis=subtotal.taxable, amount=subtotal.tax)
    terms = _ram(settlement, "SpecifiedTradePaymentTerms")
    if doc.is_credit_note:
        _ram(terms, "Description", doc.credit_terms)
    elif doc.due_date:
        _date(terms, "DueDateDateTime", doc.due_date)
    summary = _ram(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")
    _ram(summary, "LineTotalAmount", _money(doc.net))
    _ram(summary, "TaxBasisTotalAmount", _money(doc.net))
    _ram(summary, "TaxTotalAmount", _money(doc.tax), currencyID=doc.currency)
    _ram(summary, "GrandTotalAmount", _money(doc.total))
    _ram(summary, "DuePayableAmount", _money(doc.total))
    if doc.corrects is not None:
        referenced = _ram(settlement, "InvoiceReferencedDocument")
        _ram(referenced, "IssuerAssignedID", doc.corrects.code)
        _date(referenced, "FormattedIssueDateTime", doc.corrects.issue_date, ns=QDT)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
