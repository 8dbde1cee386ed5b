from django.http import HttpRequest

from canal.accounts.actor import Actor, actor_for
from canal.api.auth import SESSION_ORGANISATION_KEY


def portal_actor(request: HttpRequest) -> Actor:
    """The logged-in user acting for the organisation picked in the switcher (or its first one)."""
    cached = getattr(request, "_canal_actor", None)
    if cached is None:
        cached = actor_for(request.user, request.session.get(SESSION_ORGANISATION_KEY))  # type: ignore[arg-type]
        request._canal_actor = cached  # type: ignore[attr-defined]
    return cached
