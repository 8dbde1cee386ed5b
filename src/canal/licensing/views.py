"""Portal pages of license servers: the list (R2.3), a server with its hardware history and use chart,
its activation key, the counter reset for support staff (R2.4), and the vendor's releases."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from canal.accounts.models import OrganisationKind
from canal.core.errors import CanalError
from canal.licensing import forms, selectors, services
from canal.licensing.models import ServerStatus
from canal.licensing.presenters import hardware_change_row, server_row
from canal.portal import lists
from canal.portal.actor import portal_actor
from canal.subscriptions import charts

STAFF_KINDS = (OrganisationKind.VENDOR, OrganisationKind.OPERATOR)
ORDERING_KINDS = (OrganisationKind.CUSTOMER, OrganisationKind.PARTNER)


def _server_status(subscription: Any) -> str:
    server = getattr(subscription, "server", None)
    return str(server.get_status_display() if server else ServerStatus.AWAITING_ACTIVATION.label)


SERVER_COLUMNS = (
    lists.Column("name", _l("Name"), sort="name", csv=lambda s: s.name or f"#{s.pk}"),
    lists.Column("customer", _l("Customer"), sort="customer__name", csv=lambda s: s.customer.name),
    lists.Column("plan", _l("Plan"), csv=lambda s: s.plan.name if s.plan else "", show=False),
    lists.Column("clients", _l("Clients"), sort="quantity", csv=lambda s: s.quantity, css="number"),
    lists.Column("uptime", _l("Uptime")),
    lists.Column("code", _l("Code")),
    lists.Column("changes", _l("Code changes")),
    lists.Column("updatable", _l("Updatable until")),
    lists.Column("status", _l("Status"), sort="server__status", csv=lambda s: _server_status(s)),
)


@login_required
def server_list(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    staff = actor.kind in STAFF_KINDS
    columns = SERVER_COLUMNS if staff else tuple(c for c in SERVER_COLUMNS if c.key != "customer")
    yes = [("1", _l("Yes"))]
    # The status and flag filters are read by selectors.filtered_servers (shared with the API).
    filters = (
        (
            lists.Filter("status", _l("Status"), ServerStatus.choices),
            lists.Filter("over_licensed", _l("Over licensed count"), yes),
            lists.Filter("possible_fault", _l("Possible hardware fault"), yes),
            lists.Filter("at_limit", _l("Counter at limit"), yes),
        )
        if staff
        else ()
    )
    spec = lists.ListSpec(
        name="servers",
        columns=columns,
        default_sort="name",
        row_template="licensing/partials/server_row.html",
        empty_text=_l("No servers match."),
        search_fields=("name", "customer__name"),
        search_hint=_l("Server or customer name"),
        filters=filters,
    )
    servers = selectors.filtered_servers(actor, forms.server_filters(request.GET))
    context = {"staff": staff, "may_order": actor.kind in ORDERING_KINDS}
    return lists.respond(request, spec, servers, "licensing/list.html", context, present=server_row)


@login_required
def server_detail(request: HttpRequest, server_id: int) -> HttpResponse:
    actor = portal_actor(request)
    subscription = selectors.server_license_for(actor, server_id)
    beats = list(
        selectors.heartbeats_of(actor, server_id).filter(at__gte=timezone.now() - timedelta(days=30))
    )
    chart = charts.line_chart(
        [
            charts.Series(_("Clients in use"), tuple((beat.at, beat.clients_in_use) for beat in beats)),
            charts.Series(
                _("Licensed clients"), tuple((beat.at, subscription.quantity) for beat in beats[:1])
            ),
        ],
        now=timezone.now(),
    )
    uptime = charts.line_chart(
        [charts.Series(_("Uptime (hours)"), tuple((beat.at, beat.uptime_seconds // 3600) for beat in beats))],
        height=120,
        now=timezone.now(),
    )
    context = {
        "subscription": subscription,
        "server": server_row(subscription),
        "history": [
            hardware_change_row(change) for change in selectors.hardware_history_of(actor, server_id)[:50]
        ],
        "chart": chart,
        "uptime": uptime,
        "staff": actor.kind in STAFF_KINDS,
        "may_order": actor.kind in ORDERING_KINDS,
        "renewable": bool(subscription.plan and subscription.plan.renewable),
    }
    return render(request, "licensing/detail.html", context)


@login_required
@require_POST
def make_key(request: HttpRequest, server_id: int) -> HttpResponse:
    actor = portal_actor(request)
    try:
        key, plaintext = services.issue_activation_key(actor=actor, server_id=server_id)
    except CanalError as error:
        messages.error(request, str(error.message))
        return redirect("licensing:detail", server_id)
    subscription = selectors.server_license_for(actor, server_id)
    context = {"subscription": subscription, "key": plaintext, "prefix": key.prefix}
    response = render(request, "licensing/key.html", context)
    response["Cache-Control"] = "no-store"  # the key is shown once and must not stay in a cache
    return response


@login_required
@require_POST
def revoke_key(request: HttpRequest, server_id: int) -> HttpResponse:
    try:
        services.revoke_activation_keys(actor=portal_actor(request), server_id=server_id)
    except CanalError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The activation key was revoked: the appliance can no longer use it."))
    return redirect("licensing:detail", server_id)


@login_required
def reset_counter(request: HttpRequest, server_id: int) -> HttpResponse:
    actor = portal_actor(request)
    subscription = selectors.server_license_for(actor, server_id)
    error = None
    if request.method == "POST":
        try:
            services.reset_hardware_counter(
                actor=actor, server_id=server_id, reason=request.POST.get("reason", "")
            )
        except CanalError as refused:
            error = refused
        else:
            messages.success(request, _("The hardware-code counter was reset and the customer told."))
            return redirect("licensing:detail", server_id)
    context = {
        "subscription": subscription,
        "server": server_row(subscription),
        "error": error,
        "reason": request.POST.get("reason", ""),
    }
    return render(request, "licensing/reset.html", context, status=422 if error else 200)


@login_required
def releases(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    error = None
    if request.method == "POST":
        try:
            services.publish_release(
                actor=actor,
                product_code=request.POST.get("product", ""),
                version=request.POST.get("version", ""),
                published_on=forms.published_on(request.POST.get("published_on")),
                notes=request.POST.get("notes", "")[:4000],
            )
        except CanalError as refused:
            error = refused
        else:
            messages.success(request, _("The release was published."))
            return redirect("licensing:releases")
    products = list(selectors.appliance_products_of(actor)) if actor.kind in STAFF_KINDS else []
    key = selectors.published_keys().filter(vendor=actor.organisation).first()
    context = {
        "releases": selectors.releases_visible_to(actor)[:200],
        "products": products,
        "error": error,
        "form": request.POST,
        "key": key,
        "today": timezone.localdate(),
    }
    return render(request, "licensing/releases.html", context, status=422 if error else 200)
