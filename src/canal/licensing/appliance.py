"""What the appliance does through its own API (docs/licensing.md): activate with its hardware code,
report heartbeats, ask for updates. The caller is the server named by its activation key, not a user,
so audit rows name no user and say "appliance"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canal.core import audit
from canal.core.errors import Conflict
from canal.licensing import codes, licenses, notices
from canal.licensing.models import (
    ActivationKey,
    HardwareChange,
    HardwareEvent,
    Heartbeat,
    Release,
    Server,
    ServerStatus,
)
from canal.licensing.states import SERVER_MACHINE
from canal.subscriptions.models import SubscriptionStatus

# R2.4: two changes within this many days flag the server as a possible hardware fault.
FAULT_WINDOW_DAYS = 30


def server_for_key(plaintext: str, *, now: datetime | None = None) -> Server | None:
    """The server a live key belongs to, or None (unknown or revoked keys look the same)."""
    if not plaintext.startswith(codes.KEY_PREFIX):
        return None
    key = (
        ActivationKey.objects.filter(digest=codes.key_digest(plaintext), revoked_at__isnull=True)
        .select_related("server")
        .first()
    )
    if key is None:
        return None
    now = now or timezone.now()
    # At most one write a minute per key, so heartbeats do not turn every request into two writes.
    if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1):
        ActivationKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key.server


def _locked(server: Server) -> Server:
    return (
        Server.objects.select_for_update(of=("self",))
        .select_related(
            "subscription",
            "subscription__product",
            "subscription__product__vendor",
            "subscription__customer",
            "subscription__plan",
        )
        .get(pk=server.pk)
    )


def _require_active_license(server: Server) -> None:
    # A suspended license binds no new hardware and gets no new license file until it is active again;
    # its appliance still reports heartbeats.
    subscription = server.subscription
    if subscription.status != SubscriptionStatus.ACTIVE:
        raise Conflict(
            _("This license is %(status)s and cannot be used.")
            % {"status": subscription.get_status_display().lower()},
            code="license_not_active",
        )


class LimitReached(Conflict):
    default_code = "hardware_change_limit_reached"


def _limit_message(server: Server) -> str:
    return _(
        "This server has used all %(limit)s hardware-code changes its license allows. Open a support "
        "ticket asking for a reset of the code-change counter; the server activates once it is reset."
    ) % {"limit": server.change_limit}


@dataclass(frozen=True)
class Activation:
    license: dict[str, Any]
    license_code: str
    changes_used: int
    changes_allowed: int
    warning: str


def activate(*, server: Server, hardware_code: str, now: datetime | None = None) -> Activation:
    """R2.4: the first hardware code binds the server; another one uses one change; at the limit the
    activation is refused (and recorded) until support resets the counter."""
    now = now or timezone.now()
    digest = codes.hardware_digest(hardware_code)
    refused = False
    with transaction.atomic():
        server = _locked(server)
        _require_active_license(server)
        subscription = server.subscription
        new_code = codes.license_code(subscription.product.code, digest)
        before = {"license_code": server.license_code, "change_count": server.change_count}
        if not server.hardware_digest:
            _bind(server, digest, new_code, now)
        elif server.hardware_digest != digest:
            if server.change_count >= server.change_limit:
                HardwareChange.objects.create(
                    server=server,
                    at=now,
                    event=HardwareEvent.REFUSED,
                    license_code=new_code,
                    change_count=server.change_count,
                )
                audit.record(
                    actor=None,
                    action="license_server.change_refused",
                    obj=server,
                    before=before,
                    reason="appliance",
                )
                notices.limit_reached(subscription, limit=server.change_limit)
                refused = True
            else:
                _change(server, digest, new_code, now)
        if not refused:
            if server.status != ServerStatus.ACTIVE:
                SERVER_MACHINE.transition(
                    server,
                    ServerStatus.ACTIVE,
                    actor=None,
                    reason="appliance",
                    extra={"last_heartbeat_at": now},
                )
            audit.record(
                actor=None,
                action="license_server.activated",
                obj=server,
                before=before,
                after={"license_code": server.license_code, "change_count": server.change_count},
                reason="appliance",
            )
            document = licenses.issue(server, now=now)
    if refused:  # raised after the commit, so the refusal stays recorded and the customer is told
        raise LimitReached(_limit_message(server), field="hardware_code")
    return Activation(
        license=document,
        license_code=server.license_code,
        changes_used=server.change_count,
        changes_allowed=server.change_limit,
        warning=_last_change_warning(server),
    )


def _bind(server: Server, digest: str, code: str, now: datetime) -> None:
    server.hardware_digest, server.license_code, server.bound_at = digest, code, now
    server.save(update_fields=["hardware_digest", "license_code", "bound_at"])
    HardwareChange.objects.create(
        server=server, at=now, event=HardwareEvent.BOUND, license_code=code, change_count=0
    )


def _change(server: Server, digest: str, code: str, now: datetime) -> None:
    previous_change = (
        server.hardware_changes.filter(event=HardwareEvent.CHANGED)
        .order_by("-at", "-id")
        .values_list("at", flat=True)
        .first()
    )
    server.hardware_digest, server.license_code = digest, code
    server.change_count += 1
    fields = ["hardware_digest", "license_code", "change_count"]
    recent = previous_change is not None and now - previous_change <= timedelta(days=FAULT_WINDOW_DAYS)
    if recent and server.possible_fault_since is None:
        server.possible_fault_since = now
        fields.append("possible_fault_since")
        notices.possible_fault(server.subscription, days=FAULT_WINDOW_DAYS)
    server.save(update_fields=fields)
    HardwareChange.objects.create(
        server=server,
        at=now,
        event=HardwareEvent.CHANGED,
        license_code=code,
        change_count=server.change_count,
    )
    if server.changes_left == 1:  # R2.19
        notices.last_change_left(server.subscription, used=server.change_count, limit=server.change_limit)


def _last_change_warning(server: Server) -> str:
    if server.changes_left != 1:
        return ""
    return _(
        "One hardware-code change left. Open a support ticket asking for a reset of the code-change "
        "counter before changing hardware again."
    )


@dataclass(frozen=True)
class HeartbeatAnswer:
    status: str
    over_licensed: bool
    license: dict[str, Any] | None


def _require_activated(server: Server) -> None:
    if not server.hardware_digest:
        raise Conflict(_("Activate the server with its hardware code first."), code="not_activated")


def heartbeat(
    *, server: Server, uptime_seconds: int, clients_in_use: int, version: str, now: datetime | None = None
) -> HeartbeatAnswer:
    """Records what the appliance reports; flags use above the licensed client count once per episode."""
    now = now or timezone.now()
    with transaction.atomic():
        server = _locked(server)
        _require_activated(server)
        subscription = server.subscription
        Heartbeat.objects.create(
            server=server,
            at=now,
            uptime_seconds=uptime_seconds,
            clients_in_use=clients_in_use,
            version=version,
        )
        over = clients_in_use > subscription.quantity
        if over and server.over_licensed_since is None:
            server.over_licensed_since = now
            audit.record(
                actor=None,
                action="license_server.over_licensed",
                obj=server,
                after={"clients_in_use": clients_in_use, "licensed": subscription.quantity},
                reason="appliance",
            )
            notices.over_licensed(subscription, in_use=clients_in_use)
        elif not over:
            server.over_licensed_since = None
        server.last_heartbeat_at, server.uptime_seconds = now, uptime_seconds
        server.clients_in_use, server.version = clients_in_use, version
        server.save(
            update_fields=[
                "over_licensed_since",
                "last_heartbeat_at",
                "uptime_seconds",
                "clients_in_use",
                "version",
            ]
        )
        if server.status == ServerStatus.INACTIVE:
            SERVER_MACHINE.transition(server, ServerStatus.ACTIVE, actor=None, reason="heartbeat")
        document = None
        if subscription.status == SubscriptionStatus.ACTIVE and licenses.refresh_due(server, now=now):
            document = licenses.issue(server, now=now)
    return HeartbeatAnswer(status=server.status, over_licensed=over, license=document)


@dataclass(frozen=True)
class Updates:
    current_version: str
    updatable_until: Any
    latest: Release | None
    newer_withheld: bool


def updates(*, server: Server, current_version: str) -> Updates:
    """The newest release published on or before updatable-until and newer than the running version.
    Expired maintenance degrades, never disables: newer releases are only withheld (R2.8)."""
    subscription = server.subscription
    until = licenses.updatable_until(subscription)
    current = codes.version_key(current_version)
    releases = list(Release.objects.filter(product_id=subscription.product_id))
    newer = [release for release in releases if codes.version_key(release.version) > current]
    allowed = [release for release in newer if release.published_on <= until]
    latest = max(allowed, key=lambda release: codes.version_key(release.version), default=None)
    # Anything newer than what is offered was published after updatable-until (else it would be offered).
    offered = codes.version_key(latest.version) if latest else current
    withheld = any(codes.version_key(release.version) > offered for release in newer)
    return Updates(
        current_version=current_version, updatable_until=until, latest=latest, newer_withheld=withheld
    )
