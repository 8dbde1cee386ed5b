"""One error body for every failure: {"code", "message", "field"} (and "suggestion" when a rule gives one)."""

import math

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from canal.core.errors import CanalError

# Pydantic writes its messages in English only; the API answers in the caller's language (Accept-Language),
# so the common kinds of invalid input get our own translated words, and the rest a general one.
_INPUT_MESSAGES = {
    "missing": gettext_noop("This field is required."),
    "extra_forbidden": gettext_noop("This field is not expected here; leave it out."),
    "string_type": gettext_noop("Enter text."),
    "string_too_short": gettext_noop("This text is too short."),
    "string_too_long": gettext_noop("This text is too long."),
    "string_pattern_mismatch": gettext_noop("This text does not have the expected form."),
    "int_type": gettext_noop("Enter a whole number."),
    "int_parsing": gettext_noop("Enter a whole number."),
    "int_from_float": gettext_noop("Enter a whole number."),
    "float_parsing": gettext_noop("Enter a number."),
    "decimal_parsing": gettext_noop("Enter a number."),
    "decimal_type": gettext_noop("Enter a number."),
    "bool_parsing": gettext_noop("Enter true or false."),
    "bool_type": gettext_noop("Enter true or false."),
    "greater_than": gettext_noop("This number is too small."),
    "greater_than_equal": gettext_noop("This number is too small."),
    "less_than": gettext_noop("This number is too large."),
    "less_than_equal": gettext_noop("This number is too large."),
    "date_parsing": gettext_noop("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": gettext_noop("Enter a date as YYYY-MM-DD."),
    "datetime_parsing": gettext_noop("Enter a date and time in ISO 8601."),
    "datetime_from_date_parsing": gettext_noop("Enter a date and time in ISO 8601."),
    "literal_error": gettext_noop("This value is not one of the allowed choices."),
    "enum": gettext_noop("This value is not one of the allowed choices."),
    "list_type": gettext_noop("Enter a list."),
    "dict_type": gettext_noop("Enter an object."),
    "model_type": gettext_noop("Enter an object."),
    "model_attributes_type": gettext_noop("Enter an object."),
    "json_invalid": gettext_noop("The body is not valid JSON."),
}


def _input_message(error: dict) -> str:
    """The reason for one invalid input in the active language: ours for the kinds we know, else general.
    A message our own validators raise (ValueError with translated words) is kept."""
    if error.get("type") == "value_error" and "ctx" in error and "error" in error["ctx"]:
        return str(error["ctx"]["error"])
    return _(_INPUT_MESSAGES.get(error.get("type", ""), gettext_noop("This value is not valid.")))


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
            "message": _input_message(first) if first else _("Invalid input."),
            "field": _field_of(first),
        }
        body["errors"] = [
            {"field": _field_of(error), "message": _input_message(error)} for error in exc.errors
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
        # ninja's own refusals (an unreadable body, a wrong method) are worded in English; say it ourselves.
        messages = {
            400: _("The body could not be read: send JSON (Content-Type: application/json) or form data."),
            405: _("This method is not allowed here; see the API documentation at /api/v1/docs."),
        }
        body = {"code": "error", "message": messages.get(exc.status_code, str(exc)), "field": None}
        return api.create_response(request, body, status=exc.status_code)
