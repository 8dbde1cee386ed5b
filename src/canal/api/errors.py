"""One error body for every failure: {"code", "message", "field"} (and "suggestion" when a rule gives one)."""

import math

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from canal.core.errors import CanalError


def _field_of(error: dict) -> str | None:
    location = [
        str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path", "payload")
    ]
    return ".".join(location) or None


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(CanalError)
    def canal_error(request: HttpRequest, exc: CanalError) -> HttpResponse:
        response = api.create_response(request, exc.as_dict(), status=exc.status)
        if retry_after := getattr(exc, "retry_after", None):
            response["Retry-After"] = str(retry_after)
        return response

    @api.exception_handler(ValidationError)
    def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        first = exc.errors[0] if exc.errors else {}
        body = {
            "code": "invalid",
            "message": first.get("msg", _("Invalid input.")),
            "field": _field_of(first),
        }
        body["errors"] = [
            {"field": _field_of(error), "message": error.get("msg", "")} for error in exc.errors
        ]
        return api.create_response(request, body, status=422)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        body = {"code": "not_found", "message": _("Not found."), "field": None}
        return api.create_response(request, body, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = _(
            "Authentication required: send 'Authorization: Bearer <token>' (POST /api/v1/auth/token)."
        )
        return api.create_response(
            request, {"code": "unauthenticated", "message": message, "field": None}, status=401
        )

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        message = _("Too many requests. Wait a moment and try again.")
        response = api.create_response(
            request, {"code": "throttled", "message": message, "field": None}, status=429
        )
        # Every 429 says when to come back, so well-behaved clients need not guess.
        response["Retry-After"] = str(max(1, math.ceil(exc.wait or 1)))
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        body = {"code": "error", "message": str(exc), "field": None}
        return api.create_response(request, body, status=exc.status_code)
