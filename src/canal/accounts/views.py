from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from canal.accounts import selectors, services
from canal.accounts.actor import actor_for
from canal.accounts.forms import LanguageForm, NewTokenForm
from canal.accounts.language import set_user_language
from canal.api.auth import SESSION_ORGANISATION_KEY
from canal.core.errors import CanalError
from canal.portal.actor import portal_actor


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    form = LanguageForm(
        request.POST or None, initial={"language": request.user.language or request.LANGUAGE_CODE}
    )
    if request.method == "POST" and form.is_valid():
        set_user_language(user=request.user, language=form.cleaned_data["language"])  # type: ignore[arg-type]
        translation.activate(form.cleaned_data["language"])  # the confirmation already in the new language
        messages.success(request, _("Your language is saved; the portal and your e-mails use it."))
        return redirect("profile")
    return render(request, "accounts/profile.html", {"actor": actor, "language_form": form})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The ES/EN switch: for a logged-in user it changes the profile language (kept at the next login and on
    other devices), for a visitor only the cookie."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        set_user_language(user=request.user, language=language)  # type: ignore[arg-type]
    return i18n.set_language(request)


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
