import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from canal.core.request_context import close_request_memo, current_request_id, open_request_memo

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Takes X-Request-ID from a trusted proxy when it looks sane, else makes one; echoes it back.
    Also opens the request's memo (`canal.core.request_context.request_memo`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        memo = open_request_memo()
        try:
            response = self.get_response(request)
        finally:
            close_request_memo(memo)
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response
