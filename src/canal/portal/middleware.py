from collections.abc import Callable

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from canal.accounts.lockout import paused_response
from canal.accounts.login_throttle import LoginPaused
from canal.core.errors import NotFound, PermissionDenied


class CanalErrorMiddleware:
    """Portal pages answer 404 for what the actor may not see and 403 for what its role may not do."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, LoginPaused):
            return paused_response(request, exception)
        if isinstance(exception, NotFound):
            raise Http404(str(exception.message)) from exception
        if isinstance(exception, PermissionDenied):
            raise DjangoPermissionDenied(str(exception.message)) from exception
        return None
