"""What people do with license servers: activation keys, counter resets, releases, inactivity.

What the appliance itself does (activate, heartbeat, updates) is in `appliance.py`."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canal.accounts.actor import Actor
from canal.accounts.models import Role
from canal.catalog.models import Product
from canal.core import audit
from canal.core.errors import Conflict, NotFound, PermissionDenied, RuleViolation
from canal.licensing import codes, notices
from canal.licensing.models import (
    DEFAULT_CHANGE_LIMIT,
    ActivationKey,
    HardwareChange,
    HardwareEvent,
    LicensePolicy,
    Release,
    Server,
    ServerStatus,
)
from canal.licensing.selectors import appliance_products_of, server_license_for
from canal.licensing.states import SERVER_MACHINE
from canal.subscriptions.models import Subscription, SubscriptionStatus

KEY_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN, Role.TECHNICAL)
RESET_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN, Role.TECHNICAL, Role.SUPPORT_AGENT)
RELEASE_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN, Role.TECHNICAL)


def change_limit_for(product: Product) -> int:
    """R2.4: the default number of changes unless the vendor set another limit for the product."""
    policy = LicensePolicy.objects.filter(product=product).first()
    return policy.hardware_change_limit if policy else DEFAULT_CHANGE_LIMIT


def server_of(subscription: Subscription) -> Server:
    """The subscription's server row, made the first time it is needed; a racing creator's row wins."""
    server = Server.objects.filter(pk=subscription.pk).first()
    if server is not None:
        return server
    try:
        with transaction.atomic():
            return Server.objects.create(
                subscription=subscription, change_limit=change_limit_for(subscription.product)
            )
    except IntegrityError:
        return Server.objects.get(pk=subscription.pk)


def _customer_side(actor: Actor, subscription: Subscription) -> None:
    """Keys belong to the customer (or the partner managing it); the vendor and operator see, not hold."""
    if (
        actor.organisation.pk not in (subscription.customer_id, subscription.partner_id)
        and not actor.is_operator
    ):
        raise PermissionDenied(_("Only the customer (or its partner) manages the server's activation keys."))
    actor.require_role(*KEY_ROLES)


def issue_activation_key(*, actor: Actor, server_id: int) -> tuple[ActivationKey, str]:
    """A new key for the appliance, returned once in plain text; any earlier key stops working."""
    subscription = server_license_for(actor, server_id)
    _customer_side(actor, subscription)
    plaintext, prefix, digest = codes.new_activation_key()
    with transaction.atomic():
        # Checked under the license's lock, so a suspension or cancellation racing this key wins.
        locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if locked.status != SubscriptionStatus.ACTIVE:
            raise Conflict(
                _("This license is %(status)s: pay its order first, then make the activation key.")
                % {"status": locked.get_status_display().lower()},
                code="license_not_active",
                field="server",
            )
        server = Server.objects.select_for_update().get(pk=server_of(subscription).pk)
        now = timezone.now()
        revoked = server.activation_keys.filter(revoked_at__isnull=True).update(revoked_at=now)
        key = ActivationKey.objects.create(server=server, prefix=prefix, digest=digest, created_by=actor.user)
        audit.record(
            actor=actor,
            action="license_server.key_issued",
            obj=server,
            after={"prefix": prefix, "revoked_keys": revoked},
        )
    return key, plaintext


def revoke_activation_keys(*, actor: Actor, server_id: int) -> int:
    """The appliance's key stops working at once (a stolen or leaked key); a new one can be made."""
    subscription = server_license_for(actor, server_id)
    _customer_side(actor, subscription)
    with transaction.atomic():
        server = Server.objects.select_for_update().filter(pk=subscription.pk).first()
        live = ActivationKey.objects.filter(server_id=subscription.pk, revoked_at__isnull=True)
        revoked = live.update(revoked_at=timezone.now())
        if not revoked:
            raise RuleViolation(
                _("This server has no activation key to revoke."), code="no_key", field="server"
            )
        audit.record(
            actor=actor, action="license_server.key_revoked", obj=server, after={"revoked_keys": revoked}
        )
    return revoked


