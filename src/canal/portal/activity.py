"""The operator's recent activity as people read it: the object named in the reader's language (its
model's verbose name) and linked to its page where there is one, instead of "orders.order #6"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from canal.core.models import AuditEntry

# Object types with a portal page, and the URL name that shows one.
PAGES = {
    "orders.order": "orders:detail",
    "billing.invoice": "billing:invoice",
    "subscriptions.subscription": "lifecycle:detail",
    "subscriptions.provisioningrequest": "orders:provisioning_detail",
}


@dataclass(frozen=True)
class Activity:
    at: datetime
    who: str
    action: str
    object_label: str
    url: str


def _label(object_type: str, object_id: str) -> str:
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return f"{object_type} #{object_id}"
    return f"{str(model._meta.verbose_name).capitalize()} #{object_id}"


def _url(object_type: str, object_id: str) -> str:
    name = PAGES.get(object_type)
    if name is None or not object_id.isdigit():
        return ""
    try:
        return reverse(name, args=[int(object_id)])
    except NoReverseMatch:
        return ""


def activity_of(entries: Iterable[AuditEntry]) -> list[Activity]:
    return [
        Activity(
            at=entry.at,
            who=str(entry.user) if entry.user_id else "",
            action=entry.action,
            object_label=_label(entry.object_type, entry.object_id),
            url=_url(entry.object_type, entry.object_id),
        )
        for entry in entries
    ]
