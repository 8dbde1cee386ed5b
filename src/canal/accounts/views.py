from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from canal.accounts import selectors, services
from canal.accounts.actor import actor_for
from canal.accounts.forms import NewTokenForm
from canal.api.auth import SESSION_ORGANISATION_KEY
from canal.core.errors import CanalError
from canal.portal.actor import portal_actor


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    return render(request, "accounts/profile.html", {"actor": actor})


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    form = NewTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, created = services.create_api_token(actor=actor, name=form.cleaned_data["name"])
        except CanalError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
    context = {"form": form, "created": created, "tokens": selectors.api_tokens_visible_to(actor)}
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    services.revoke_api_token(actor=portal_actor(request), token_id=token_id)
    messages.success(request, _("The token was revoked; requests that use it are now refused."))
    return redirect("tokens")


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user, int(request.POST.get("organisation", "0") or 0))  # type: ignore[arg-type]
    request.session[SESSION_ORGANISATION_KEY] = actor.organisation.pk
    return redirect("portal:dashboard")
