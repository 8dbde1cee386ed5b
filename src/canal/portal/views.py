from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from canal.accounts import selectors
from canal.accounts.models import OrganisationKind
from canal.core.audit_selectors import recent_audit_entries
from canal.portal.activity import activity_of
from canal.portal.actor import portal_actor
from canal.portal.needs import needs_of


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    relationships = selectors.client_relationships_visible_to(actor)
    context = {
        "relationships": relationships[:10],
        "members": selectors.members_visible_to(actor).filter(organisation=actor.organisation),
        "needs": needs_of(actor, timezone.localdate()),
    }
    if actor.kind == OrganisationKind.OPERATOR:
        context["organisation_counts"] = selectors.organisation_counts(actor)
        context["audit_entries"] = activity_of(recent_audit_entries(actor)[:10])
    return render(request, f"portal/dashboards/{actor.kind}.html", context)


@login_required
def clients(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    relationships = selectors.client_relationships_visible_to(actor).exclude(client=actor.organisation)
    return render(request, "portal/clients.html", {"relationships": relationships})


@login_required
def partners(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    relationships = selectors.client_relationships_visible_to(actor).filter(client=actor.organisation)
    return render(request, "portal/partners.html", {"relationships": relationships})


@login_required
def team(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    members = (
        selectors.members_visible_to(actor).filter(organisation=actor.organisation).order_by("user__email")
    )
    return render(request, "portal/team.html", {"members": members})
