"""Portal pages of intake (R5.7, R5.8): the partner's ticket form (priority centre or general form), the
legal representative's list of who may use priority support, and the vendor's regional support
addresses. Each calls the service the API calls."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from canal.accounts.models import OrganisationKind
from canal.core.errors import CanalError
from canal.core.idempotency import run_once
from canal.portal.actor import portal_actor
from canal.support import intake, mailboxes
from canal.support.views import _int

FIELDS = ("product_id", "account_ref", "subject", "description", "customer_email", "centre")


@login_required
def partner_ticket(request: HttpRequest) -> HttpResponse:
    """R5.7: service, organisation or group id, subject, description, the customer's primary e-mail."""
    actor = portal_actor(request)
    if actor.kind != OrganisationKind.PARTNER:
        raise Http404
    allowed = intake.may_use_priority(actor)
    data = request.POST
    if request.method == "POST":
        centre = intake.PRIORITY if data.get("centre") == intake.PRIORITY else intake.GENERAL

        def create() -> tuple[int, dict[str, Any]]:
            ticket = intake.open_partner_ticket(
                actor=actor,
                product_id=_int(data.get("product_id")) or 0,
                account_ref=data.get("account_ref", ""),
                title=data.get("subject", ""),
                description=data.get("description", ""),
                customer_email=data.get("customer_email", ""),
                centre=centre,
                attachments=request.FILES.getlist("attachment"),
            )
            return 201, {"id": ticket.pk}

        try:
            _status, body = run_once(
                scope=f"org:{actor.organisation.pk}:portal.support.intake",
                key=data.get("idempotency_key") or None,
                payload={name: data.get(name, "") for name in FIELDS},
                action=create,
            )
        except CanalError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Your ticket was opened for your client."))
            return redirect("support:ticket", body["id"])
    context = {
        "form": data,
        "allowed": allowed,
        "centre": data.get("centre") or (intake.PRIORITY if allowed else intake.GENERAL),
        "services": intake.services_for(actor),
        "addresses": intake.regional_addresses(actor),
        "decides": actor.has_role(intake.DECIDING_ROLE),
        "idempotency_key": data.get("idempotency_key") or uuid.uuid4().hex,
    }
    return render(request, "support/intake.html", context)


@login_required
def priority_access(request: HttpRequest) -> HttpResponse:
    """R5.8: the partner's legal representative ticks who may use priority support."""
    actor = portal_actor(request)
    if actor.kind != OrganisationKind.PARTNER:
        raise Http404
    try:
        if request.method == "POST":
            ids = [pk for pk in (_int(value) for value in request.POST.getlist("allowed")) if pk is not None]
            intake.set_priority_access(actor=actor, user_ids=ids)
            messages.success(request, _("Who may use priority support was saved."))
            return redirect("support:intake_access")
        users = intake.partner_users(actor)
    except CanalError as error:
        if error.status == 404:
            raise Http404 from None
        messages.error(request, str(error.message))
        return redirect("support:intake")
    return render(request, "support/intake_access.html", {"users": users})


def _address_rows(request: HttpRequest) -> list[mailboxes.AddressIn]:
    names, emails, regions = (request.POST.getlist(name) for name in ("name", "email", "regions"))
    return [
        mailboxes.AddressIn(name=name, email=email, regions=region)
        for name, email, region in zip(names, emails, regions, strict=False)
        if name.strip() or email.strip()
    ]


@login_required
def addresses(request: HttpRequest) -> HttpResponse:
    """R5.7: the vendor's regional support addresses (a blank row adds one; emptying a row removes it)."""
    actor = portal_actor(request)
    try:
        current = list(mailboxes.addresses_of(actor).order_by("name", "id"))
    except CanalError:
        raise Http404 from None
    rows: list[Any] = current
    if request.method == "POST":
        rows = _address_rows(request)
        try:
            mailboxes.set_addresses(actor=actor, addresses=rows)
        except CanalError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The support addresses were saved."))
            return redirect("support:addresses")
    return render(request, "support/addresses.html", {"rows": [*rows, None]})
