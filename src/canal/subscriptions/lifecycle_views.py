"""Portal pages of the subscription lifecycle: the list, a subscription with its orders, and the forms
to change, upgrade, set the renewal, renew, and modify, convert or terminate a trial (issue 5)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from canal.accounts.models import OrganisationKind
from canal.core import formats
from canal.core.errors import CanalError, NotFound
from canal.orders import presenters
from canal.orders.forms import number
from canal.orders.placement import OrderDetails
from canal.orders.previews import order_preview
from canal.portal import confirm, lists
from canal.portal.actor import portal_actor
from canal.portal.confirm import Fact
from canal.subscriptions import lifecycle, selectors, trials
from canal.subscriptions.models import SubscriptionStatus

ORDERING_KINDS = (OrganisationKind.PARTNER, OrganisationKind.CUSTOMER)


SUBSCRIPTION_COLUMNS = (
    lists.Column("subscription", _l("Subscription"), sort="name", csv=lambda s: s.name or s.product.name),
    lists.Column("contract", _l("Contract id"), csv=lambda s: s.contract_id, show=False),
    lists.Column("customer", _l("Customer"), sort="customer__name", csv=lambda s: s.customer.name),
    lists.Column("product", _l("Product"), csv=lambda s: s.product.name, show=False),
    lists.Column("plan", _l("Plan"), sort="plan__name", csv=lambda s: s.plan.name if s.plan else ""),
    lists.Column("quantity", _l("Quantity"), sort="quantity", csv=lambda s: s.quantity, css="number"),
    lists.Column("term", _l("Term ends"), sort="term_end", csv=lambda s: s.term_end),
    lists.Column("status", _l("Status"), sort="status", csv=lambda s: s.get_status_display()),
)


@login_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    subscriptions = selectors.subscriptions_visible_to(actor).filter(seat_pools__isnull=True)
    spec = lists.ListSpec(
        name="subscriptions",
        columns=SUBSCRIPTION_COLUMNS,
        default_sort="term",
        row_template="subscriptions/lifecycle/row.html",
        empty_text=_l("No subscriptions match."),
        search_fields=("name", "contract_id", "customer__name", "product__name"),
        search_hint=_l("Name, contract, client, product"),
        filters=(
            lists.Filter("status", _l("Status"), SubscriptionStatus.choices, field="status"),
            *lists.client_filter(actor, "customer_id", request.GET.get("customer")),
        ),
    )
    return lists.respond(request, spec, subscriptions, "subscriptions/lifecycle/list.html")


@login_required
def subscription_detail(request: HttpRequest, subscription_id: int) -> HttpResponse:
    actor = portal_actor(request)
    subscription = selectors.subscription_for(actor, subscription_id)
    orders = subscription.orders.select_related("plan", "product").order_by("-placed_at", "-id")
    plans = list(subscription.product.plans.all())
    current_rank = subscription.plan.rank if subscription.plan else 0
    context = {
        "subscription": subscription,
        "orders": orders,
        "may_order": actor.kind in ORDERING_KINDS,
        "higher_plans": [plan for plan in plans if plan.rank > current_rank],
        "plans": plans,
        "renewal": lifecycle.renewal_configuration(subscription),
        "reasons": trials.TerminationReason.choices,
        "convert_url": reverse("orders:checkout")
        + "?"
        + urlencode(
            {
                "product": subscription.product.code,
                "plan": subscription.plan.code if subscription.plan else "",
                "quantity": subscription.quantity,
                "customer": subscription.customer_id,
                "vendor_account_id": subscription.vendor_account_id,
                "end_customer_email": subscription.end_customer_email,
                "end_customer_name": subscription.end_customer_name,
                "add_ons": subscription.add_ons,
            },
            doseq=True,
        ),
        "auto_renews": subscription.product.kind in lifecycle.AUTO_RENEWING,
    }
    return render(request, "subscriptions/lifecycle/detail.html", context)


def _run(request: HttpRequest, subscription_id: int, action: Any, success: str) -> HttpResponse:
    try:
        order = action()
    except NotFound:
        raise
    except CanalError as error:
        messages.error(request, str(error.message))
        return redirect("lifecycle:detail", subscription_id)
    messages.success(request, success)
    return redirect("orders:detail", order.pk)


def _preview_then_run(
    request: HttpRequest, subscription_id: int, action: Any, success: str, title: str
) -> HttpResponse:
    """A change that costs money is first worked out for real and rolled back, so the page shows the
    exact price, its breakdown and who pays how; the confirmed second post places the order."""
    if confirm.confirmed(request):
        return _run(request, subscription_id, action, success)
    try:
        preview = order_preview(action)
    except NotFound:
        raise
    except CanalError as error:
        messages.error(request, str(error.message))
        return redirect("lifecycle:detail", subscription_id)
    order = preview.order
    facts = [
        Fact(_("Subscription"), order.subscription_name or order.product.name),
        Fact(_("Price before tax"), formats.money(preview.net)),
        Fact(preview.tax_name or _("Tax"), formats.money(preview.tax)),
        Fact(_("Total"), formats.money(preview.total), strong=True),
        Fact(_("Invoiced to"), order.payer.name),
    ]
    if not preview.paid_now.is_zero():
        facts.append(Fact(_("Paid at once from the prepaid wallet"), formats.money(preview.paid_now)))
    if not preview.left_to_pay.is_zero():
        facts.append(Fact(_("Left to pay by bank transfer"), formats.money(preview.left_to_pay)))
    return confirm.ask(
        request,
        title=title,
        facts=facts,
        details_template="orders/partials/lines.html",
        details={"lines": presenters.display_lines(order.lines, order.currency)},
        confirm_label=_("Order for %(amount)s") % {"amount": formats.money(preview.total)},
        back_url=reverse("lifecycle:detail", args=[subscription_id]),
    )


def _codes(request: HttpRequest, name: str) -> list[str]:
    return [code for code in request.POST.getlist(name) if code]


@login_required
def change(request: HttpRequest, subscription_id: int) -> HttpResponse:
    """R1.13 (and R2.6, R2.7): seats, add-ons, onboarding or modules on the same plan."""
    actor = portal_actor(request)
    if request.method != "POST":
        return redirect("lifecycle:detail", subscription_id)
    post = request.POST
    return _preview_then_run(
        request,
        subscription_id,
        lambda: lifecycle.change_subscription(
            actor=actor,
            subscription_id=subscription_id,
            plan=post.get("plan") or None,
            quantity=number(post.get("quantity")),
            add_ons=_codes(request, "add_ons"),
            package=post.get("package", ""),
            modules=_codes(request, "modules") if "modules_shown" in post else None,
        ),
        _("Change ordered. It costs the difference for the rest of the term."),
        _("Change the subscription"),
    )


@login_required
def upgrade(request: HttpRequest, subscription_id: int) -> HttpResponse:
    """R1.14: a new order for a higher plan that keeps the vendor account."""
    actor = portal_actor(request)
    if request.method != "POST":
        return redirect("lifecycle:detail", subscription_id)
    post = request.POST
    return _preview_then_run(
        request,
        subscription_id,
        lambda: lifecycle.upgrade_subscription(
            actor=actor,
            subscription_id=subscription_id,
            plan=post.get("plan", ""),
            quantity=number(post.get("quantity"), 0) or 0,
            add_ons=_codes(request, "add_ons"),
            package=post.get("package", ""),
            details=OrderDetails(
                accept_terms=post.get("accept_terms") == "on", notify_me=post.get("notify_me") == "on"
            ),
        ),
        _("Upgrade ordered: the vendor moves the same account to the new plan."),
        _("Upgrade the subscription"),
    )


@login_required
def renewal(request: HttpRequest, subscription_id: int) -> HttpResponse:
    """R1.16: the quantity, add-ons and onboarding of the next term; 0 means no renewal."""
    actor = portal_actor(request)
    if request.method != "POST":
        return redirect("lifecycle:detail", subscription_id)
    post = request.POST
    return _run(
        request,
        subscription_id,
        lambda: lifecycle.set_renewal(
            actor=actor,
            subscription_id=subscription_id,
            quantity=number(post.get("quantity"), 0) or 0,
            add_ons=_codes(request, "add_ons"),
            package=post.get("package", ""),
            plan=post.get("plan") or None,
        ),
        _("Renewal settings saved."),
    )


@login_required
def renew(request: HttpRequest, subscription_id: int) -> HttpResponse:
    """R2.8: the subscription's data and the amount due; paying moves the end of the term a year on."""
    actor = portal_actor(request)
    subscription = selectors.subscription_for(actor, subscription_id)
    if request.method == "POST":
        return _run(
            request,
            subscription_id,
            lambda: lifecycle.renew_subscription(actor=actor, subscription_id=subscription_id),
            _("Renewal ordered. Once its invoice is paid, the term moves one year forward."),
        )
    return render(
        request,
        "subscriptions/lifecycle/renew.html",
        {"subscription": subscription, "renewal": lifecycle.renewal_configuration(subscription)},
    )


