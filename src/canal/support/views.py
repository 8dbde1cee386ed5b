"""Portal pages of the support desk: parse the form, call one service or selector, render. A refused
request shows the service's message; forms that create something carry an idempotency key."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from canal.accounts.models import OrganisationKind
from canal.billing.models import InvoiceStatus
from canal.billing.selectors import support_credit_balance, wallet_balance
from canal.core.errors import CanalError
from canal.core.idempotency import run_once
from canal.portal import lists
from canal.portal.actor import portal_actor
from canal.support import holds, packs, presenters, selectors, tickets
from canal.support.models import PackPurchaseStatus, TicketStatus


def _int(value: Any) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= selectors.MAX_ID else None


def _refused(request: HttpRequest, error: CanalError) -> None:
    messages.error(request, str(error.message))


def _run(request: HttpRequest, ticket_id: int, action: Callable[[], Any], done: str) -> HttpResponse:
    try:
        action()
    except CanalError as error:
        if error.status == 404:
            raise
        _refused(request, error)
    else:
        messages.success(request, done)
    return redirect("support:ticket", ticket_id)


def _filters(request: HttpRequest) -> selectors.TicketFilters:
    """What the selector reads (state, queue filters, words, SLA); the shared list part sorts and pages."""
    data = request.GET
    return selectors.TicketFilters(
        status=data.get("status", ""),
        category=_int(data.get("category")),
        customer=_int(data.get("customer")),
        agent=_int(data.get("agent")),
        query=data.get("q", "")[:100],
        sla=data.get("sla", ""),
    )


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    """R2.10: the customer's tickets by state and All; for support, the queue with its filters; R5.6: by
    next due time and SLA state. Sorting, pages and CSV through the portal's shared list part."""
    actor = portal_actor(request)
    support = selectors.is_support(actor)
    spec = presenters.ticket_list_spec(actor, support=support)
    context = {
        "counts": selectors.counts_by_status(actor),
        "statuses": TicketStatus.choices,
        "status": request.GET.get("status", ""),
        "support": support,
        "is_customer": actor.kind == OrganisationKind.CUSTOMER,
        "balance": support_credit_balance(actor.organisation)
        if actor.kind == OrganisationKind.CUSTOMER
        else None,
    }
    rows = selectors.filtered_tickets(actor, _filters(request))
    return lists.respond(request, spec, rows, "support/tickets.html", context)


@login_required
def new_ticket(request: HttpRequest) -> HttpResponse:
    """R2.11: category (its help shows at once), server when there is more than one, title, description,
    an optional attachment."""
    actor = portal_actor(request)
    categories = selectors.categories_visible_to(actor)
    data = request.POST if request.method == "POST" else request.GET
    chosen = selectors.categories_visible_to(actor).filter(pk=_int(data.get("category"))).first()
    if request.method == "POST":
        key = request.POST.get("idempotency_key") or None

        def create() -> tuple[int, dict[str, Any]]:
            ticket = tickets.open_ticket(
                actor=actor,
                category_id=_int(request.POST.get("category")) or 0,
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                subscription_id=_int(request.POST.get("subscription")),
                attachments=request.FILES.getlist("attachment"),
            )
            return 201, {"id": ticket.pk}

        try:
            _status, body = run_once(
                scope=f"org:{actor.organisation.pk}:portal.support.open",
                key=key,
                payload={
                    name: request.POST.get(name, "")
                    for name in ("category", "title", "description", "subscription")
                },
                action=create,
            )
        except CanalError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Your ticket was opened. Support will quote it in credits."))
            return redirect("support:ticket", body["id"])
    servers = selectors.servers_for_ticket(actor.organisation.pk, chosen.product.vendor_id) if chosen else []
    context = {
        "categories": categories,
        "chosen": chosen,
        "servers": servers,
        "form": data,
        "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        "can_open": actor.kind == OrganisationKind.CUSTOMER,
        **_help_context(actor, chosen),
    }
    return render(request, "support/new_ticket.html", context)


