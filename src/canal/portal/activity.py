"""The operator's recent activity as people read it: the object named in the reader's language (its
model's verbose name) and linked to its page where there is one, instead of "orders.order #6"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

from canal.core.models import AuditEntry

# Object types with a portal page, and the URL name that shows one.
PAGES = {
    "orders.order": "orders:detail",
    "billing.invoice": "billing:invoice",
    "subscriptions.subscription": "lifecycle:detail",
    "subscriptions.provisioningrequest": "orders:provisioning_detail",
}

# What happened, by the verb that ends an audit action code ("invoice.issued" -> "Issued"); the object
# column names the thing. A code not listed here is shown as it is stored.
VERBS = {
    "access_changed": pgettext_lazy("audit action", "Access changed"),
    "activated": pgettext_lazy("audit action", "Activated"),
    "added": pgettext_lazy("audit action", "Added"),
    "addresses_set": pgettext_lazy("audit action", "Addresses set"),
    "agent_assigned": pgettext_lazy("audit action", "Agent assigned"),
    "amount_corrected": pgettext_lazy("audit action", "Amount corrected"),
    "assigned": pgettext_lazy("audit action", "Assigned"),
    "attached": pgettext_lazy("audit action", "File attached"),
    "became_partner": pgettext_lazy("audit action", "Became a partner"),
    "bought": pgettext_lazy("audit action", "Bought"),
    "caller_identified": pgettext_lazy("audit action", "Caller identified"),
    "change_refused": pgettext_lazy("audit action", "Change refused"),
    "chosen": pgettext_lazy("audit action", "Chosen"),
    "classified": pgettext_lazy("audit action", "Classified"),
    "configured": pgettext_lazy("audit action", "Configured"),
    "counter_reset": pgettext_lazy("audit action", "Counter reset"),
    "created": pgettext_lazy("audit action", "Created"),
    "credited": pgettext_lazy("audit action", "Credited"),
    "customer_identified": pgettext_lazy("audit action", "Customer identified"),
    "deflected": pgettext_lazy("audit action", "Answered from the knowledge base"),
    "drafted": pgettext_lazy("audit action", "Drafted"),
    "ended": pgettext_lazy("audit action", "Ended"),
    "expired": pgettext_lazy("audit action", "Expired"),
    "granted": pgettext_lazy("audit action", "Granted"),
    "issued": pgettext_lazy("audit action", "Issued"),
    "joined": pgettext_lazy("audit action", "Joined"),
    "key_issued": pgettext_lazy("audit action", "Key issued"),
    "key_revoked": pgettext_lazy("audit action", "Key revoked"),
    "level_set": pgettext_lazy("audit action", "Level set"),
    "notified": pgettext_lazy("audit action", "Notified"),
    "opened": pgettext_lazy("audit action", "Opened"),
    "over_licensed": pgettext_lazy("audit action", "Over its licensed clients"),
    "overdue": pgettext_lazy("audit action", "Overdue"),
    "partner_intake": pgettext_lazy("audit action", "Received from a partner"),
    "payment_applied": pgettext_lazy("audit action", "Payment applied"),
    "pending": pgettext_lazy("audit action", "Pending"),
    "placed": pgettext_lazy("audit action", "Placed"),
    "posted": pgettext_lazy("audit action", "Posted"),
    "priority_access_set": pgettext_lazy("audit action", "Priority access set"),
    "product_imported": pgettext_lazy("audit action", "Product imported"),
    "published": pgettext_lazy("audit action", "Published"),
    "quoted": pgettext_lazy("audit action", "Quoted"),
    "registered": pgettext_lazy("audit action", "Registered"),
    "released": pgettext_lazy("audit action", "Released"),
    "removed": pgettext_lazy("audit action", "Removed"),
    "renewal_failed": pgettext_lazy("audit action", "Renewal failed"),
    "resent": pgettext_lazy("audit action", "Sent again"),
    "revoked": pgettext_lazy("audit action", "Revoked"),
    "sent": pgettext_lazy("audit action", "Sent"),
    "settings_changed": pgettext_lazy("audit action", "Settings changed"),
    "severity_changed": pgettext_lazy("audit action", "Severity changed"),
    "sla_configured": pgettext_lazy("audit action", "SLA configured"),
    "spent": pgettext_lazy("audit action", "Spent"),
    "submitted": pgettext_lazy("audit action", "Submitted"),
    "suspended": pgettext_lazy("audit action", "Suspended"),
    "terms_set": pgettext_lazy("audit action", "Terms set"),
    "trimmed": pgettext_lazy("audit action", "Reduced"),
    "unassigned": pgettext_lazy("audit action", "Unassigned"),
    "updated": pgettext_lazy("audit action", "Updated"),
    "upgraded_to_partnership": pgettext_lazy("audit action", "Upgraded to a partnership"),
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
            action=str(VERBS.get(entry.action.rsplit(".", 1)[-1], entry.action)),
            object_label=_label(entry.object_type, entry.object_id),
            url=_url(entry.object_type, entry.object_id),
        )
        for entry in entries
    ]
