"""Portal pages of the partner programme: parse the form, call one service or selector, render. A refused
request shows the service's message on the same page."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from canal.accounts.models import AccessLevel, OrganisationKind, Role
from canal.billing.selectors import invoices_visible_to
from canal.catalog.selectors import products_visible_to
from canal.core.errors import CanalError, NotFound
from canal.partners import applications, invitations, relationships, selectors, support_access, tenders
from canal.partners.forms import (
    AccessForm,
    ApplicationForm,
    DecisionForm,
    EndForm,
    InviteClientForm,
    ManagerForm,
    ProposalForm,
    TenderForm,
)
from canal.partners.models import ApplicationStatus, InvitationDirection
from canal.portal import lists
from canal.portal.actor import portal_actor
from canal.subscriptions.selectors import subscriptions_visible_to
from canal.support.selectors import tickets_visible_to


def _attempt(request: HttpRequest, action: Callable[[], Any], success: str) -> Any:
    """Runs a service call; a refusal becomes an error message on the page, never a 500."""
    try:
        result = action()
    except NotFound:
        raise
    except CanalError as error:
        messages.error(request, str(error.message))
        return None
    messages.success(request, success)
    return result


def _products(actor) -> list:
    return list(products_visible_to(actor).order_by("category", "name"))


def _by_category(products: list) -> list[tuple[str, list]]:
    return [
        (category or _("Other"), list(rows)) for category, rows in groupby(products, key=lambda p: p.category)
    ]


def _access_choice(form: AccessForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "access": data["access"],
        "payment_mode": data.get("payment_mode") or "customer",
        "product_codes": data.get("product_codes") or [],
    }


# Applications (R4.1, R4.2)


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            request,
            lambda: applications.apply(
                actor=actor,
                registered_id=data["registered_id"],
                website=data["website"],
                yearly_volume=data["yearly_volume"],
                currency=data["currency"],
                accepts_reseller_terms=data["accepts_reseller_terms"],
            ),
            _("Your application is sent. The operator will answer by e-mail."),
        )
        if done is not None:
            return redirect("partners:apply")
    own = selectors.applications_visible_to(actor).order_by("-id")
    return render(request, "partners/apply.html", {"form": form, "applications": own})


@login_required
@require_POST
def join_affiliates(request: HttpRequest) -> HttpResponse:
    _attempt(
        request,
        lambda: applications.join_affiliate_programme(actor=portal_actor(request)),
        _("You joined the affiliate programme."),
    )
    return redirect("partners:apply")


@login_required
def application_queue(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    if not actor.is_operator:
        raise NotFound(_("No page here."))
    queue = selectors.applications_visible_to(actor)
    context = {
        "pending": queue.filter(status=ApplicationStatus.PENDING),
        "decided": queue.exclude(status=ApplicationStatus.PENDING).order_by("-decided_at")[:25],
        "levels": selectors.levels_of(actor),
    }
    return render(request, "partners/applications.html", context)


@login_required
@require_POST
def decide_application(request: HttpRequest, application_id: int, decision: str) -> HttpResponse:
    actor = portal_actor(request)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a programme level from the list and keep the reason short."))
        return redirect("partners:applications")
    data = form.cleaned_data
    if decision == "approve":
        _attempt(
            request,
            lambda: applications.approve(
                actor=actor, application_id=application_id, level_id=data.get("level") or 0
            ),
            _("Application approved: the company is now a partner."),
        )
    else:
        _attempt(
            request,
            lambda: applications.reject(
                actor=actor, application_id=application_id, reason=data.get("reason") or ""
            ),
            _("Application rejected; the applicant is told why."),
        )
    return redirect("partners:applications")


@login_required
def programme(request: HttpRequest) -> HttpResponse:
    summary = selectors.programme_summary(portal_actor(request))
    return render(request, "partners/programme.html", {"summary": summary})


# The partner's space (R4.4, R4.11, R4.12, R4.13)


@login_required
def clients(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    if actor.kind != OrganisationKind.PARTNER:
        return redirect("partners:partners")
    products = _products(actor)
    form = InviteClientForm(request.POST or None, products=products)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            request,
            lambda: invitations.invite_client(
                actor=actor, email=data["email"], message=data.get("message", ""), **_access_choice(form)
            ),
            _("Invitation sent."),
        )
        if done is not None:
            return redirect("partners:clients")
    context = {
        "invitations": selectors.invitations_visible_to(actor),
        "form": form,
        "categories": _by_category(products),
        "is_legal": actor.has_role(Role.LEGAL_REPRESENTATIVE),
    }
    spec = lists.relationship_spec(actor, actions=True)
    rows = selectors.relationships_visible_to(actor)
    return lists.respond(request, spec, rows, "partners/clients.html", context)


CLIENT_PAGE_ROWS = 10


@login_required
def client(request: HttpRequest, client_id: int) -> HttpResponse:
    """R4.11: one client's organisation as its partner (within the granted access) or the operator sees
    it, drilling into its subscriptions, invoices and tickets; each links to the whole filtered list."""
    actor = portal_actor(request)
    organisation, relationships = selectors.client_page_for(actor, client_id)
    shown = CLIENT_PAGE_ROWS
    subscriptions = subscriptions_visible_to(actor).filter(customer=organisation)
    context = {
        "relationship": relationships[0] if actor.kind == OrganisationKind.PARTNER else None,
        "relationships": relationships,
        "client": organisation,
        "subscriptions": subscriptions.order_by("-pk")[:shown],
        "invoices": invoices_visible_to(actor).filter(customer=organisation).order_by("-pk")[:shown],
        "tickets": tickets_visible_to(actor).filter(customer=organisation).order_by("-pk")[:shown],
        "shown": shown,
    }
    return render(request, "partners/client.html", context)


@login_required
def partners(request: HttpRequest) -> HttpResponse:
    """The client's side: its partners, invitations, and the directory search to invite one (R4.4)."""
    actor = portal_actor(request)
    query = request.GET.get("q", "")[:200]
    found = selectors.directory(query=query) if query else []
    context = {
        "relationships": selectors.relationships_visible_to(actor),
        "invitations": selectors.invitations_visible_to(actor),
        "query": query,
        "found": found,
        "is_legal": actor.has_role(Role.LEGAL_REPRESENTATIVE),
    }
    return render(request, "partners/partners.html", context)


