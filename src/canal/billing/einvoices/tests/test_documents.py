"""Every tax case and currency as UBL, Factur-X and Facturae, checked with the official schemas and the
EN 16931 schematron; the Factur-X PDF checked with the factur-x package's own functions."""

from __future__ import annotations

import io

import pytest
from facturx import get_facturx_xml_from_pdf, get_level, xml_check_xsd
from lxml import etree
from pypdf import PdfReader

from canal.accounts.actor import actor_for
from canal.accounts.models import Role
from canal.accounts.tests.factories import MembershipFactory
from canal.billing import services
from canal.billing.einvoices import cii, export, ubl, validation
from canal.billing.einvoices.document import document_of
from canal.billing.einvoices.tests import cases
from canal.billing.models import EInvoiceFormat

UBL_NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


@pytest.fixture
def issued(db):
    """One invoice per case, and credit notes of the domestic (one line) and the reverse-charge invoice."""
    seller = cases.operator()
    staff = actor_for(MembershipFactory(organisation=seller, role=Role.ADMIN).user, seller.pk)
    invoices = {case.name: cases.issue(cases.buyer(case), case.currency) for case in cases.CASES}
    invoices["credit-note-domestic"] = services.issue_credit_note(
        actor=staff,
        invoice_id=invoices["domestic-eur"].pk,
        reason="Ordered twice",
        line_positions=[2],
        issue_date=cases.DAY,
    )
    invoices["credit-note-reverse-charge"] = services.issue_credit_note(
        actor=staff,
        invoice_id=invoices["intra-eu-reverse-charge"].pk,
        reason="Cancelled",
        issue_date=cases.DAY,
    )
    for invoice in invoices.values():
        invoice.refresh_from_db()
    return invoices


def test_each_case_gets_its_tax_category_and_exemption_reason(issued):
    for case in cases.CASES:
        xml = export.render(issued[case.name], EInvoiceFormat.UBL).content
        tree = etree.fromstring(xml)
        categories = tree.xpath("//cac:TaxSubtotal/cac:TaxCategory/cbc:ID/text()", namespaces=UBL_NS)
        assert categories == [case.category], case.name
        reasons = tree.xpath(
            "//cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReasonCode/text()", namespaces=UBL_NS
        )
        expected = {"AE": ["VATEX-EU-AE"], "G": ["VATEX-EU-G"]}.get(case.category, [])
        assert reasons == expected, case.name
    assert {invoice.currency for invoice in issued.values()} == {"EUR", "USD", "CHF"}


def test_ubl_and_cii_pass_the_schemas_and_the_en16931_business_rules(issued):
    for name, invoice in issued.items():
        doc = document_of(invoice)
        for fmt, writer, rules in (
            (EInvoiceFormat.UBL, ubl.render, "ubl"),
            (EInvoiceFormat.FACTURX, cii.render, "cii"),
        ):
            xml = writer(doc)
            validation.check_schema(validation.schema_name(fmt, credit_note=doc.is_credit_note), xml)
            assert validation.business_rule_errors(rules, xml) == [], (name, fmt)


def test_credit_notes_reference_the_invoice_they_correct(issued):
    note = issued["credit-note-domestic"]
    tree = etree.fromstring(export.render(note, EInvoiceFormat.UBL).content)
    assert etree.QName(tree).localname == "CreditNote"
    assert tree.xpath(
        "//cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID/text()", namespaces=UBL_NS
    ) == [issued["domestic-eur"].code]
    assert tree.xpath("cbc:CreditNoteTypeCode/text()", namespaces=UBL_NS) == ["381"]
    # Credited amounts are positive in a credit note; they match the stored (negative) note.
    payable = tree.xpath("//cac:LegalMonetaryTotal/cbc:PayableAmount/text()", namespaces=UBL_NS)
    assert payable == [f"{-note.total:.2f}"]


def test_facturx_pdf_passes_the_packages_xml_checks_and_carries_pdfa3_metadata(issued):
    for name, invoice in issued.items():
        pdf = export.render(invoice, EInvoiceFormat.FACTURX).content
        filename, xml = get_facturx_xml_from_pdf(pdf, check_xsd=True)
        assert filename == "factur-x.xml", name
        assert get_level(etree.fromstring(xml)) == "en16931", name
        assert xml_check_xsd(xml, flavor="factur-x", level="en16931") is True
        reader = PdfReader(io.BytesIO(pdf))
        catalog = reader.trailer["/Root"]
        xmp = catalog["/Metadata"].get_object().get_data().decode()
        assert "<pdfaid:part>3</pdfaid:part>" in xmp, name
        assert "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#" in xmp, name
        assert "/OutputIntents" in catalog, name
        assert [spec.get_object()["/AFRelationship"] for spec in catalog["/AF"]] == ["/Data"], name


def test_facturae_for_spanish_buyers_passes_the_official_schema(issued):
    for name in ("domestic-eur", "domestic-usd", "credit-note-domestic"):
        xml = export.render(issued[name], EInvoiceFormat.FACTURAE).content
        validation.check_schema("facturae", xml)
        tree = etree.fromstring(xml)
        assert tree.findtext("FileHeader/SchemaVersion") == "3.2.2"
    corrective = etree.fromstring(
        export.render(issued["credit-note-domestic"], EInvoiceFormat.FACTURAE).content
    )
    assert corrective.findtext(".//InvoiceHeader/InvoiceClass") == "OR"
    assert corrective.findtext(".//Corrective/InvoiceNumber") == f"{issued['domestic-eur'].number:06d}"


def test_facturae_is_refused_for_buyers_abroad_with_a_clear_error(issued):
    with pytest.raises(validation.EInvoiceInvalid) as refused:
        export.render(issued["intra-eu-reverse-charge"], EInvoiceFormat.FACTURAE)
    assert refused.value.code == "facturae_not_for_buyer"
    assert "only produced for buyers in Spain" in str(refused.value.message)


def test_a_credit_note_credits_positive_amounts_in_ubl_and_cii_and_negative_ones_in_facturae(issued):
    note = issued["credit-note-domestic"]
    assert note.total < 0  # stored as the negative of what it corrects
    credited = f"{-note.total:.2f}"

    cii_tree = etree.fromstring(cii.render(document_of(note)))
    assert cii_tree.xpath("//*[local-name()='GrandTotalAmount']/text()") == [credited]
    assert cii_tree.xpath("//*[local-name()='TypeCode']/text()")[0] == "381"
    facturae = etree.fromstring(export.render(note, EInvoiceFormat.FACTURAE).content)
    assert facturae.findtext(".//InvoiceTotals/InvoiceTotal") == f"{note.total:.2f}"
    assert facturae.findtext(".//InvoiceLine/Quantity").startswith("-")
