"""Portal pages for billing: parse the form, call one service or selector, render. A refused request shows
the service's message on the same page; forms carry an idempotency key so a double submit pays once."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from canal.accounts.models import OrganisationKind
from canal.accounts.scope import visible_organisations
from canal.billing import exports, previews, selectors, services
from canal.billing.forms import (
    CardForm,
    ConfirmForm,
    CreditNoteForm,
    PayFromBalanceForm,
    RejectForm,
    TopUpCardForm,
    TopUpTransferForm,
    TransferForm,
)
from canal.billing.models import AccountKind, InvoiceKind, InvoiceStatus, PaymentStatus
from canal.billing.payments import receipt_content_type
from canal.billing.pdf import render_invoice_pdf
from canal.billing.presenters import step_detail, step_label
from canal.core import formats
from canal.core.errors import CanalError
from canal.core.idempotency import run_once
from canal.core.money import Money
from canal.portal import confirm, lists
from canal.portal.actor import portal_actor
from canal.portal.confirm import Fact

PAGE_SIZE = 25


def _new_key() -> str:
    return uuid.uuid4().hex


def _once(
    request: HttpRequest, operation: str, key: str, payload: dict[str, Any], action: Callable[[], Any]
) -> Any:
    """Runs a portal form's service call once per idempotency key; returns the stored payment id."""
    actor = portal_actor(request)

    def run() -> tuple[int, dict[str, Any]]:
        result = action()
        return 200, {"id": getattr(result, "pk", None), "status": getattr(result, "status", "")}

    _status, body = run_once(
        scope=f"org:{actor.organisation.pk}:portal.{operation}", key=key or None, payload=payload, action=run
    )
    return body


def _invoice_spec(actor: Any, chosen_client: str | None) -> lists.ListSpec:
    columns = [
        lists.Column("number", _l("Number"), sort="code", csv=lambda invoice: invoice.code),
        lists.Column("kind", _l("Kind"), csv=lambda invoice: invoice.get_kind_display(), show=False),
        lists.Column("date", _l("Date"), sort="issue_date", csv=lambda invoice: invoice.issue_date),
    ]
    if actor.is_operator:
        columns.append(
            lists.Column("payer", _l("Paid by"), sort="organisation__name", csv=lambda i: i.organisation.name)
        )
    columns += [
        lists.Column(
            "client",
            _l("For client"),
            sort="customer__name",
            csv=lambda invoice: invoice.customer.name if invoice.customer_id else "",
        ),
        lists.Column("status", _l("Status"), sort="status", csv=lambda invoice: invoice.get_status_display()),
        lists.Column("total", _l("Total"), sort="total", csv=lambda invoice: invoice.total, css="number"),
        lists.Column("due", _l("Due"), csv=lambda invoice: invoice.amount_due, css="number"),
        lists.Column("currency", _l("Currency"), csv=lambda invoice: invoice.currency, show=False),
        lists.Column("details", ""),
    ]
    return lists.ListSpec(
        name="invoices",
        columns=tuple(columns),
        default_sort="-date",
        row_template="billing/partials/invoice_row.html",
        empty_text=_l("No invoices match."),
        search_fields=("code", "customer__name", "organisation__name"),
        search_hint=_l("Number or organisation"),
        filters=(
            lists.Filter("kind", _l("Kind"), InvoiceKind.choices, field="kind"),
            lists.Filter("status", _l("Status"), InvoiceStatus.choices, field="status"),
            *lists.client_filter(actor, "customer_id", chosen_client),
        ),
        table_class="stack",
    )


