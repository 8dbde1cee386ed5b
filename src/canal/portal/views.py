from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from canal.accounts import selectors
from canal.accounts.models import OrganisationKind, Role, User
from canal.core.audit_selectors import recent_audit_entries
from canal.portal import lists
from canal.portal.activity import activity_of
from canal.portal.actor import portal_actor
from canal.portal.needs import needs_of
from canal.portal.trends import trend_of


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    relationships = selectors.client_relationships_visible_to(actor)
    context = {
        "relationships": relationships[:10],
        "members": selectors.members_visible_to(actor).filter(organisation=actor.organisation),
        "needs": needs_of(actor, timezone.localdate()),
        "trend": trend_of(actor, timezone.localdate()),
    }
    if actor.kind == OrganisationKind.OPERATOR:
        context["organisation_counts"] = selectors.organisation_counts(actor)
        context["audit_entries"] = activity_of(recent_audit_entries(actor)[:10])
    return render(request, f"portal/dashboards/{actor.kind}.html", context)


@login_required
def clients(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    relationships = selectors.client_relationships_visible_to(actor).exclude(client=actor.organisation)
    spec = lists.relationship_spec(actor, actions=False)
    return lists.respond(request, spec, relationships, "portal/clients.html")


@login_required
def partners(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    relationships = selectors.client_relationships_visible_to(actor).filter(client=actor.organisation)
    return render(request, "portal/partners.html", {"relationships": relationships})


TEAM_COLUMNS = (
    lists.Column("name", _l("Name"), sort="full_name", csv=lambda user: user.full_name),
    lists.Column("email", _l("E-mail"), sort="email", csv=lambda user: user.email),
    lists.Column(
        "roles",
        _l("Roles"),
        csv=lambda user: ", ".join(str(m.get_role_display()) for m in user.roles_here),
    ),
)


@login_required
def team(request: HttpRequest) -> HttpResponse:
    """Each person once, with every role they hold in the organisation."""
    actor = portal_actor(request)

    def with_role(rows: QuerySet[User], role: str) -> QuerySet[User]:
        return rows.filter(memberships__organisation=actor.organisation, memberships__role=role)

    spec = lists.ListSpec(
        name="team",
        columns=TEAM_COLUMNS,
        default_sort="name",
        row_template="portal/partials/member_row.html",
        empty_text=_l("Nobody matches."),
        search_fields=("full_name", "email"),
        search_hint=_l("Name or e-mail"),
        filters=(lists.Filter("role", _l("Role"), Role.choices, narrow=with_role),),
    )
    return lists.respond(request, spec, selectors.team_of(actor), "portal/team.html")