@login_required
def modify_trial(request: HttpRequest, subscription_id: int) -> HttpResponse:
    actor = portal_actor(request)
    if request.method != "POST":
        return redirect("lifecycle:detail", subscription_id)
    return _run(
        request,
        subscription_id,
        lambda: trials.modify_trial(
            actor=actor,
            subscription_id=subscription_id,
            plan=request.POST.get("plan", ""),
            add_ons=_codes(request, "add_ons"),
        ),
        _("Trial change ordered; the vendor applies it."),
    )


@login_required
def terminate_trial(request: HttpRequest, subscription_id: int) -> HttpResponse:
    """R1.17: a reason from the list and the acknowledgement, then a confirmation page."""
    actor = portal_actor(request)
    subscription = selectors.subscription_for(actor, subscription_id)
    if request.method == "POST":
        try:
            order = trials.terminate_trial(
                actor=actor,
                subscription_id=subscription_id,
                reason=request.POST.get("reason", ""),
                acknowledge_data_deletion=request.POST.get("acknowledge") == "on",
            )
        except CanalError as error:
            messages.error(request, str(error.message))
        else:
            return render(
                request,
                "subscriptions/lifecycle/terminated.html",
                {"subscription": subscription, "order": order},
            )
    return render(
        request,
        "subscriptions/lifecycle/terminate.html",
        {"subscription": subscription, "reasons": trials.TerminationReason.choices},
    )