@login_required
def invoices(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    clients = (
        visible_organisations(actor).exclude(pk=actor.organisation.pk).order_by("name")
        if actor.kind == OrganisationKind.PARTNER
        else []
    )
    context = {
        "clients": clients,
        "balances": selectors.balances_of(actor) if not actor.is_operator else [],
    }
    rows = selectors.invoices_visible_to(actor)
    return lists.respond(
        request, _invoice_spec(actor, request.GET.get("customer")), rows, "billing/invoices.html", context
    )


def _lines_for_display(invoice: Any) -> list[dict[str, Any]]:
    rows = []
    for line in invoice.lines.order_by("position").select_related("beneficiary"):
        steps = [
            {
                "label": step_label(step.get("kind", "")),
                "detail": step_detail(step),
                "before": Money(step["amount_before"], invoice.currency),
                "after": Money(step["amount_after"], invoice.currency),
            }
            for step in line.steps
        ]
        rows.append({"line": line, "steps": steps})
    return rows


@login_required
def invoice_detail(request: HttpRequest, invoice_id: int) -> HttpResponse:
    actor = portal_actor(request)
    invoice = selectors.invoice_for(actor, invoice_id)
    pays = invoice.organisation_id == actor.organisation.pk and invoice.kind == InvoiceKind.INVOICE
    can_pay = pays and invoice.status == InvoiceStatus.ISSUED and invoice.amount_due > 0
    key = _new_key()
    context = {
        "invoice": invoice,
        "lines": _lines_for_display(invoice),
        "can_pay": can_pay,
        "balances": selectors.balances_of(actor) if can_pay else [],
        "pay_form": PayFromBalanceForm(initial={"idempotency_key": key}),
        "card_form": CardForm(initial={"idempotency_key": key}),
        "transfer_form": TransferForm(initial={"idempotency_key": key}),
        "credit_form": CreditNoteForm()
        if actor.is_operator and invoice.kind == InvoiceKind.INVOICE
        else None,
        "payments": invoice.payments.order_by("-created_at") if invoice.kind == InvoiceKind.INVOICE else [],
        "credit_notes": invoice.credit_notes.all(),
    }
    return render(request, "billing/invoice.html", context)


@login_required
def invoice_pdf(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = selectors.invoice_for(portal_actor(request), invoice_id)
    response = HttpResponse(render_invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.code or invoice.pk}.pdf"'
    return response


def _refused(request: HttpRequest, error: CanalError) -> None:
    messages.error(request, str(error.message))


@login_required
@require_POST
def pay_invoice(request: HttpRequest, invoice_id: int) -> HttpResponse:
    actor = portal_actor(request)
    form = PayFromBalanceForm(request.POST)
    target = reverse("billing:invoice", args=[invoice_id])
    if not form.is_valid():
        messages.error(request, _("Check the amount."))
        return redirect(target)
    data = form.cleaned_data
    if not confirm.confirmed(request):
        try:
            preview = previews.balance_payment(
                actor=actor, invoice_id=invoice_id, amount=data["amount"], method=data["method"]
            )
        except CanalError as error:
            if error.status == 404:
                raise
            _refused(request, error)
            return redirect(target)
        return confirm.ask(
            request,
            title=_("Pay invoice %(code)s") % {"code": preview.invoice_code},
            facts=[
                Fact(_("Amount"), formats.money(preview.amount), strong=True),
                Fact(_("Paid from"), preview.payment.get_method_display()),
                Fact(_("Balance after paying"), formats.money(preview.balance_after)),
                Fact(_("Still due on the invoice"), formats.money(preview.still_due)),
            ],
            confirm_label=_("Pay %(amount)s") % {"amount": formats.money(preview.amount)},
            back_url=target,
        )
    try:
        _once(
            request,
            f"invoice.{invoice_id}.balance",
            data["idempotency_key"],
            {"amount": data["amount"], "method": data["method"]},
            lambda: services.pay_from_balance(
                actor=actor, invoice_id=invoice_id, amount=data["amount"], method=data["method"]
            ),
        )
    except CanalError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Payment recorded."))
    return redirect(target)


@login_required
@require_POST
def pay_invoice_by_card(request: HttpRequest, invoice_id: int) -> HttpResponse:
    target = reverse("billing:invoice", args=[invoice_id])
    _charge_card(
        request,
        CardForm(request.POST),
        operation=f"invoice.{invoice_id}.card",
        invoice_id=invoice_id,
        charged=_("The card was charged."),
        declined=_("The card was declined. Try another card or another way to pay."),
    )
    return redirect(target)


@login_required
@require_POST
def notify_invoice_transfer(request: HttpRequest, invoice_id: int) -> HttpResponse:
    return _notify_transfer(request, TransferForm, invoice_id, reverse("billing:invoice", args=[invoice_id]))


@login_required
@require_POST
def top_up_by_transfer(request: HttpRequest) -> HttpResponse:
    return _notify_transfer(request, TopUpTransferForm, None, reverse("billing:wallet"))


def _notify_transfer(
    request: HttpRequest, form_class: type[TransferForm], invoice_id: int | None, target: str
) -> HttpResponse:
    actor = portal_actor(request)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(target)
    data = form.cleaned_data
    try:
        _once(
            request,
            f"transfer.{invoice_id or 'wallet'}",
            data["idempotency_key"],
            {"amount": data["amount"], "reference": data["reference"], "receipt": data["receipt"].name},
            lambda: services.notify_bank_transfer(
                actor=actor,
                invoice_id=invoice_id,
                amount=data["amount"],
                receipt=data["receipt"],
                reference=data["reference"],
            ),
        )
    except CanalError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Thank you. Your transfer will be confirmed when the money arrives."))
    return redirect(target)


@login_required
@require_POST
def credit_invoice(request: HttpRequest, invoice_id: int) -> HttpResponse:
    actor = portal_actor(request)
    form = CreditNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the invoice is corrected."))
        return redirect("billing:invoice", invoice_id=invoice_id)
    try:
        note = services.issue_credit_note(
            actor=actor, invoice_id=invoice_id, reason=form.cleaned_data["reason"]
        )
    except CanalError as error:
        if error.status == 404:
            raise
        _refused(request, error)
        return redirect("billing:invoice", invoice_id=invoice_id)
    messages.success(request, _("Credit note %(code)s issued.") % {"code": note.code})
    return redirect("billing:invoice", invoice_id=note.pk)


MOVEMENT_COLUMNS = (
    lists.Column("date", _l("Date"), sort="entry__booked_at", csv=lambda posting: posting.entry.booked_at),
    lists.Column(
        "balance", _l("Balance"), sort="account__kind", csv=lambda posting: posting.account.get_kind_display()
    ),
    lists.Column("what", _l("What"), csv=lambda posting: posting.entry.memo_text),
    lists.Column(
        "invoice",
        _l("Invoice"),
        csv=lambda posting: posting.entry.invoice.code if posting.entry.invoice_id else "",
        show=False,
    ),
    lists.Column("amount", _l("Amount"), sort="amount", csv=lambda posting: posting.amount, css="number"),
    lists.Column("currency", _l("Currency"), csv=lambda posting: posting.currency, show=False),
)
MOVEMENT_SPEC = lists.ListSpec(
    name="movements",
    columns=MOVEMENT_COLUMNS,
    default_sort="-date",
    row_template="billing/partials/movement_row.html",
    empty_text=_l("No movements yet."),
    search_fields=("entry__invoice__code",),
    search_hint=_l("Invoice number"),
    filters=(
        lists.Filter(
            "balance",
            _l("Balance"),
            [
                (kind, kind.label)
                for kind in (AccountKind.WALLET, AccountKind.CASHBACK, AccountKind.SUPPORT_CREDITS)
            ],
            field="account__kind",
        ),
    ),
    table_class="stack",
)


@login_required
def wallet(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    movements = selectors.own_movements(actor).select_related("entry__invoice", "account")
    key = _new_key()
    context = {
        "balances": selectors.balances_of(actor),
        "payments": selectors.payments_visible_to(actor).filter(organisation=actor.organisation)[:10],
        "card_form": TopUpCardForm(initial={"idempotency_key": key}),
        "transfer_form": TopUpTransferForm(initial={"idempotency_key": key}),
        "currency": actor.organisation.currency,
    }
    return lists.respond(request, MOVEMENT_SPEC, movements, "billing/wallet.html", context)


@login_required
@require_POST
def top_up_by_card(request: HttpRequest) -> HttpResponse:
    _charge_card(
        request,
        TopUpCardForm(request.POST),
        operation="top_up.card",
        invoice_id=None,
        charged=_("The wallet was topped up."),
        declined=_("The card was declined. Try another card or a bank transfer."),
    )
    return redirect("billing:wallet")


def _charge_card(
    request: HttpRequest, form: Any, *, operation: str, invoice_id: int | None, charged: str, declined: str
) -> None:
    """Pays an invoice or tops up the wallet by card, once per form key, and says how it went."""
    if not form.is_valid():
        messages.error(request, _("Check the card and the amount."))
        return
    data = form.cleaned_data
    actor = portal_actor(request)
    try:
        # The form's key becomes the card intent's key: a double submit charges once.
        payment = services.pay_by_card(
            actor=actor,
            invoice_id=invoice_id,
            amount=data["amount"],
            card_token=data["card_token"],
            idempotency_key=f"portal-{operation}-{data['idempotency_key']}",
        )
    except CanalError as error:
        _refused(request, error)
        return
    if payment.status == PaymentStatus.CONFIRMED:
        messages.success(request, charged)
    else:
        messages.error(request, declined)


@login_required
def payment_queue(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    if not actor.is_operator:
        raise Http404
    context = {
        "pending": selectors.payments_to_confirm(actor),
        "decided": selectors.payments_visible_to(actor)
        .filter(method="bank_transfer")
        .exclude(status=PaymentStatus.PENDING)
        .order_by("-decided_at")[:10],
        "confirm_form": ConfirmForm(),
        "reject_form": RejectForm(),
    }
    return render(request, "billing/payment_queue.html", context)


@login_required
def payment_receipt(request: HttpRequest, payment_id: int) -> HttpResponse:
    payment = selectors.payment_for(portal_actor(request), payment_id)
    if not payment.receipt:
        raise Http404
    # Always a download, typed from the stored (checked) extension: never rendered by the browser.
    return FileResponse(
        payment.receipt.open("rb"),
        as_attachment=True,
        filename=payment.receipt.name.rsplit("/", 1)[-1],
        content_type=receipt_content_type(payment.receipt.name),
    )


@login_required
@require_POST
def confirm_payment(request: HttpRequest, payment_id: int) -> HttpResponse:
    actor = portal_actor(request)
    form = ConfirmForm(request.POST)
    if form.is_valid() and not confirm.confirmed(request):
        data = form.cleaned_data
        try:
            preview = previews.transfer_confirmation(
                actor=actor, payment_id=payment_id, amount_received=data["amount_received"], note=data["note"]
            )
        except CanalError as error:
            if error.status == 404:
                raise
            _refused(request, error)
            return redirect("billing:payment_queue")
        payment = preview.payment
        facts = [
            Fact(_("Payer"), payment.organisation.name),
            Fact(_("Amount received"), formats.money(preview.amount), strong=True),
            Fact(_("Means"), payment.get_method_display()),
        ]
        if preview.invoice_code:
            facts.append(
                Fact(
                    _("Applied to invoice %(code)s") % {"code": preview.invoice_code},
                    formats.money(preview.applied),
                )
            )
        facts.append(Fact(_("Added to the payer's wallet"), formats.money(preview.to_wallet)))
        return confirm.ask(
            request,
            title=_("Confirm the transfer from %(payer)s") % {"payer": payment.organisation.name},
            facts=facts,
            note=_(
                "Confirm only when the bank statement shows this amount. "
                "A confirmed payment cannot be rejected later."
            ),
            confirm_label=_("Confirm %(amount)s received") % {"amount": formats.money(preview.amount)},
            back_url=reverse("billing:payment_queue"),
        )
    if form.is_valid():
        try:
            services.confirm_payment(
                actor=actor,
                payment_id=payment_id,
                amount_received=form.cleaned_data["amount_received"],
                note=form.cleaned_data["note"],
            )
        except CanalError as error:
            if error.status == 404:
                raise
            _refused(request, error)
        else:
            messages.success(request, _("Payment confirmed."))
    return redirect("billing:payment_queue")


@login_required
@require_POST
def reject_payment(request: HttpRequest, payment_id: int) -> HttpResponse:
    actor = portal_actor(request)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the payment is rejected, so the payer can put it right."))
        return redirect("billing:payment_queue")
    if not confirm.confirmed(request):
        payment = selectors.payment_for(actor, payment_id)
        return confirm.ask(
            request,
            title=_("Reject the transfer from %(payer)s") % {"payer": payment.organisation.name},
            facts=[
                Fact(_("Payer"), payment.organisation.name),
                Fact(
                    _("Amount notified"), formats.money(Money(payment.amount, payment.currency)), strong=True
                ),
                Fact(_("Reason sent to the payer"), form.cleaned_data["reason"]),
            ],
            note=_("No money moves. The payer is told why; a rejected payment cannot be confirmed later."),
            confirm_label=_("Reject the payment"),
            back_url=reverse("billing:payment_queue"),
            danger=True,
        )
    try:
        services.reject_payment(actor=actor, payment_id=payment_id, reason=form.cleaned_data["reason"])
    except CanalError as error:
        if error.status == 404:
            raise
        _refused(request, error)
    else:
        messages.success(request, _("Payment rejected; the payer is told why."))
    return redirect("billing:payment_queue")


EXPORTS = {
    "invoices": exports.invoices_csv,
    "invoice-lines": exports.invoice_lines_csv,
    "payments": exports.payments_csv,
}


@login_required
def export(request: HttpRequest, what: str) -> StreamingHttpResponse:
    actor = portal_actor(request)
    client = request.GET.get("client")
    if what == "journal":
        chunks = exports.journal_csv(actor)
    elif what in EXPORTS:
        if client:
            chunks = EXPORTS[what](actor, client_id=int(client) if client.isdigit() else -1)
        else:
            chunks = EXPORTS[what](
                actor, organisation_id=None if actor.is_operator else actor.organisation.pk
            )
    else:
        raise Http404
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{what}.csv"'
    return response
