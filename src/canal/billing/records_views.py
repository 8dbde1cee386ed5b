"""The operator's billing records page (VeriFactu): records with their sending state, the event log,
whether sending is configured, and the actions verify, send and export. Anyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from canal.billing import agency, records
from canal.billing.models import RecordState
from canal.portal.actor import portal_actor

PAGE_SIZE = 50


@login_required
def records_page(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    records.require_operator(actor)
    state = request.GET.get("state", "")
    rows = records.records_visible_to(actor)
    if state in RecordState.values:
        rows = rows.filter(state=state)
    context = {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "state": state,
        "states": RecordState.choices,
        "events": records.events_for(actor)[:20],
        "configured": agency.backend().configured,
        "not_configured": agency.not_configured_message(),
    }
    return render(request, "billing/records.html", context)


@login_required
@require_POST
def verify_records(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    records.require_operator(actor)
    report = records.verify_chains(actor=actor)
    if report.intact:
        messages.success(
            request,
            _("Every chain is intact: %(count)s records checked.") % {"count": sum(report.checked.values())},
        )
    for problem in report.breaks:
        messages.error(request, problem.describe())
    return redirect("billing:records")


@login_required
@require_POST
def send_records(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    records.require_operator(actor)
    outcome = records.send_pending()
    if not outcome.configured:
        messages.error(request, outcome.message)
    elif outcome.failed:
        messages.error(
            request,
            _("%(sent)s records sent; the tax agency refused %(failed)s (see their errors below).")
            % {"sent": outcome.sent, "failed": outcome.failed},
        )
    else:
        messages.success(request, _("%(sent)s records sent.") % {"sent": outcome.sent})
    return redirect("billing:records")


@login_required
def export_records(request: HttpRequest) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        records.export_csv(portal_actor(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="billing-records.csv"'
    return response