@login_required
def invite_partner(request: HttpRequest, partner_id: int) -> HttpResponse:
    actor = portal_actor(request)
    entry = selectors.directory_entry(partner_id)
    products = _products(actor)
    form = AccessForm(request.POST or None, products=products)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            request,
            lambda: invitations.invite_partner(actor=actor, partner_id=partner_id, **_access_choice(form)),
            _("Invitation sent to the partner."),
        )
        if done is not None:
            return redirect("partners:partners")
    context = {"entry": entry, "form": form, "categories": _by_category(products)}
    return render(request, "partners/invite_partner.html", context)


@login_required
@require_POST
def invitation_action(request: HttpRequest, invitation_id: int, action: str) -> HttpResponse:
    actor = portal_actor(request)
    if action == "resend":
        _attempt(
            request, lambda: invitations.resend(actor=actor, invitation_id=invitation_id), _("Sent again.")
        )
    elif action == "withdraw":
        _attempt(
            request, lambda: invitations.withdraw(actor=actor, invitation_id=invitation_id), _("Withdrawn.")
        )
    elif action == "accept":
        _attempt(
            request,
            lambda: invitations.accept(actor=actor, invitation_id=invitation_id),
            _("Partnership started."),
        )
    elif action == "refuse":
        _attempt(request, lambda: invitations.refuse(actor=actor, invitation_id=invitation_id), _("Refused."))
    else:
        raise NotFound(_("No page here."))
    return redirect("partners:clients" if actor.kind == OrganisationKind.PARTNER else "partners:partners")


