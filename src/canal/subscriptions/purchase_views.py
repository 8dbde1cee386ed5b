import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from canal.core.errors import CanalError
from canal.portal.actor import portal_actor
from canal.subscriptions import selectors
from canal.subscriptions.presenters import seat_summary
from canal.subscriptions.seat_billing import buy_seats
from canal.subscriptions.seat_preview import seat_purchase_charge
from canal.subscriptions.seat_purchase import quote_seat_purchase


def _count(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() else 0


def _quantities(data: QueryDict, codes: list[str]) -> dict[str, int]:
    """The chosen quantities, with a +/- button's `set=<type>:<n>` applied on top."""
    quantities = {code: _count(data.get(code)) for code in codes}
    code, _sep, count = (data.get("set") or "").partition(":")
    if code in quantities:
        quantities[code] = _count(count)
    return quantities


@login_required
def buy_seats_page(request: HttpRequest, subscription_id: int) -> HttpResponse:
    """R3.4: + and - per type, a summary with the prorated and the full price, then Buy."""
    actor = portal_actor(request)
    subscription = selectors.subscription_for(actor, subscription_id)
    codes = [pool.license_type.code for pool in selectors.seat_pools_of(actor, subscription_id)]
    data = request.POST if request.method == "POST" else request.GET
    quantities = _quantities(data, codes)
    if request.method == "POST" and "buy" in request.POST:
        try:
            buy_seats(
                actor=actor,
                subscription_id=subscription_id,
                quantities=quantities,
                today=timezone.localdate(),
                idempotency_key=request.POST.get("idempotency_key", ""),
            )
        except CanalError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request, _("Done: the licenses are yours and ready to assign. The invoice is issued.")
            )
            return redirect("subscriptions:license_summary", subscription_id)
    quote, charge = None, None
    if any(quantities.values()):
        asked = {"actor": actor, "subscription_id": subscription_id, "quantities": quantities}
        try:
            quote = quote_seat_purchase(**asked, today=timezone.localdate())
            charge = seat_purchase_charge(**asked, today=timezone.localdate())
        except CanalError as error:
            messages.error(request, str(error.message))
    context = {
        "subscription": subscription,
        "summary": seat_summary(actor, subscription_id, being_bought=quantities),
        "quantities": quantities,
        "quote": quote,
        "charge": charge,
        "idempotency_key": uuid.uuid4().hex,
    }
    template = "subscriptions/partials/purchase.html" if request.htmx else "subscriptions/buy_seats.html"
    return render(request, template, context)
