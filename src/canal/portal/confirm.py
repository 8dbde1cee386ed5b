"""The shared "check, then confirm" step before an action that moves money or cannot be undone: the form
posts once to see exactly what will happen (amount, means, what changes), and once more to do it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED = "confirmed"
_NOT_CARRIED = {"csrfmiddlewaretoken", CONFIRMED}


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    strong: bool = False


def confirmed(request: HttpRequest) -> bool:
    """Whether this POST is the second one, sent from the confirmation page."""
    return request.POST.get(CONFIRMED) == "1"


def ask(
    request: HttpRequest,
    *,
    title: str,
    facts: list[Fact],
    confirm_label: str,
    back_url: str,
    note: str = "",
    danger: bool = False,
    details_template: str = "",
    details: dict[str, Any] | None = None,
) -> HttpResponse:
    """The confirmation page: `facts` say what will happen (and `details_template`, rendered with
    `details`, shows a breakdown); the same form fields (the idempotency key among them) are posted
    again to the same URL with `confirmed=1`."""
    # Every value of a repeated field (the modules or add-ons ticked), not only the last one.
    carried = [
        (name, value) for name, values in request.POST.lists() if name not in _NOT_CARRIED for value in values
    ]
    context = {
        "title": title,
        "facts": facts,
        "note": note,
        "carried": carried,
        "action": request.path,
        "confirm_label": confirm_label,
        "back_url": back_url,
        "danger": danger,
        "details_template": details_template,
        **(details or {}),
    }
    return render(request, "portal/confirm.html", context)
