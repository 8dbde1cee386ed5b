from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from canal.accounts.actor import Actor
from canal.core.errors import CanalError
from canal.portal import lists
from canal.portal.actor import portal_actor
from canal.subscriptions import charts, seats, selectors
from canal.subscriptions.models import SubscriptionStatus
from canal.subscriptions.presenters import seat_summary, seat_toggles

LICENSE_COLUMNS = (
    lists.Column("product", _l("Product"), sort="product__name", csv=lambda s: s.product.name),
    lists.Column("customer", _l("Customer"), sort="customer__name", csv=lambda s: s.customer.name),
    lists.Column("starts", _l("Cycle starts"), csv=lambda s: s.term_start, show=False),
    lists.Column("cycle", _l("Current cycle"), sort="term_end", csv=lambda s: s.term_end),
    lists.Column("status", _l("Status"), sort="status", csv=lambda s: s.get_status_display()),
)


@login_required
def license_subscriptions(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    subscriptions = selectors.subscriptions_visible_to(actor).filter(seat_pools__isnull=False).distinct()
    spec = lists.ListSpec(
        name="licenses",
        columns=LICENSE_COLUMNS,
        default_sort="product",
        row_template="subscriptions/partials/license_row.html",
        empty_text=_l("No subscription with seat licenses yet."),
        search_fields=("product__name", "customer__name", "name"),
        search_hint=_l("Product or client"),
        filters=(
            lists.Filter("status", _l("Status"), SubscriptionStatus.choices, field="status"),
            *lists.client_filter(actor, "customer_id", request.GET.get("customer")),
        ),
    )
    return lists.respond(request, spec, subscriptions, "subscriptions/license_subscriptions.html")


@login_required
def license_summary(request: HttpRequest, subscription_id: int) -> HttpResponse:
    actor = portal_actor(request)
    subscription = selectors.subscription_for(actor, subscription_id)
    history = selectors.seat_history_of(actor, subscription_id)
    by_type: dict[str, list] = {}
    for change in history:
        by_type.setdefault(change.pool.license_type.name, []).append((change.at, change.assigned))
    chart = charts.line_chart(
        [charts.Series(label, tuple(points)) for label, points in by_type.items()], now=timezone.now()
    )
    context = {
        "subscription": subscription,
        "summary": seat_summary(actor, subscription_id),
        "chart": chart,
    }
    return render(request, "subscriptions/license_summary.html", context)


@login_required
def seat_users(request: HttpRequest, subscription_id: int) -> HttpResponse:
    return render(
        request, "subscriptions/seat_users.html", _users_context(portal_actor(request), subscription_id)
    )


def _users_context(actor: Actor, subscription_id: int) -> dict[str, Any]:
    pools = list(selectors.seat_pools_of(actor, subscription_id))
    rows = [(user, seat_toggles(user, pools)) for user in selectors.seat_users_of(actor, subscription_id)]
    return {"subscription": selectors.subscription_for(actor, subscription_id), "pools": pools, "rows": rows}


@login_required
@require_POST
def toggle_seat(request: HttpRequest, subscription_id: int, user_id: int, license_type: str) -> HttpResponse:
    """One user and type (htmx): assign when off, release when on; answers the refreshed users table."""
    actor = portal_actor(request)
    pool = selectors.seat_pool_for(actor, subscription_id, license_type)
    user = selectors.customer_user_for(pool.subscription, user_id)
    refusal = None
    try:
        if request.POST.get("hold") == "on":
            seats.assign_seat(actor=actor, pool=pool, user=user)
        else:
            seats.release_seat(actor=actor, pool=pool, user=user)
    except CanalError as error:
        refusal = error
        if not request.htmx:
            messages.error(request, str(error.message))
    context = _users_context(actor, subscription_id)
    context.update(refusal=refusal, refused_user=user_id)
    if request.htmx:
        return render(request, "subscriptions/partials/seat_users_table.html", context)
    return render(request, "subscriptions/seat_users.html", context)
