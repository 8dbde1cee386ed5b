"""The operator's billing runs page: each run's progress (payers done of those due, across all its
parts), and a form to start one split across the workers. Anyone else gets 404."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from canal.billing import runs
from canal.billing.cycles import due_payer_count
from canal.core.errors import CanalError
from canal.portal.actor import portal_actor

PAGE_SIZE = 25


@login_required
def runs_page(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    runs.require_operator(actor)
    today = timezone.localdate()
    context = {
        "page": Paginator(runs.runs_visible_to(actor), PAGE_SIZE).get_page(request.GET.get("page")),
        "today": today,
        "due_today": due_payer_count(today),
        "parts": runs.default_parts(),
        "max_parts": runs.MAX_PARTS,
        # While a run bills, the page reloads itself to show its progress.
        "refresh": runs.any_running(actor),
    }
    return render(request, "billing/runs.html", context)


@login_required
@require_POST
def start_run(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    runs.require_operator(actor)
    try:
        run_date = date.fromisoformat(request.POST.get("run_date") or timezone.localdate().isoformat())
        parts = int(request.POST.get("parts") or runs.default_parts())
    except ValueError:
        messages.error(request, _("Give the billing date as YYYY-MM-DD and the parts as a number."))
        return redirect("billing:runs")
    try:
        run = runs.start_billing_run(actor=actor, run_date=run_date, parts=parts)
    except CanalError as error:
        messages.error(request, str(error))
        return redirect("billing:runs")
    messages.success(
        request,
        _("Billing run started: %(payers)s payers due, split into %(parts)s parts for the workers.")
        % {"payers": run.payers_due, "parts": run.parts},
    )
    return redirect("billing:runs")
