"""Billing run endpoints under /api/v1/billing/runs (operator staff only; anyone else gets 404)."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import CursorPagination, paginate

from canal.api.idempotency import idempotent
from canal.billing import runs

router = Router(tags=["billing runs"])


class RunOut(Schema):
    id: int
    run_date: date
    status: str
    started_at: datetime
    heartbeat_at: datetime | None
    finished_at: datetime | None
    payers_due: int
    payers_done: int
    percent_done: int
    parts: int
    parts_done: int
    invoices_issued: int
    charges_billed: int
    failures: int
    resumes_id: int | None


class RunIn(Schema):
    run_date: date | None = None
    parts: int | None = None


@router.get("", response=list[RunOut], summary="Operator: billing runs, newest first, with their progress")
@paginate(CursorPagination, ordering=("-id",))
def list_runs(request: HttpRequest):
    actor = request.actor  # type: ignore[attr-defined]
    runs.require_operator(actor)
    return runs.runs_visible_to(actor)


@router.get("/{run_id}", response=RunOut, summary="Operator: one billing run and its progress")
def get_run(request: HttpRequest, run_id: int):
    return runs.run_for(request.actor, run_id)  # type: ignore[attr-defined]


@router.post("", response={201: RunOut}, summary="Operator: start a billing run split across the workers")
def start_run(request: HttpRequest, payload: RunIn) -> Status:
    actor = request.actor  # type: ignore[attr-defined]

    def action() -> tuple[int, dict]:
        run = runs.start_billing_run(actor=actor, run_date=payload.run_date, parts=payload.parts)
        return 201, RunOut.from_orm(run).dict()

    return idempotent(request, operation="billing.runs.start", payload=payload.dict(), action=action)