def _help_context(actor: Any, category: Any) -> dict[str, Any]:
    if category is None:
        return {"help_category": None}
    licensed = selectors.holds_license(actor.organisation.pk, category.product.vendor_id)
    return {
        "help_category": category,
        "licensed": licensed,
        "your_cost": tickets.category_cost(category, licensed=licensed),
    }


@login_required
def category_help(request: HttpRequest) -> HttpResponse:
    """R2.11: the chosen category's help (htmx), with the servers to choose from."""
    actor = portal_actor(request)
    category = selectors.categories_visible_to(actor).filter(pk=_int(request.GET.get("category"))).first()
    servers = (
        selectors.servers_for_ticket(actor.organisation.pk, category.product.vendor_id) if category else []
    )
    context = {"servers": servers, "form": request.GET, **_help_context(actor, category)}
    return render(request, "support/partials/category_help.html", context)


@login_required
@require_POST
def deflect(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    try:
        tickets.record_deflection(actor=actor, category_id=_int(request.POST.get("category")) or 0)
    except CanalError as error:
        if error.status == 404:
            raise
        _refused(request, error)
        return redirect("support:new")
    messages.success(request, _("Glad the help solved it. No ticket was opened and no credits were spent."))
    return redirect("support:tickets")


@login_required
def ticket_detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    actor = portal_actor(request)
    ticket = selectors.ticket_for(actor, ticket_id)
    return render(request, "support/ticket.html", presenters.ticket_page(actor, ticket))


@login_required
@require_POST
def quote(request: HttpRequest, ticket_id: int) -> HttpResponse:
    actor = portal_actor(request)
    raw = request.POST.get("credits", "").strip()
    credits = None if raw == "" else (int(raw) if raw.isdigit() else -1)
    return _run(
        request,
        ticket_id,
        lambda: tickets.quote_ticket(
            actor=actor, ticket_id=ticket_id, credits=credits, reason=request.POST.get("reason", "")
        ),
        _("The quote was sent to the customer."),
    )


@login_required
@require_POST
def accept(request: HttpRequest, ticket_id: int) -> HttpResponse:
    actor = portal_actor(request)
    seen = request.POST.get("credits", "")
    return _run(
        request,
        ticket_id,
        lambda: tickets.accept_quote(
            actor=actor, ticket_id=ticket_id, credits=int(seen) if seen.isdigit() else None
        ),
        _("Quote accepted: the credits were debited and support is on it."),
    )


@login_required
@require_POST
def assign(request: HttpRequest, ticket_id: int) -> HttpResponse:
    actor = portal_actor(request)
    agent_id = _int(request.POST.get("agent")) or actor.user.pk
    done = _run(
        request,
        ticket_id,
        lambda: tickets.assign_ticket(actor=actor, ticket_id=ticket_id, agent_id=agent_id),
        _("The ticket was assigned."),
    )
    if request.POST.get("next") == "list":
        return redirect("support:tickets")
    return done


# The simple moves of the state machine: the service to call and what to say when it worked.
MOVES: dict[str, tuple[Callable[..., Any], Any]] = {
    "reject": (tickets.reject_quote, gettext_lazy("Quote rejected. Nothing was debited.")),
    "refuse": (
        tickets.refuse_ticket,
        gettext_lazy("The ticket was refused; any credits debited for it went back to the customer."),
    ),
    "finish": (
        tickets.finish_ticket,
        gettext_lazy(
            "The ticket is finished. The customer confirms it, or it closes by itself after 7 days."
        ),
    ),
    "close": (
        tickets.close_ticket,
        gettext_lazy("The ticket is closed. You may reopen it within 30 days of its finishing."),
    ),
    "reopen": (tickets.reopen_ticket, gettext_lazy("The ticket was reopened at no new cost.")),
    "hold": (
        holds.put_on_hold,
        gettext_lazy("The ticket waits for the customer; its SLA clock is paused until they answer."),
    ),
    "resume": (holds.resume_ticket, gettext_lazy("The ticket was taken up again; its SLA clock runs.")),
}
WITH_REASON = {"reject", "refuse"}


@login_required
@require_POST
def move(request: HttpRequest, ticket_id: int, name: str) -> HttpResponse:
    actor = portal_actor(request)
    service, done = MOVES[name]
    extra = {"reason": request.POST.get("reason", "")} if name in WITH_REASON else {}
    return _run(request, ticket_id, lambda: service(actor=actor, ticket_id=ticket_id, **extra), str(done))


@login_required
@require_POST
def reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    actor = portal_actor(request)
    internal = request.POST.get("internal") == "on"
    return _run(
        request,
        ticket_id,
        lambda: tickets.reply(
            actor=actor,
            ticket_id=ticket_id,
            body=request.POST.get("body", ""),
            internal=internal,
            attachments=request.FILES.getlist("attachment"),
        ),
        _("Internal note saved.") if internal else _("Reply sent."),
    )


@login_required
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    item = selectors.attachment_for(portal_actor(request), attachment_id)
    # Always a download, typed from the checked extension: never rendered by the browser.
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.name, content_type=item.content_type
    )


