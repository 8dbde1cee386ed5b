"""EN 16931 in UBL 2.1, following Peppol BIS Billing 3.0: an Invoice, or a CreditNote that names the
invoice it corrects (BillingReference). UBL is an ordered schema: elements are written in its order."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from canal.billing.einvoices.document import Document, Line, Party, TaxCategory

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
# "One" (UN/ECE Recommendation 20): licences, seats and subscriptions are counted, not measured.
UNIT = "C62"
# Peppol participant identifier schemes (EAS) that are the party's VAT number in its country.
VAT_ENDPOINT_SCHEME = {
    "AT": "9914", "BE": "9925", "BG": "9926", "CY": "9928", "CZ": "9929", "DE": "9930", "EE": "9931",
    "GB": "9932", "GR": "9933", "HR": "9934", "IE": "9935", "LU": "9938", "LV": "9939", "MT": "9943",
    "NL": "9944", "PL": "9945", "PT": "9946", "RO": "9947", "SI": "9949", "SK": "9950", "SM": "9951",
    "TR": "9952", "FR": "9957", "ES": "9920", "HU": "9910", "IT": "0211", "CH": "0183", "US": "9959",
    "LT": "0200", "FI": "0213", "SE": "0007", "DK": "0184", "NO": "0192",
}  # fmt: skip


def _el(parent: etree._Element, ns: str, name: str, text: object = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{name}", **attrs)
    if text is not None:
        element.text = str(text)
    return element


def _cbc(parent: etree._Element, name: str, text: object = None, **attrs: str) -> etree._Element:
    return _el(parent, CBC, name, text, **attrs)


def _cac(parent: etree._Element, name: str) -> etree._Element:
    return _el(parent, CAC, name)


def _amount(parent: etree._Element, name: str, value: Decimal, currency: str) -> None:
    _cbc(parent, name, f"{value:.2f}", currencyID=currency)


def _tax_category(parent: etree._Element, name: str, category: TaxCategory, *, with_reason: bool) -> None:
    element = _cac(parent, name)
    _cbc(element, "ID", category.code)
    _cbc(element, "Percent", f"{category.percent:.2f}")
    if with_reason and category.exemption_code:
        _cbc(element, "TaxExemptionReasonCode", category.exemption_code)
    if with_reason and category.exemption_reason:
        _cbc(element, "TaxExemptionReason", category.exemption_reason)
    _cbc(_cac(element, "TaxScheme"), "ID", "VAT")


def _party(parent: etree._Element, name: str, party: Party) -> None:
    wrapper = _cac(parent, name)
    element = _cac(wrapper, "Party")
    scheme = VAT_ENDPOINT_SCHEME.get(party.country)
    if party.vat_id and scheme:
        endpoint = "".join(ch for ch in party.vat_id if ch.isalnum())
        _cbc(element, "EndpointID", endpoint, schemeID=scheme)
    _cbc(_cac(element, "PartyName"), "Name", party.name)
    address = _cac(element, "PostalAddress")
    if party.address.street:
        _cbc(address, "StreetName", party.address.street)
    if party.address.city:
        _cbc(address, "CityName", party.address.city)
    if party.address.postcode:
        _cbc(address, "PostalZone", party.address.postcode)
    if party.address.province:
        _cbc(address, "CountrySubentity", party.address.province)
    _cbc(_cac(address, "Country"), "IdentificationCode", party.country)
    if party.vat_id:
        tax_scheme = _cac(element, "PartyTaxScheme")
        _cbc(tax_scheme, "CompanyID", party.vat_id)
        _cbc(_cac(tax_scheme, "TaxScheme"), "ID", "VAT")
    legal = _cac(element, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", party.name)
    if party.legal_id:
        _cbc(legal, "CompanyID", party.legal_id)


def _line(root: etree._Element, line: Line, doc: Document) -> None:
    credit = doc.is_credit_note
    element = _cac(root, "CreditNoteLine" if credit else "InvoiceLine")
    _cbc(element, "ID", line.position)
    _cbc(element, "CreditedQuantity" if credit else "InvoicedQuantity", line.quantity, unitCode=UNIT)
    _amount(element, "LineExtensionAmount", line.net, doc.currency)
    if line.period_start and line.period_end:
        period = _cac(element, "InvoicePeriod")
        _cbc(period, "StartDate", line.period_start.isoformat())
        _cbc(period, "EndDate", line.period_end.isoformat())
    if line.allowance:
        adjustment = _cac(element, "AllowanceCharge")
        _cbc(adjustment, "ChargeIndicator", "false" if line.allowance > 0 else "true")
        _cbc(adjustment, "AllowanceChargeReason", doc.allowance_reason)
        _amount(adjustment, "Amount", abs(line.allowance), doc.currency)
    item = _cac(element, "Item")
    _cbc(item, "Name", line.description)
    if line.code:
        _cbc(_cac(item, "SellersItemIdentification"), "ID", line.code)
    _tax_category(item, "ClassifiedTaxCategory", line.category, with_reason=False)
    _amount(_cac(element, "Price"), "PriceAmount", line.unit_price, doc.currency)


def render(doc: Document) -> bytes:
    credit = doc.is_credit_note
    ns = CREDIT_NOTE_NS if credit else INVOICE_NS
    root = etree.Element(
        f"{{{ns}}}{'CreditNote' if credit else 'Invoice'}", nsmap={None: ns, "cac": CAC, "cbc": CBC}
    )
    _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", PROFILE_ID)
    _cbc(root, "ID", doc.code)
    _cbc(root, "IssueDate", doc.issue_date.isoformat())
    if not credit and doc.due_date:
        _cbc(root, "DueDate", doc.due_date.isoformat())
    _cbc(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", "381" if credit else "380")
    for note in doc.notes:
        _cbc(root, "Note", note)
    _cbc(root, "DocumentCurrencyCode", doc.currency)
    # Peppol asks for a buyer reference or an order reference (PEPPOL-EN16931-R003).
    _cbc(root, "BuyerReference", (doc.reference if not credit else "") or doc.buyer.legal_id or doc.code)
    if doc.corrects is not None:
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", doc.corrects.code)
        _cbc(reference, "IssueDate", doc.corrects.issue_date.isoformat())
    _party(root, "AccountingSupplierParty", doc.seller)
    _party(root, "AccountingCustomerParty", doc.buyer)
    if credit:
        # BR-CO-25: an amount due needs a due date or payment terms; a credit note is settled on account.
        _cbc(_cac(root, "PaymentTerms"), "Note", doc.credit_terms)
    tax_total = _cac(root, "TaxTotal")
    _amount(tax_total, "TaxAmount", doc.tax, doc.currency)
    for subtotal in doc.subtotals:
        element = _cac(tax_total, "TaxSubtotal")
        _amount(element, "TaxableAmount", subtotal.taxable, doc.currency)
        _amount(element, "TaxAmount", subtotal.tax, doc.currency)
        _tax_category(element, "TaxCategory", subtotal.category, with_reason=True)
    totals = _cac(root, "LegalMonetaryTotal")
    _amount(totals, "LineExtensionAmount", doc.net, doc.currency)
    _amount(totals, "TaxExclusiveAmount", doc.net, doc.currency)
    _amount(totals, "TaxInclusiveAmount", doc.total, doc.currency)
    _amount(totals, "PayableAmount", doc.total, doc.currency)
    for line in doc.lines:
        _line(root, line, doc)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
