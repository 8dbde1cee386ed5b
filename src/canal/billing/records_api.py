"""Billing record endpoints under /api/v1/billing/records (operator staff only; anyone else gets 404)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router, Schema
from ninja.pagination import CursorPagination, paginate

from canal.api.fields import Text
from canal.billing import agency, records
from canal.billing.models import RecordState

router = Router(tags=["billing records"])


class RecordOut(Schema):
    id: int
    issuer_nif: str
    sequence: int
    invoice_id: int
    invoice_number: str
    issue_date: date
    invoice_type: str
    corrected_number: str
    currency: str
    total_tax: Decimal
    total_amount: Decimal
    previous_fingerprint: str
    generated_at: str
    fingerprint: str
    state: str
    sent_at: datetime | None
    agency_reference: str
    last_error: str


class RecordDetailOut(RecordOut):
    verification_url: str
    payload: dict[str, Any]

    @staticmethod
    def resolve_verification_url(record) -> str:
        return records.qr_url(record)

    @staticmethod
    def resolve_payload(record) -> dict[str, Any]:
        return records.payload(record)


class EventOut(Schema):
    id: int
    kind: str
    record_id: int | None
    issuer_nif: str
    text: str
    at: datetime


class BreakOut(Schema):
    issuer_nif: str
    sequence: int | None
    invoice_number: str
    invoice_id: int | None
    field: str
    detail: str


class VerificationOut(Schema):
    intact: bool
    checked: dict[str, int]
    breaks: list[BreakOut]


class AgencyOut(Schema):
    configured: bool
    message: str


class SendOut(Schema):
    configured: bool
    sent: int
    failed: int
    message: str


def _operator(request: HttpRequest):
    actor = request.actor  # type: ignore[attr-defined]
    records.require_operator(actor)
    return actor


@router.get("", response=list[RecordOut], summary="Operator: billing records (VeriFactu), newest first")
@paginate(CursorPagination, ordering=("-id",))
def list_records(request: HttpRequest, state: Text(16) | None = None):
    rows = records.records_visible_to(_operator(request))
    if state in RecordState.values:
        rows = rows.filter(state=state)
    return rows


@router.get("/events", response=list[EventOut], summary="Operator: the billing records' event log")
@paginate(CursorPagination, ordering=("-id",))
def list_events(request: HttpRequest):
    return records.events_for(_operator(request))


@router.get("/agency", response=AgencyOut, summary="Operator: is sending to the tax agency configured?")
def agency_status(request: HttpRequest):
    _operator(request)
    configured = agency.backend().configured
    return {"configured": configured, "message": "" if configured else agency.not_configured_message()}


@router.get("/export.csv", summary="Operator: every billing record as CSV (logged)")
def export_records(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(records.export_csv(_operator(request)), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="billing-records.csv"'
    return response


@router.post("/verify", response=VerificationOut, summary="Operator: verify every chain of records")
def verify(request: HttpRequest):
    report = records.verify_chains(actor=_operator(request))
    return {"intact": report.intact, "checked": report.checked, "breaks": report.breaks}


@router.post("/send", response=SendOut, summary="Operator: send the records not sent yet to the tax agency")
def send(request: HttpRequest):
    _operator(request)
    return records.send_pending()


@router.get("/{record_id}", response=RecordDetailOut, summary="Operator: one record, as it would be sent")
def get_record(request: HttpRequest, record_id: int):
    return records.record_for(_operator(request), record_id)
