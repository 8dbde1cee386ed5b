"""What a paused login sees in the portal: the page saying how long to wait, with Retry-After."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from canal.accounts.login_throttle import LoginPaused


def paused_response(request: HttpRequest, paused: LoginPaused) -> HttpResponse:
    response = render(
        request, "registration/locked_out.html", {"seconds": paused.retry_after}, status=paused.status
    )
    response["Retry-After"] = str(paused.retry_after)
    return response
