"""Portal pages of the SLA (R5.6): the vendor's targets, calendar and escalation contacts, and its monthly
compliance report (table, bar chart, CSV). Each calls the service or selector the API calls."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from canal.accounts.selectors import team_of
from canal.core.errors import CanalError
from canal.portal.actor import portal_actor
from canal.support import compliance, presenters, priority, sla_config


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    config = priority.config_for(actor)  # 404 for anyone who is not a configured vendor
    if request.method == "POST":
        try:
            targets, calendar, contacts = presenters.parse_sla_form(request.POST)
            sla_config.configure_sla(
                actor=actor, targets=targets, calendar=calendar, escalation_contact_ids=contacts
            )
        except CanalError as error:
            if error.status == 404:
                raise
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The service levels were saved."))
            return redirect("support:sla")
    members = team_of(actor).filter(is_active=True).order_by("full_name", "email")
    context = presenters.sla_form(config) | {"members": members}
    return render(request, "support/sla.html", context)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    try:
        month = compliance.parse_month(request.GET.get("month", ""), today=timezone.now().date())
    except CanalError as error:
        messages.error(request, str(error.message))
        month = timezone.now().date().replace(day=1)
    rows = compliance.monthly_compliance(actor, month)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="sla-compliance-{month:%Y-%m}.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [_("Month"), _("Severity"), _("Phase"), _("Met"), _("Breached"), _("Running"), _("Compliance %")]
        )
        for row in rows:
            writer.writerow(
                [
                    row.month,
                    row.severity_label,
                    row.phase_label,
                    row.met,
                    row.breached,
                    row.running,
                    row.compliance if row.compliance is not None else "",
                ]
            )
        return response
    context = {"rows": rows, "month": f"{month:%Y-%m}", "chart": compliance.chart(rows)}
    return render(request, "support/sla_report.html", context)
