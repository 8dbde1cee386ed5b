"""The structured files' free texts are in the invoice's language, as its PDF: a Spanish buyer's
reverse-charge invoice does not say "Reverse charge" in English."""

from __future__ import annotations

from lxml import etree

from canal.billing.einvoices import export
from canal.billing.einvoices.tests import cases
from canal.billing.models import EInvoiceFormat

UBL_NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


def _ubl_texts(language: str) -> tuple[list[str], list[str], list[str]]:
    cases.operator()
    buyer = cases.buyer(cases.CASES[2])  # intra-EU reverse charge
    buyer.language = language
    buyer.save(update_fields=["language"])
    invoice = cases.issue(buyer, "EUR")
    tree = etree.fromstring(export.render(invoice, EInvoiceFormat.UBL).content)
    return (
        tree.xpath("/*/cbc:Note/text()", namespaces=UBL_NS),
        tree.xpath("//cac:TaxSubtotal//cbc:TaxExemptionReason/text()", namespaces=UBL_NS),
        tree.xpath("//cbc:AllowanceChargeReason/text()", namespaces=UBL_NS),
    )


def test_a_spanish_invoices_texts_are_spanish(db):
    notes, reasons, allowances = _ubl_texts("es")

    assert notes[0].startswith("Inversión del sujeto pasivo: el comprador declara el impuesto")
    assert reasons == ["Inversión del sujeto pasivo"]
    assert allowances == ["Descuentos y prorrateo"]


def test_an_english_invoices_texts_are_english(db):
    notes, reasons, allowances = _ubl_texts("en")

    assert notes[0].startswith("Reverse charge: the buyer accounts for the tax")
    assert reasons == ["Reverse charge"]
    assert allowances == ["Discounts and proration"]
