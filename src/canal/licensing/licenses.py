"""Building and signing a server's license file from its subscription (docs/licensing.md)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings

from canal.licensing import license_file, signing
from canal.licensing.models import Server
from canal.subscriptions.models import Subscription


def updatable_until(subscription: Subscription) -> date:
    """The last day covered by updates: the day before the next term starts (R2.8)."""
    return subscription.term_end - timedelta(days=1)


def licensed_modules(subscription: Subscription) -> list[str]:
    # R2.5: Freemium includes every module the product offers.
    if subscription.plan is not None and subscription.plan.includes_all_modules:
        # `.all()` so a page of servers uses the modules its selector prefetched.
        return sorted(module.code for module in subscription.product.modules.all())
    return sorted(subscription.modules)


def offline_days() -> int:
    return int(settings.LICENSING_OFFLINE_DAYS)


def payload_of(server: Server, *, now: datetime, key_id: str = "") -> dict[str, Any]:
    subscription = server.subscription
    return {
        "server_id": server.pk,
        "server_name": subscription.name,
        "customer": subscription.customer.name,
        "customer_id": subscription.customer_id,
        "vendor": subscription.product.vendor.name,
        "product": subscription.product.code,
        "plan": subscription.plan.code if subscription.plan else "",
        "clients": subscription.quantity,
        "modules": licensed_modules(subscription),
        "updatable_until": updatable_until(subscription).isoformat(),
        "hardware_digest": server.hardware_digest,
        "license_code": server.license_code,
        "issued_at": now.isoformat(),
        "valid_until": (now + timedelta(days=offline_days())).isoformat(),
        "key_id": key_id,
    }


def issue(server: Server, *, now: datetime) -> dict[str, Any]:
    """A freshly signed file; the server remembers when and what, to know when the next one is due."""
    key = signing.key_for(server.subscription.product.vendor)
    payload = payload_of(server, now=now, key_id=key.key_id)
    document = license_file.sign(payload, key_id=key.key_id, private_key=signing.private_key(key))
    server.license_issued_at = now
    server.license_fingerprint = license_file.fingerprint(payload)
    server.save(update_fields=["license_issued_at", "license_fingerprint"])
    return document


def refresh_due(server: Server, *, now: datetime) -> bool:
    """A heartbeat gets a new file when what it grants changed or half its offline validity has passed."""
    if server.license_issued_at is None:
        return True
    if now - server.license_issued_at >= timedelta(days=offline_days()) / 2:
        return True
    return license_file.fingerprint(payload_of(server, now=now)) != server.license_fingerprint
