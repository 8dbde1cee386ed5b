from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    """A logged-in user's language (their profile; the ES/EN switch changes it too) wins over the browser's
    and over the switch's cookie, which only speaks for visitors who have not logged in. Not on the API,
    which follows Accept-Language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        # The API answers in the caller's Accept-Language, even when called with the portal's session.
        on_api = request.path.startswith("/api/")
        if user is not None and user.is_authenticated and user.language and not on_api:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