@login_required
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: the invited side reads the proposal, then accepts (a client may change the
    rights) or refuses."""
    actor = portal_actor(request)
    try:
        pending = invitations.invitation_for_token(token)
    except CanalError as error:
        return render(request, "partners/invitation.html", {"error": error.message}, status=error.status)
    products = _products(actor)
    initial = {
        "access": pending.access,
        "payment_mode": pending.payment_mode,
        "product_codes": pending.product_codes,
    }
    form = AccessForm(request.POST or None, products=products, initial=initial)
    if request.method == "POST":
        if request.POST.get("decision") == "refuse":
            if _attempt(
                request, lambda: invitations.refuse(actor=actor, token=token), _("Invitation refused.")
            ):
                return redirect("portal:dashboard")
        elif pending.direction == InvitationDirection.TO_PARTNER or form.is_valid():
            choice = _access_choice(form) if pending.direction == InvitationDirection.TO_CLIENT else {}
            started = _attempt(
                request,
                lambda: invitations.accept(actor=actor, token=token, **choice),
                _("Partnership started."),
            )
            if started is not None:
                return redirect("partners:relationship", started.pk)
    context = {"invitation": pending, "form": form, "categories": _by_category(products)}
    return render(request, "partners/invitation.html", context)


@login_required
def relationship(request: HttpRequest, relationship_id: int) -> HttpResponse:
    """Both sides: the access and payer (the client changes them, R4.5, R4.6), the partner's managers
    (R4.12), and the way out (R4.13)."""
    actor = portal_actor(request)
    current = selectors.relationship_for(actor, relationship_id)
    products = _products(actor)
    initial = {
        "access": current.access,
        "payment_mode": current.payment_mode,
        "product_codes": [grant.product_code for grant in current.grants.all()],
    }
    form = AccessForm(request.POST or None, products=products, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _attempt(
            request,
            lambda: relationships.change_access(
                actor=actor, relationship_id=relationship_id, **_access_choice(form)
            ),
            _("Access updated; the partner is told."),
        )
        if done is not None:
            return redirect("partners:relationship", relationship_id)
    is_partner = current.partner_id == actor.organisation.pk
    team = selectors.team_of(actor) if is_partner else []
    context = {
        "relationship": current,
        "form": form,
        "categories": _by_category(products),
        "is_partner": is_partner,
        "is_client": current.client_id == actor.organisation.pk,
        "is_legal": actor.has_role(Role.LEGAL_REPRESENTATIVE),
        "team": team,
        "manager_ids": {manager.user_id for manager in current.managers.all()},
        "full": AccessLevel.FULL,
    }
    return render(request, "partners/relationship.html", context)


@login_required
@require_POST
def managers(request: HttpRequest, relationship_id: int) -> HttpResponse:
    actor = portal_actor(request)
    form = ManagerForm(request.POST)
    if form.is_valid():
        user_id = form.cleaned_data["user"]
        if request.POST.get("action") == "remove":
            _attempt(
                request,
                lambda: relationships.unassign_manager(
                    actor=actor, relationship_id=relationship_id, user_id=user_id
                ),
                _("The user no longer manages this client."),
            )
        else:
            _attempt(
                request,
                lambda: relationships.assign_manager(
                    actor=actor, relationship_id=relationship_id, user_id=user_id
                ),
                _("The user now manages this client."),
            )
    return redirect("partners:relationship", relationship_id)


@login_required
def end(request: HttpRequest, relationship_id: int) -> HttpResponse:
    """R4.13: two confirmations; the second asks for the account password."""
    actor = portal_actor(request)
    current = selectors.relationship_for(actor, relationship_id)
    step = "1"
    if request.method == "POST":
        form = EndForm(request.POST)
        if form.is_valid() and form.cleaned_data["step"] == "1":
            step = "2"
        elif form.is_valid():
            ended = _attempt(
                request,
                lambda: relationships.end_relationship(
                    actor=actor,
                    relationship_id=relationship_id,
                    confirmed=True,
                    password=form.cleaned_data["password"],
                ),
                _("The partnership has ended."),
            )
            if ended is not None:
                return redirect(
                    "partners:clients" if actor.kind == OrganisationKind.PARTNER else "partners:partners"
                )
            step = "2"
    return render(request, "partners/end.html", {"relationship": current, "step": step})


# Tenders (R4.14, R4.18)


def new_tender(request: HttpRequest) -> HttpResponse:
    form = TenderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actor = portal_actor(request) if request.user.is_authenticated else None
        # A robot that filled the honeypot gets None from the service and must see the same success.
        posted = _attempt(
            request,
            lambda: (
                tenders.post_tender(
                    actor=actor,
                    title=data["title"],
                    description=data["description"],
                    contact_name=data["contact_name"],
                    contact_email=data["contact_email"],
                    contact_phone=data["contact_phone"],
                    region=data["region"],
                    language=request.LANGUAGE_CODE,
                    honeypot=data["website"],
                )
                or True
            ),
            _("Check your e-mail and confirm the request to publish it."),
        )
        if posted is not None:
            return redirect("partners:tender_new")
    return render(request, "partners/tender_new.html", {"form": form})


def confirm_tender(request: HttpRequest, token: str) -> HttpResponse:
    tender = tenders.confirm_tender(token=token)
    return render(request, "partners/tender_confirmed.html", {"tender": tender})


def tender_author(request: HttpRequest, token: str) -> HttpResponse:
    """The author's page, reached only with the e-mailed link: proposals, choose one, or withdraw."""
    if request.method == "POST":
        if request.POST.get("action") == "withdraw":
            _attempt(request, lambda: tenders.withdraw_tender(token=token), _("Your request is withdrawn."))
        else:
            proposal_id = request.POST.get("proposal", "")
            _attempt(
                request,
                lambda: tenders.choose_proposal(
                    token=token, proposal_id=int(proposal_id) if proposal_id.isdigit() else 0
                ),
                _("You chose this proposal; the partner is told."),
            )
        return redirect("partners:tender_author", token)
    tender = tenders.tender_for_author(token)
    return render(
        request, "partners/tender_author.html", {"tender": tender, "proposals": tender.proposals.all()}
    )


