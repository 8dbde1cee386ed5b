"""What a locked-out login sees (django-axes): JSON for the API, the portal page otherwise."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

LOCKED_STATUS = 429


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    if request.path.startswith("/api/"):
        message = _(
            "Too many failed attempts: logging in with this e-mail is paused for 15 minutes. "
            "Reset the password from the login page meanwhile."
        )
        return JsonResponse(
            {"code": "locked_out", "message": message, "field": "password"}, status=LOCKED_STATUS
        )
    return render(request, "registration/locked_out.html", status=LOCKED_STATUS)
