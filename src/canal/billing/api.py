"""Billing endpoints under /api/v1/billing/: invoices and credit notes, payments, the wallet, exports."""

import hashlib
from collections.abc import Iterator

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import CursorPagination, paginate

from canal.api.fields import Text
from canal.api.idempotency import idempotent
from canal.billing import exports, selectors, services
from canal.billing.einvoices.api import router as einvoice_router
from canal.billing.payments import receipt_content_type
from canal.billing.pdf import render_invoice_pdf
from canal.billing.records_api import router as records_router
from canal.billing.runs_api import router as runs_router
from canal.billing.schemas import (
    BalanceOut,
    ConfirmIn,
    CreditNoteIn,
    InvoiceDetailOut,
    InvoiceOut,
    MovementOut,
    PayIn,
    PaymentOut,
    RejectIn,
    TopUpIn,
    TransferIn,
    WalletTransferIn,
)

router = Router(tags=["billing"])
# Structured invoices: /invoices/{id}/ubl|facturx|facturae, /exports/einvoices.zip, /settings.
router.add_router("", einvoice_router)
router.add_router("/records", records_router)
router.add_router("/runs", runs_router)


def _payment_body(payment) -> dict:
    return PaymentOut.from_orm(payment).dict()


def _invoice_body(invoice) -> dict:
    return InvoiceOut.model_validate(invoice).model_dump()


@router.get("/invoices", response=list[InvoiceOut], summary="Invoices and credit notes you may see")
@paginate(CursorPagination, ordering=("-id",))
def list_invoices(request: HttpRequest, kind: Text(32) | None = None, status: Text(32) | None = None):
    # The rows carry the payer's and client's ids only, so their organisations are not read.
    invoices = selectors.invoices_visible_to(request.actor).select_related(None)  # type: ignore[attr-defined]
    if kind:
        invoices = invoices.filter(kind=kind)
    if status:
        invoices = invoices.filter(status=status)
    return invoices


@router.get(
    "/invoices/{invoice_id}", response=InvoiceDetailOut, summary="One invoice with its lines and breakdown"
)
def get_invoice(request: HttpRequest, invoice_id: int):
    return selectors.invoice_for(request.actor, invoice_id)  # type: ignore[attr-defined]