@login_required
def tender_list(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    rows = [(tender, tenders.excerpt(tender)) for tender in selectors.open_tenders_for(actor)[:100]]
    return render(request, "partners/tenders.html", {"rows": rows})


@login_required
def tender(request: HttpRequest, tender_id: int) -> HttpResponse:
    actor = portal_actor(request)
    current = selectors.tender_for(actor, tender_id)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = _attempt(
            request,
            lambda: tenders.send_proposal(
                actor=actor, tender_id=tender_id, message=form.cleaned_data["message"]
            ),
            _("Your proposal is sent to the author."),
        )
        if sent is not None:
            return redirect("partners:tender", tender_id)
    context = {"tender": current, "form": form, "proposal": selectors.own_proposal(actor, current)}
    return render(request, "partners/tender.html", context)


# Directory (R4.15)


def directory(request: HttpRequest) -> HttpResponse:
    filters = {name: request.GET.get(name, "")[:80] for name in ("q", "region", "language", "product")}
    entries = selectors.directory(
        query=filters["q"], region=filters["region"], language=filters["language"], product=filters["product"]
    )
    return render(request, "partners/directory.html", {"entries": entries[:200], "filters": filters})


def directory_entry(request: HttpRequest, partner_id: int) -> HttpResponse:
    entry = selectors.directory_entry(partner_id)
    return render(request, "partners/directory_entry.html", {"entry": entry})


# Support codes and temporary support access (R4.16)


@login_required
def support(request: HttpRequest) -> HttpResponse:
    """The customer's support page: its VIP code (premium support), and temporary access for support
    staff; for operator staff, the caller lookup by support or VIP code."""
    actor = portal_actor(request)
    caller = None
    if actor.is_operator and request.GET.get("code"):
        try:
            caller = support_access.find_caller(actor=actor, code=request.GET["code"][:20])
        except NotFound as error:
            messages.error(request, str(error.message))
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            access_id = request.POST.get("access", "")
            _attempt(
                request,
                lambda: support_access.revoke(
                    actor=actor, access_id=int(access_id) if access_id.isdigit() else 0
                ),
                _("Support access revoked."),
            )
        else:
            hours = request.POST.get("hours", "")
            _attempt(
                request,
                lambda: support_access.grant(actor=actor, hours=int(hours) if hours.isdigit() else 0),
                _("Support staff may now access your services."),
            )
        return redirect("partners:support")
    context = {
        "active": support_access.active_for(actor.organisation),
        "accesses": selectors.support_accesses_of(actor).filter(organisation=actor.organisation)[:10],
        "caller": caller,
        "code": request.GET.get("code", "")[:20],
    }
    return render(request, "partners/support.html", context)
