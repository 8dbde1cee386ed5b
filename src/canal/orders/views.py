"""Portal pages of orders: checkout, the orders list (R2.15), an order with its timeline, the vendor's
provisioning queue. Each view parses input, calls one service or selector, and renders."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from canal.accounts.models import OrganisationKind
from canal.billing import selectors as billing_selectors
from canal.catalog import selectors as catalog_selectors
from canal.catalog.services import ConfigurationRefused
from canal.core import formats
from canal.core.errors import CanalError
from canal.core.idempotency import run_once
from canal.core.money import Money
from canal.orders import forms, presenters, selectors, services
from canal.orders.cancel_preview import cancellation_preview
from canal.orders.models import OrderKind, OrderStatus
from canal.orders.templatetags.orders_tags import action_label
from canal.portal import confirm, lists
from canal.portal.actor import portal_actor
from canal.portal.confirm import Fact
from canal.subscriptions import provisioning
from canal.subscriptions.models import ProvisioningStatus
from canal.subscriptions.selectors import provisioning_request_for, provisioning_requests_visible_to

ORDERING_KINDS = (OrganisationKind.PARTNER, OrganisationKind.CUSTOMER)


def _money(order: Any) -> str:
    return str(Money(order.net_total, order.currency).quantize().amount)


ORDER_COLUMNS = (
    lists.Column("created", _l("Created"), sort="placed_at", csv=lambda order: order.placed_at),
    lists.Column("order", _l("Order"), sort="pk", csv=lambda order: order.reference),
    lists.Column("type", _l("Type"), sort="kind", csv=lambda order: order.get_kind_display()),
    lists.Column("client", _l("Client"), sort="customer__name", csv=lambda order: order.customer.name),
    lists.Column("name", _l("Name"), sort="subscription_name", csv=lambda order: order.subscription_name),
    lists.Column("summary", _l("Summary"), csv=lambda order: order.summary, show=False),
    lists.Column("price", _l("Price"), sort="net_total", csv=_money, css="number"),
    lists.Column("currency", _l("Currency"), csv=lambda order: order.currency, show=False),
    lists.Column("processed", _l("Processed"), csv=lambda order: _("yes") if order.processed else _("no")),
    lists.Column("status", _l("Status"), csv=lambda order: order.get_status_display(), show=False),
    lists.Column("invoice", _l("Invoice"), csv=lambda order: order.invoice_code, show=False),
    lists.Column("contract", _l("Contract id"), csv=lambda order: order.contract_id, show=False),
    lists.Column("actions", _l("Actions")),
)


def _order_spec(actor: Any, chosen_client: str | None) -> lists.ListSpec:
    # The filters are read by selectors.filtered_orders (shared with the API), not narrowed here.
    filters = [
        lists.Filter("kind", _l("Type"), OrderKind.choices),
        lists.Filter("status", _l("Status"), OrderStatus.choices),
        lists.Filter("processed", _l("Processed"), [("yes", _l("Yes")), ("no", _l("No"))]),
        *lists.client_filter(actor, "", chosen_client),
    ]
    return lists.ListSpec(
        name="orders",
        columns=ORDER_COLUMNS,
        default_sort="-created",
        row_template="orders/partials/order_row.html",
        empty_text=_l("No orders match."),
        search_in_selector=True,
        search_hint=_l("Order, client, name, invoice"),
        filters=tuple(filters),
        table_class="order-table",
    )


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    """R2.15: creation date, type, name (server), price, processed; details, pay, cancel. Filterable, CSV."""
    actor = portal_actor(request)
    orders = selectors.filtered_orders(actor, forms.order_filters(request.GET))
    now = timezone.now()

    def with_rows(page: list[Any]) -> dict[str, Any]:
        return {
            "cancellable": {o.pk for o in page if services.cancellation_refusal(o, now) is None},
            "to_pay": billing_selectors.invoices_to_pay(actor, [o.invoice_id for o in page if o.invoice_id]),
        }

    context = {"can_order": actor.kind in ORDERING_KINDS}
    return lists.respond(
        request,
        _order_spec(actor, request.GET.get("customer")),
        orders,
        "orders/order_list.html",
        context,
        with_rows=with_rows,
    )


def _product_for_checkout(actor: Any, code: str | None) -> Any:
    products = catalog_selectors.products_visible_to(actor).exclude(
        kind__in=["seat_licenses", "support_credits"]
    )
    product = products.filter(code=code).first() if code else None
    return product or products.filter(provisioning_hours__isnull=False).first() or products.first()


@login_required
def checkout(request: HttpRequest) -> HttpResponse:
    """Choose the client and the configuration, see the price as it will be invoiced, accept the terms,
    place. htmx refreshes the summary on every change; the page works without JavaScript too."""
    actor = portal_actor(request)
    data = request.POST if request.method == "POST" else request.GET
    product = _product_for_checkout(actor, data.get("product"))
    if product is None:
        messages.error(request, _("There is nothing to order yet."))
        return redirect("orders:list")
    product = catalog_selectors.product_for(actor, product.code)
    offer = catalog_selectors.offer_of(product)
    if request.method == "POST" or "plan" in data:
        chosen = forms.checkout_input(offer, data)
    else:
        first = (
            catalog_selectors.default_customer_for(actor, product.code)
            if actor.kind == OrganisationKind.PARTNER
            else None
        )
        chosen = forms.checkout_input(offer, _initial(offer, first.pk if first else None, request.GET))
    preview, violations = None, []
    try:
        preview = services.price_order(
            actor=actor,
            configuration=chosen.configuration,
            customer_id=chosen.customer_id,
            currency=chosen.currency,
        )
    except ConfigurationRefused as refused:
        violations = refused.violations
    except CanalError as error:
        violations = [error]
    if request.method == "POST" and "place" in request.POST:
        placed = _place(request, actor, chosen)
        if placed is not None:
            return redirect("orders:detail", placed)
    context = {
        "product": product,
        "offer": offer,
        "chosen": chosen,
        "configuration": chosen.configuration,
        "preview": preview,
        "lines": presenters.charges_for_display(preview.charges) if preview else [],
        "violations": violations,
        "customers": catalog_selectors.customers_for_quotes(actor)
        if actor.kind != OrganisationKind.CUSTOMER
        else [],
        "products": catalog_selectors.products_to_order_for(actor, chosen.customer_id).exclude(
            kind__in=["seat_licenses", "support_credits"]
        ),
        "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
        "trial_days": _trial_days(product, chosen.configuration.plan),
    }
    if request.htmx and "place" not in request.POST:
        return render(request, "orders/partials/checkout_summary.html", context)
    return render(request, "orders/checkout.html", context)


def _trial_days(product: Any, plan_code: str) -> int:
    """The chosen plan's trial days, else the longest any plan offers; 0 when the product has no trial,
    so the form never offers a trial the product does not have (issue 14)."""
    days = {plan.code: plan.trial_days for plan in product.plans.all()}
    return days.get(plan_code) or max(days.values(), default=0)


def _initial(offer: Any, customer_id: int | None, query: Any) -> Any:
    from django.http import QueryDict

    from canal.catalog.forms import initial_input

    start = initial_input(offer, customer_id=customer_id, currency=None)
    data = QueryDict(mutable=True)
    data.update(
        {"plan": query.get("plan", start.configuration.plan), "quantity": str(start.configuration.quantity)}
    )
    if customer_id:
        data["customer"] = str(customer_id)
    if query.get("kind") == "trial":
        data["kind"] = "trial"
    # A converted trial keeps its quantity (issue 14: "Convert" dropped it).
    for key in ("vendor_account_id", "end_customer_email", "end_customer_name", "customer", "quantity"):
        if query.get(key):
            data[key] = query[key]
    if query.getlist("add_ons"):
        data.setlist("add_ons", query.getlist("add_ons"))
    return data


def _place(request: HttpRequest, actor: Any, chosen: forms.CheckoutInput) -> int | None:
    """Places once per form (the hidden key), so a double click or a reload creates one order."""
    key = request.POST.get("idempotency_key", "")

    def action() -> tuple[int, Any]:
        if chosen.kind == "trial":
            order = services.order_trial(
                actor=actor,
                configuration=chosen.configuration,
                customer_id=chosen.customer_id,
                details=chosen.details,
            )
        else:
            order = services.place_order(
                actor=actor,
                configuration=chosen.configuration,
                customer_id=chosen.customer_id,
                currency=chosen.currency,
                details=chosen.details,
            )
        return 201, {"id": order.pk, "provisioning": order.status == OrderStatus.PROVISIONING}

    try:
        _status, body = run_once(
            scope=f"org:{actor.organisation.pk}:orders.place",
            key=key,
            payload={
                "configuration": chosen.configuration.as_dict(),
                "customer": chosen.customer_id,
                "kind": chosen.kind,
            },
            action=action,
        )
    except CanalError as error:
        messages.error(request, str(error.message))
        return None
    # Committed by now: a card is charged with no transaction open; a reload charges nothing twice.
    checkout = services.settle_checkout(actor=actor, order_id=int(body["id"]))
    if checkout.payment_status == services.PAYMENT_CARD_DECLINED:
        messages.error(request, checkout.message)
        return int(body["id"])
    if checkout.message:
        messages.info(request, checkout.message)
    if body["provisioning"]:
        messages.success(
            request,
            _(
                "Order placed. The account will be provisioned within 48 business hours; "
                "we will tell you when it is."
            ),
        )
    else:
        messages.success(request, _("Order placed."))
    return int(body["id"])


@login_required
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    actor = portal_actor(request)
    order = selectors.order_for(actor, order_id)
    now = timezone.now()
    refusal = services.cancellation_refusal(order, now)
    request_row = provisioning.request_of(order)
    context = {
        "order": order,
        "lines": presenters.lines_for_display(order) if presenters.shows_lines(actor, order) else [],
        "shows_lines": presenters.shows_lines(actor, order),
        "timeline": presenters.timeline_for_display(selectors.timeline_of(order)),
        "request_row": request_row,
        "may_cancel": refusal is None and (actor.is_operator or order.placed_by_id == actor.organisation.pk),
        "cancel_refusal": refusal
        if order.status not in (OrderStatus.CANCELLED, OrderStatus.FAILED)
        else None,
        "may_answer": request_row is not None
        and request_row.status == ProvisioningStatus.INQUIRING
        and order.placed_by_id == actor.organisation.pk,
        "pays": order.payer_id == actor.organisation.pk,
    }
    return render(request, "orders/order_detail.html", context)


@login_required
@require_POST
def cancel(request: HttpRequest, order_id: int) -> HttpResponse:
    actor = portal_actor(request)
    if not confirm.confirmed(request):
        return _ask_to_cancel(request, actor, order_id)
    try:
        order = services.cancel_order(actor=actor, order_id=order_id, reason=request.POST.get("reason", ""))
    except CanalError as error:
        messages.error(request, str(error.message))
    else:
        if order.credit_note_code:
            messages.success(
                request,
                _("Order cancelled; credit note %(code)s cancels its invoice.")
                % {"code": order.credit_note_code},
            )
        else:
            messages.success(request, _("Order cancelled."))
    return redirect("orders:detail", order_id)


def _ask_to_cancel(request: HttpRequest, actor: Any, order_id: int) -> HttpResponse:
    """R1.15: what cancelling gives back (the credit note, the money to the wallet), before it happens."""
    try:
        preview = cancellation_preview(actor=actor, order_id=order_id, reason=request.POST.get("reason", ""))
    except CanalError as error:
        if error.status == 404:
            raise
        messages.error(request, str(error.message))
        return redirect("orders:detail", order_id)
    facts = [Fact(_("Order"), preview.order.reference), Fact(_("Reason"), preview.order.cancellation_reason)]
    if preview.credited is not None:
        facts.append(Fact(_("Invoice cancelled by a credit note"), formats.money(preview.credited)))
        facts.append(Fact(_("Returned to the payer's wallet"), formats.money(preview.to_wallet), strong=True))
    return confirm.ask(
        request,
        title=_("Cancel order %(order)s") % {"order": preview.order.reference},
        facts=facts,
        note=_("A cancelled order cannot be placed again; order anew if you change your mind."),
        confirm_label=_("Cancel the order"),
        back_url=reverse("orders:detail", args=[order_id]),
        danger=True,
    )


OPEN_REQUESTS = (ProvisioningStatus.PENDING, ProvisioningStatus.INQUIRING)


def _shown(requests: Any, shown: str) -> Any:
    if shown == "overdue":
        return requests.filter(overdue_flagged_at__isnull=False, status__in=OPEN_REQUESTS)
    return requests.filter(status__in=OPEN_REQUESTS)


PROVISIONING_SPEC = lists.ListSpec(
    name="provisioning",
    columns=(
        lists.Column("due", _l("Due by"), sort="due_at", csv=lambda r: r.due_at),
        lists.Column("order", _l("Order"), sort="order_id", csv=lambda r: r.order.reference),
        lists.Column("action", _l("Action"), sort="action", csv=lambda r: action_label(r.action)),
        lists.Column(
            "customer", _l("Customer"), sort="order__customer__name", csv=lambda r: r.order.customer.name
        ),
        lists.Column(
            "email",
            _l("Login e-mail"),
            csv=lambda r: r.order.end_customer_email or r.subscription.end_customer_email,
        ),
        lists.Column("status", _l("Status"), sort="status", csv=lambda r: r.get_status_display()),
    ),
    default_sort="due",
    row_template="orders/partials/provisioning_row.html",
    empty_text=_l("Nothing to provision."),
    search_fields=("order__customer__name", "order__summary", "order__end_customer_email"),
    search_hint=_l("Customer, summary, e-mail"),
    filters=(
        lists.Filter(
            "show",
            _l("Show"),
            [("open", pgettext_lazy("provisioning requests", "Open")), ("overdue", _l("Overdue"))],
            narrow=_shown,
            default="open",
            all_label=pgettext_lazy("provisioning requests", "All"),
        ),
    ),
)


@login_required
def provisioning_queue(request: HttpRequest) -> HttpResponse:
    """The vendor's queue of requests to fulfil (operators see every vendor's, overdue ones flagged)."""
    actor = portal_actor(request)
    requests = provisioning_requests_visible_to(actor)
    if actor.kind == OrganisationKind.VENDOR:
        requests = requests.filter(vendor=actor.organisation)
    context = {"now": timezone.now()}
    return lists.respond(request, PROVISIONING_SPEC, requests, "orders/provisioning_queue.html", context)


@login_required
def provisioning_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    actor = portal_actor(request)
    row = provisioning_request_for(actor, request_id)
    context = {
        "row": row,
        "order": row.order,
        "fulfils": actor.is_operator or row.vendor_id == actor.organisation.pk,
        "lines": presenters.lines_for_display(row.order) if presenters.shows_lines(actor, row.order) else [],
        "now": timezone.now(),
    }
    return render(request, "orders/provisioning_detail.html", context)


@login_required
@require_POST
def provisioning_action(request: HttpRequest, request_id: int, action: str) -> HttpResponse:
    actor = portal_actor(request)
    post = request.POST
    try:
        if action == "complete":
            provisioning.complete_request(
                actor=actor, request_id=request_id, vendor_account_id=post.get("vendor_account_id", "")
            )
            messages.success(
                request, _("Done: the order is processed and the end customer has the set-up e-mail.")
            )
        elif action == "fail":
            provisioning.fail_request(actor=actor, request_id=request_id, reason=post.get("reason", ""))
            messages.success(request, _("The request is marked as failed; the orderer is told why."))
        elif action == "inquire":
            provisioning.inquire(actor=actor, request_id=request_id, question=post.get("question", ""))
            messages.success(request, _("Question sent to the orderer."))
        elif action == "answer":
            row = provisioning.answer_inquiry(
                actor=actor, request_id=request_id, answer=post.get("answer", "")
            )
            messages.success(request, _("Answer sent to the vendor."))
            return redirect("orders:detail", row.order_id)
    except CanalError as error:
        messages.error(request, str(error.message))
        if action == "answer":
            row = provisioning_request_for(actor, request_id)
            return redirect("orders:detail", row.order_id)
    return redirect("orders:provisioning_detail", request_id)
