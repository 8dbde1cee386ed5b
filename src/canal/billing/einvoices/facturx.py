"""Factur-X: the invoice PDF from `billing.pdf` with its EN 16931 CII XML embedded (PDF/A-3 style).

The `factur-x` package embeds the XML as `factur-x.xml` (AFRelationship "Data") and writes the XMP
metadata PDF/A-3 and Factur-X ask for (pdfaid part 3, the fx: extension schema, the level). We add
the sRGB output intent PDF/A requires, with the ICC profile fpdf2 ships. Not done: the PDF uses the
standard Helvetica font without embedding it, which a strict PDF/A-3b validator (veraPDF) refuses;
see docs/billing.md.
"""

from __future__ import annotations

from importlib.resources import files
from io import BytesIO

from django.utils import translation
from django.utils.translation import gettext
from facturx import generate_from_binary
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from canal.billing.einvoices.document import Document

SRGB_PROFILE = files("fpdf") / "data" / "color_profiles" / "sRGB2014.icc"


def with_output_intent(pdf: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    profile = StreamObject()
    profile.set_data(SRGB_PROFILE.read_bytes())
    profile[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject("sRGB IEC61966-2.1"),
            NameObject("/Info"): TextStringObject("sRGB IEC61966-2.1"),
            NameObject("/DestOutputProfile"): writer._add_object(profile),
        }
    )
    writer.root_object[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def render(doc: Document, pdf: bytes, xml: bytes) -> bytes:
    """The Factur-X PDF: `pdf` (the invoice as printed) carrying `xml` (its CII, already validated)."""
    with translation.override(doc.language):
        title = (gettext("Credit note %(code)s") if doc.is_credit_note else gettext("Invoice %(code)s")) % {
            "code": doc.code
        }
    return generate_from_binary(
        with_output_intent(pdf),
        xml,
        flavor="factur-x",
        level="en16931",
        check_xsd=False,
        pdf_metadata={
            "author": doc.seller.name,
            "keywords": "Factur-X, EN 16931",
            "title": title,
            "subject": title,
        },
        lang=doc.language,
    )
