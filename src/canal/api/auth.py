"""API authentication: an organisation's bearer token, or the portal's session (for htmx calls)."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from canal.accounts.actor import actor_for
from canal.accounts.services import authenticate_token
from canal.core.errors import NotFound

SESSION_ORGANISATION_KEY = "canal_organisation_id"


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        actor = authenticate_token(token)
        if actor is not None:
            request.actor = actor  # type: ignore[attr-defined]
        return actor


class PortalSessionAuth(SessionAuth):
    """The logged-in portal user, acting for the organisation chosen in the portal."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not request.user.is_authenticated:
            return None
        try:
            actor = actor_for(request.user, request.session.get(SESSION_ORGANISATION_KEY))  # type: ignore[arg-type]
        except NotFound:
            return None
        request.actor = actor  # type: ignore[attr-defined]
        return actor


token_or_session = [TokenAuth(), PortalSessionAuth()]
