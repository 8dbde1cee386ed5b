"""E-invoice endpoints under /api/v1/billing/: each format of an invoice, a period's ZIP, the settings."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from canal.api.fields import Text
from canal.billing.einvoices import export, preferences
from canal.billing.models import EInvoiceFormat

router = Router(tags=["billing"])


class SettingsOut(Schema):
    einvoice_format: str
    address: str
    postcode: str
    city: str
    province: str


class SettingsIn(Schema):
    einvoice_format: Text(10)
    address: Text(80) = ""
    postcode: Text(10) = ""
    city: Text(50) = ""
    province: Text(20) = ""


def _document(request: HttpRequest, invoice_id: int, fmt: str) -> HttpResponse:
    return export.download(request.actor, invoice_id, fmt).as_download()  # type: ignore[attr-defined]


@router.get("/invoices/{invoice_id}/ubl", summary="The invoice as EN 16931 UBL 2.1 (Peppol BIS Billing 3.0)")
def invoice_ubl(request: HttpRequest, invoice_id: int) -> HttpResponse:
    return _document(request, invoice_id, EInvoiceFormat.UBL)


@router.get("/invoices/{invoice_id}/facturx", summary="The invoice as a Factur-X PDF (EN 16931 profile)")
def invoice_facturx(request: HttpRequest, invoice_id: int) -> HttpResponse:
    return _document(request, invoice_id, EInvoiceFormat.FACTURX)


@router.get("/invoices/{invoice_id}/facturae", summary="The invoice as Facturae 3.2.2 (buyers in Spain only)")
def invoice_facturae(request: HttpRequest, invoice_id: int) -> HttpResponse:
    return _document(request, invoice_id, EInvoiceFormat.FACTURAE)


@router.get(
    "/exports/einvoices.zip",
    summary="Documents issued in a period as one ZIP (format: preferred, pdf, ubl, facturx, facturae)",
)
def export_zip(
    request: HttpRequest,
    start: Text(10),
    end: Text(10),
    format: Text(10) = "preferred",
    organisation_id: int | None = None,
) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    file = export.period_zip(
        actor,
        start=start,
        end=end,
        fmt=format,
        organisation_id=organisation_id if actor.is_operator else None,
    )
    return file.as_download()


@router.get(
    "/settings", response=SettingsOut, summary="Your organisation's e-invoice format and billing address"
)
def get_settings(request: HttpRequest):
    return preferences.settings_of(request.actor)  # type: ignore[attr-defined]


@router.put(
    "/settings", response=SettingsOut, summary="Change the preferred e-invoice format and billing address"
)
def put_settings(request: HttpRequest, payload: SettingsIn):
    return preferences.update_settings(actor=request.actor, **payload.dict())  # type: ignore[attr-defined]