@router.get("/invoices/{invoice_id}/pdf", summary="The invoice as a PDF, in the payer's language")
def invoice_pdf(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = selectors.invoice_for(request.actor, invoice_id)  # type: ignore[attr-defined]
    response = HttpResponse(render_invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.code or invoice.pk}.pdf"'
    return response


@router.post(
    "/invoices/{invoice_id}/payments",
    response={201: PaymentOut},
    summary="Pay an invoice from the wallet, the cashback balance or by card (Idempotency-Key supported)",
)
def pay_invoice(request: HttpRequest, invoice_id: int, payload: PayIn) -> Status:
    actor = request.actor  # type: ignore[attr-defined]

    if payload.method == "card":
        # The card intent carries the key itself: the provider is called outside any transaction.
        payment = services.pay_by_card(
            actor=actor,
            invoice_id=invoice_id,
            amount=payload.amount,
            card_token=payload.card_token,
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        )
        return Status(201, _payment_body(payment))

    def action() -> tuple[int, dict]:
        payment = services.pay_from_balance(
            actor=actor, invoice_id=invoice_id, amount=payload.amount, method=payload.method
        )
        return 201, _payment_body(payment)

    return idempotent(request, operation=f"invoices.{invoice_id}.pay", payload=payload.dict(), action=action)


def _file_fingerprint(receipt: UploadedFile | None) -> str:
    if receipt is None:
        return ""
    digest = hashlib.sha256()
    for chunk in receipt.chunks():
        digest.update(chunk)
    receipt.seek(0)
    return digest.hexdigest()


@router.post(
    "/invoices/{invoice_id}/bank-transfers",
    response={201: PaymentOut},
    summary="Notify a bank transfer for an invoice, with the receipt attached (R2.15)",
)
def notify_invoice_transfer(
    request: HttpRequest,
    invoice_id: int,
    form: Form[TransferIn],
    receipt: File[UploadedFile] = None,  # type: ignore[assignment] - optional: the service says it is needed
) -> Status:
    actor = request.actor  # type: ignore[attr-defined]

    def action() -> tuple[int, dict]:
        payment = services.notify_bank_transfer(
            actor=actor, invoice_id=invoice_id, amount=form.amount, receipt=receipt, reference=form.reference
        )
        return 201, _payment_body(payment)

    payload = {"amount": form.amount, "reference": form.reference, "receipt": _file_fingerprint(receipt)}
    return idempotent(request, operation=f"invoices.{invoice_id}.transfer", payload=payload, action=action)


@router.post(
    "/invoices/{invoice_id}/credit-notes",
    response={201: InvoiceOut},
    summary="Operator: correct an issued invoice with a credit note",
)
def credit_invoice(request: HttpRequest, invoice_id: int, payload: CreditNoteIn) -> Status:
    actor = request.actor  # type: ignore[attr-defined]

    def action() -> tuple[int, dict]:
        note = services.issue_credit_note(
            actor=actor, invoice_id=invoice_id, reason=payload.reason, line_positions=payload.line_positions
        )
        return 201, _invoice_body(note)

    return idempotent(
        request, operation=f"invoices.{invoice_id}.credit", payload=payload.dict(), action=action
    )


@router.get("/payments", response=list[PaymentOut], summary="Payments you may see")
@paginate(CursorPagination, ordering=("-id",))
def list_payments(request: HttpRequest, status: Text(32) | None = None):
    payments = selectors.payments_visible_to(request.actor)  # type: ignore[attr-defined]
    return payments.filter(status=status) if status else payments


@router.get(
    "/payments/to-confirm", response=list[PaymentOut], summary="Operator: bank transfers awaiting a decision"
)
@paginate(CursorPagination, ordering=("id",))
def payments_to_confirm(request: HttpRequest):
    return selectors.payments_to_confirm(request.actor)  # type: ignore[attr-defined]


@router.get("/payments/{payment_id}", response=PaymentOut)
def get_payment(request: HttpRequest, payment_id: int):
    return selectors.payment_for(request.actor, payment_id)  # type: ignore[attr-defined]


@router.get("/payments/{payment_id}/receipt", summary="The receipt attached to a bank transfer")
def payment_receipt(request: HttpRequest, payment_id: int) -> HttpResponse:
    from django.http import FileResponse, Http404

    payment = selectors.payment_for(request.actor, payment_id)  # type: ignore[attr-defined]
    if not payment.receipt:
        raise Http404
    # Always a download, typed from the stored (checked) extension: never rendered by the browser.
    return FileResponse(
        payment.receipt.open("rb"),
        as_attachment=True,
        filename=payment.receipt.name.rsplit("/", 1)[-1],
        content_type=receipt_content_type(payment.receipt.name),
    )


@router.post(
    "/payments/{payment_id}/confirm", response={200: PaymentOut}, summary="Operator: the money arrived"
)
def confirm_payment(request: HttpRequest, payment_id: int, payload: ConfirmIn) -> Status:
    actor = request.actor  # type: ignore[attr-defined]

    def action() -> tuple[int, dict]:
        payment = services.confirm_payment(
            actor=actor, payment_id=payment_id, amount_received=payload.amount_received, note=payload.note
        )
        return 200, _payment_body(payment)

    return idempotent(
        request, operation=f"payments.{payment_id}.confirm", payload=payload.dict(), action=action
    )


@router.post(
    "/payments/{payment_id}/reject", response={200: PaymentOut}, summary="Operator: no such transfer"
)
def reject_payment(request: HttpRequest, payment_id: int, payload: RejectIn) -> Status:
    actor = request.actor  # type: ignore[attr-defined]

    def action() -> tuple[int, dict]:
        payment = services.reject_payment(actor=actor, payment_id=payment_id, reason=payload.reason)
        return 200, _payment_body(payment)

    return idempotent(
        request, operation=f"payments.{payment_id}.reject", payload=payload.dict(), action=action
    )


@router.get("/wallet", response=list[BalanceOut], summary="Wallet, cashback and support-credit balances")
def wallet(request: HttpRequest):
    return selectors.balances_of(request.actor)  # type: ignore[attr-defined]


@router.get("/wallet/movements", response=list[MovementOut], summary="Movements of your balances")
@paginate(CursorPagination, ordering=("-id",))
def wallet_movements(request: HttpRequest):
    return selectors.own_movements(request.actor)  # type: ignore[attr-defined]


@router.post(
    "/wallet/top-ups",
    response={201: PaymentOut},
    summary="Top up the wallet by card (Idempotency-Key supported)",
)
def top_up(request: HttpRequest, payload: TopUpIn) -> Status:
    # The card intent carries the key itself: the provider is called outside any transaction.
    payment = services.pay_by_card(
        actor=request.actor,  # type: ignore[attr-defined]
        invoice_id=None,
        amount=payload.amount,
        card_token=payload.card_token,
        idempotency_key=request.headers.get("Idempotency-Key", ""),
    )
    return Status(201, _payment_body(payment))


@router.post(
    "/wallet/bank-transfers",
    response={201: PaymentOut},
    summary="Notify a bank transfer that tops up the wallet, with the receipt attached",
)
def notify_top_up_transfer(
    request: HttpRequest,
    form: Form[WalletTransferIn],
    receipt: File[UploadedFile] = None,  # type: ignore[assignment] - optional: the service says it is needed
) -> Status:
    actor = request.actor  # type: ignore[attr-defined]

    def action() -> tuple[int, dict]:
        payment = services.notify_bank_transfer(
            actor=actor, invoice_id=None, amount=form.amount, receipt=receipt, reference=form.reference
        )
        return 201, _payment_body(payment)

    payload = {"amount": form.amount, "reference": form.reference, "receipt": _file_fingerprint(receipt)}
    return idempotent(request, operation="wallet.transfer", payload=payload, action=action)


def _csv_response(name: str, chunks: Iterator[str]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@router.get(
    "/exports/invoices.csv", summary="Invoices as CSV (per organisation, or per client for a partner)"
)
def export_invoices(request: HttpRequest, organisation_id: int | None = None, client_id: int | None = None):
    actor = request.actor  # type: ignore[attr-defined]
    return _csv_response(
        "invoices", exports.invoices_csv(actor, organisation_id=organisation_id, client_id=client_id)
    )


@router.get("/exports/invoice-lines.csv", summary="Invoice lines as CSV")
def export_lines(request: HttpRequest, organisation_id: int | None = None, client_id: int | None = None):
    actor = request.actor  # type: ignore[attr-defined]
    return _csv_response(
        "invoice-lines",
        exports.invoice_lines_csv(actor, organisation_id=organisation_id, client_id=client_id),
    )


@router.get("/exports/payments.csv", summary="Payments as CSV")
def export_payments(request: HttpRequest, organisation_id: int | None = None, client_id: int | None = None):
    actor = request.actor  # type: ignore[attr-defined]
    return _csv_response(
        "payments", exports.payments_csv(actor, organisation_id=organisation_id, client_id=client_id)
    )


@router.get("/exports/journal.csv", summary="Operator: the accounting journal as CSV")
def export_journal(request: HttpRequest):
    return _csv_response("journal", exports.journal_csv(request.actor))  # type: ignore[attr-defined]