@login_required
def cost_table(request: HttpRequest) -> HttpResponse:
    """R2.14: per category its title, description and cost for licensed and unlicensed customers."""
    actor = portal_actor(request)
    categories = presenters.cost_rows(actor)
    return render(
        request,
        "support/costs.html",
        {"categories": categories, "is_customer": actor.kind == OrganisationKind.CUSTOMER},
    )


@login_required
def pack_list(request: HttpRequest) -> HttpResponse:
    """R2.13: the packs with their credits and price; what was bought and whether it was credited."""
    actor = portal_actor(request)
    previews = [
        packs.preview_pack(actor=actor, pack_id=pack.pk) for pack in selectors.packs_visible_to(actor)
    ]
    context = {
        "previews": previews,
        "purchases": selectors.purchases_visible_to(actor)[:20],
        "balance": support_credit_balance(actor.organisation),
        "can_buy": actor.kind == OrganisationKind.CUSTOMER,
        "awaiting": PackPurchaseStatus.AWAITING_PAYMENT,
    }
    return render(request, "support/packs.html", context)


@login_required
def buy_pack(request: HttpRequest, pack_id: int) -> HttpResponse:
    """R2.13: the exact price and the means of payment, then confirm (money moves after a preview)."""
    actor = portal_actor(request)
    preview = packs.preview_pack(actor=actor, pack_id=pack_id)
    if request.method == "POST":
        pay_with = request.POST.get("pay_with", "")

        def buy() -> tuple[int, dict[str, Any]]:
            purchase = packs.buy_pack(
                actor=actor, pack_id=pack_id, pay_with=pay_with, card_token=request.POST.get("card_token", "")
            )
            return 201, {"id": purchase.pk, "invoice": purchase.invoice_id}

        try:
            _status, body = run_once(
                scope=f"org:{actor.organisation.pk}:portal.support.buy_pack",
                key=request.POST.get("idempotency_key") or None,
                payload={"pack": pack_id, "pay_with": pay_with},
                action=buy,
            )
        except CanalError as error:
            if error.status == 404:
                raise
            _refused(request, error)
        else:
            purchase = selectors.purchases_visible_to(actor).get(pk=body["id"])
            if purchase.status == PackPurchaseStatus.CREDITED:
                messages.success(
                    request,
                    _("%(credits)s support credits were added to your balance.")
                    % {"credits": purchase.credits},
                )
            elif purchase.invoice and purchase.invoice.status == InvoiceStatus.ISSUED:
                messages.success(
                    request,
                    _(
                        "Invoice %(code)s was issued. Notify your bank transfer on it; "
                        "the credits arrive when it is confirmed."
                    )
                    % {"code": purchase.invoice.code},
                )
                return redirect(reverse("billing:invoice", args=[purchase.invoice_id]))
            return redirect("support:packs")
    context = {
        "preview": preview,
        "wallet": wallet_balance(actor.organisation, preview.total.currency),
        "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        "can_buy": actor.kind == OrganisationKind.CUSTOMER,
        "pay_with": request.POST.get("pay_with", "card"),
    }
    return render(request, "support/buy_pack.html", context)