def reset_hardware_counter(*, actor: Actor, server_id: int, reason: str) -> Server:
    """R2.4: support resets the code-change counter (after a ticket about this server), with a reason.

    Done by the product's vendor or the operator's staff; the customer is told. Canal's support desk
    (issue 10) will call this from the ticket; until then the agent records the ticket in the reason."""
    subscription = server_license_for(actor, server_id)
    if not (actor.is_operator or actor.organisation.pk == subscription.product.vendor_id):
        raise PermissionDenied(
            _("Only the vendor's or the operator's support staff reset the counter. Open a support ticket.")
        )
    actor.require_role(*RESET_ROLES)
    reason = (reason or "").strip()[:300]
    if len(reason) < 3:
        raise RuleViolation(
            _("Say why the counter is reset (for example the ticket number and the hardware replaced)."),
            code="reason_required",
            field="reason",
        )
    with transaction.atomic():
        server = Server.objects.select_for_update().filter(pk=subscription.pk).first()
        if server is None or server.change_count == 0:
            raise RuleViolation(
                _("This server has not used any hardware-code change: there is nothing to reset."),
                code="nothing_to_reset",
                field="server",
            )
        before = {
            "change_count": server.change_count,
            "possible_fault": server.possible_fault_since is not None,
        }
        server.change_count = 0
        server.possible_fault_since = None
        server.save(update_fields=["change_count", "possible_fault_since"])
        HardwareChange.objects.create(
            server=server,
            at=timezone.now(),
            event=HardwareEvent.RESET,
            license_code=server.license_code,
            change_count=0,
            reason=reason,
            by=actor.user,
        )
        audit.record(
            actor=actor,
            action="license_server.counter_reset",
            obj=server,
            before=before,
            after={"change_count": 0, "possible_fault": False},
            reason=reason,
        )
        notices.counter_reset(subscription, limit=server.change_limit, reason=reason)
    return server


def publish_release(
    *, actor: Actor, product_code: str, version: str, published_on: date | None, notes: str = ""
) -> Release:
    """A vendor publishes a version of its appliance; servers receive it while updatable (R2.8)."""
    actor.require_role(*RELEASE_ROLES)
    if published_on is None:
        raise RuleViolation(_("Choose the publication date."), code="invalid_date", field="published_on")
    product = appliance_products_of(actor).filter(code=product_code).first()
    if product is None:
        raise NotFound(_("No appliance product of yours with this code."), field="product")
    version = version.strip()
    if not codes.is_version(version):
        raise RuleViolation(
            _("Write the version as numbers separated by dots, for example 7.4.1."),
            code="invalid_version",
            field="version",
            suggestion="7.4.1",
        )
    try:
        with transaction.atomic():
            release = Release.objects.create(
                product=product, version=version, published_on=published_on, notes=notes
            )
            audit.record(
                actor=actor,
                action="release.published",
                obj=release,
                after={"product": product.code, "version": version, "published_on": published_on.isoformat()},
            )
    except IntegrityError:
        raise Conflict(
            _("Version %(version)s of this product is already published.") % {"version": version},
            code="release_exists",
            field="version",
        ) from None
    return release


def inactive_after() -> timedelta:
    return timedelta(days=int(settings.LICENSING_INACTIVE_AFTER_DAYS))


def mark_inactive_servers(*, now: datetime | None = None) -> int:
    """R2.3: a server with no heartbeat for LICENSING_INACTIVE_AFTER_DAYS days shows as inactive.
    Safe to run again and from several workers: each row is re-checked under its lock."""
    now = now or timezone.now()
    cutoff = now - inactive_after()
    marked = 0
    stale = Server.objects.filter(status=ServerStatus.ACTIVE, last_heartbeat_at__lt=cutoff)
    for server_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            server = Server.objects.select_for_update().get(pk=server_id)
            if server.status != ServerStatus.ACTIVE or server.last_heartbeat_at >= cutoff:
                continue
            SERVER_MACHINE.transition(server, ServerStatus.INACTIVE, actor=None, reason="no heartbeat")
            marked += 1
    return marked
