"""Portal pages of priority support: the vendor's configuration (R5.1, R5.3) and, on a ticket, support
identifying the customer (R5.5) and changing the severity. Each calls the service the API calls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from canal.accounts.models import OrganisationKind
from canal.catalog.selectors import products_visible_to
from canal.core.errors import CanalError
from canal.portal.actor import portal_actor
from canal.support import large_accounts, presenters, priority
from canal.support.models import Severity
from canal.support.views import _int, _run


@login_required
@require_POST
def identify(request: HttpRequest, ticket_id: int) -> HttpResponse:
    actor = portal_actor(request)
    return _run(
        request,
        ticket_id,
        lambda: priority.identify_customer(
            actor=actor,
            ticket_id=ticket_id,
            email=request.POST.get("email", ""),
            account_ref=request.POST.get("account_ref", ""),
        ),
        _("The customer was identified and the ticket classified."),
    )


@login_required
@require_POST
def severity(request: HttpRequest, ticket_id: int) -> HttpResponse:
    actor = portal_actor(request)
    return _run(
        request,
        ticket_id,
        lambda: priority.change_severity(
            actor=actor,
            ticket_id=ticket_id,
            severity=request.POST.get("severity", ""),
            reason=request.POST.get("reason", ""),
        ),
        _("The severity was changed."),
    )


@login_required
def configuration(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    if actor.kind != OrganisationKind.VENDOR:
        raise Http404
    tiers_text = request.POST.get("tiers", "")
    if request.method == "POST":
        try:
            priority.configure(
                actor=actor,
                default_severity=request.POST.get("default_severity", ""),
                tiers=presenters.parse_tiers(tiers_text),
                excluded_product_ids=[
                    pk for pk in (_int(value) for value in request.POST.getlist("excluded")) if pk is not None
                ],
            )
        except CanalError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Priority support was saved."))
            return redirect("support:priority")
    config = large_accounts.config_of(actor.organisation.pk)
    if config is not None and request.method != "POST":
        tiers_text = "\n".join(f"{tier.region or '*'} {tier.threshold}" for tier in config.tiers.all())
    excluded = (
        set(config.excluded_products.values_list("pk", flat=True))
        if config is not None
        else set(large_accounts.default_exclusions(actor.organisation).values_list("pk", flat=True))
    )
    context = {
        "severities": Severity.choices,
        "default_severity": config.default_severity if config else Severity.S3,
        "tiers_text": tiers_text,
        "products": products_visible_to(actor).order_by("name"),  # a vendor sees its own products
        "excluded": excluded,
    }
    return render(request, "support/priority.html", context)
