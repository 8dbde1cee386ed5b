from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from canal.accounts.lockout import paused_response
from canal.accounts.login_throttle import LoginPaused
from canal.core.errors import NotFound, PermissionDenied
from canal.portal.actor import portal_actor
from canal.portal.navigation import kinds_allowed


class CanalErrorMiddleware:
    """Portal pages answer 404 for what the actor may not see and 403 for what its role may not do."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any) -> None:
        """A menu page for organisations of other kinds answers 404, not an empty page (issue 14)."""
        match = request.resolver_match
        kinds = kinds_allowed(match.view_name) if match else None
        if kinds is None or not request.user.is_authenticated:
            return
        try:
            kind = portal_actor(request).kind
        except NotFound:  # a user of no organisation: the view itself says so
            return
        if kind not in kinds:
            raise Http404

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, LoginPaused):
            return paused_response(request, exception)
        if isinstance(exception, NotFound):
            raise Http404(str(exception.message)) from exception
        if isinstance(exception, PermissionDenied):
            raise DjangoPermissionDenied(str(exception.message)) from exception
        return None
