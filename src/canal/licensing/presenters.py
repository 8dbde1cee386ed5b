"""Servers as interfaces show them: one dict for the API and the portal, so both say the same."""

from typing import Any

from django.utils.translation import gettext as _

from canal.licensing import codes, licenses
from canal.licensing.models import HardwareChange, Server, ServerStatus
from canal.subscriptions.models import Subscription


def server_row(subscription: Subscription) -> dict[str, Any]:
    server: Server | None = getattr(subscription, "server", None)
    return {
        "id": subscription.pk,
        "name": subscription.name or f"#{subscription.pk}",
        "customer_id": subscription.customer_id,
        "customer": subscription.customer.name,
        "product": subscription.product.code,
        "plan": subscription.plan.code if subscription.plan else "",
        "plan_name": subscription.plan.name if subscription.plan else "",
        "subscription_status": subscription.status,
        "status": server.status if server else ServerStatus.AWAITING_ACTIVATION,
        "status_label": (server.get_status_display() if server else ServerStatus.AWAITING_ACTIVATION.label),
        "clients": subscription.quantity,
        "modules": licenses.licensed_modules(subscription),
        "module_names": _module_names(subscription),
        "updatable_until": licenses.updatable_until(subscription),
        "license_code": codes.masked(server.license_code) if server else "",
        "changes_used": server.change_count if server else 0,
        "changes_allowed": server.change_limit if server else 0,
        "changes_left": server.changes_left if server else 0,
        "uptime_seconds": server.uptime_seconds if server else None,
        "uptime": uptime_label(server.uptime_seconds if server else None),
        "clients_in_use": server.clients_in_use if server else None,
        "version": server.version if server else "",
        "last_heartbeat_at": server.last_heartbeat_at if server else None,
        "over_licensed": bool(server and server.over_licensed_since),
        "possible_fault": bool(server and server.possible_fault_since),
        "has_key": subscription.has_live_key,  # annotated by selectors.servers_visible_to
        "bound": bool(server and server.hardware_digest),
    }


def hardware_change_row(change: HardwareChange) -> dict[str, Any]:
    """R2.3: history shows only the last part of each license code, as the server row does."""
    return {
        "at": change.at,
        "event": change.event,
        "event_label": change.get_event_display(),
        "license_code": change.license_code[-9:],
        "changes_used": change.change_count,
        "reason": change.reason,
    }


def release_row(release: Any) -> dict[str, Any]:
    return {
        "id": release.pk,
        "product": release.product.code,
        "version": release.version,
        "published_on": release.published_on,
        "notes": release.notes,
    }


def uptime_label(seconds: int | None) -> str:
    """R2.3: the last reported uptime, as days and hours."""
    if seconds is None:
        return "—"
    days, rest = divmod(seconds, 86400)
    return _("%(days)s d %(hours)s h") % {"days": days, "hours": rest // 3600}


def _module_names(subscription: Subscription) -> list[str]:
    names = {module.code: module.name for module in subscription.product.modules.all()}
    return [names.get(code, code) for code in licenses.licensed_modules(subscription)]
