"""License servers (R2.3, R2.4): the appliance a customer runs under one on-premise license subscription,
its activation keys, hardware-code history, heartbeats, and the vendor's releases and signing key.

A server shares its primary key with its subscription, so "server 12" is the license of subscription 12
before and after the appliance first activates. Name, clients, modules and updatable-until are the
subscription's (changed by orders, R2.5-R2.8); everything the appliance reports lives here.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# R2.4: hardware-code changes a license allows unless its vendor sets another limit (LicensePolicy).
DEFAULT_CHANGE_LIMIT = 3


class ServerStatus(models.TextChoices):
    AWAITING_ACTIVATION = "awaiting_activation", _("Awaiting activation")
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class LicensePolicy(models.Model):
    """A vendor's per-product settings for its licenses; products without a row use the defaults."""

    product = models.OneToOneField(
        "catalog.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="license_policy"
    )
    hardware_change_limit = models.PositiveSmallIntegerField(
        _("hardware-code changes allowed"), default=DEFAULT_CHANGE_LIMIT
    )

    class Meta:
        verbose_name = _("license policy")
        verbose_name_plural = _("license policies")

    def __str__(self) -> str:
        return f"{self.product} · {self.hardware_change_limit}"


class Server(models.Model):
    subscription = models.OneToOneField(
        "subscriptions.Subscription",
        verbose_name=_("license"),
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="server",
    )
    status = models.CharField(
        _("status"), max_length=24, choices=ServerStatus.choices, default=ServerStatus.AWAITING_ACTIVATION
    )
    # Only a digest of the hardware code is kept: the license code is derived from it (R2.4).
    hardware_digest = models.CharField(_("hardware-code digest"), max_length=64, blank=True)
    license_code = models.CharField(_("license code"), max_length=40, blank=True)
    change_count = models.PositiveSmallIntegerField(_("hardware-code changes used"), default=0)
    change_limit = models.PositiveSmallIntegerField(
        _("hardware-code changes allowed"), default=DEFAULT_CHANGE_LIMIT
    )
    bound_at = models.DateTimeField(_("first activated at"), null=True, blank=True)
    possible_fault_since = models.DateTimeField(_("possible hardware fault since"), null=True, blank=True)
    last_heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True, db_index=True)
    uptime_seconds = models.PositiveBigIntegerField(_("uptime (seconds)"), null=True, blank=True)
    clients_in_use = models.PositiveIntegerField(_("clients in use"), null=True, blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)
    over_licensed_since = models.DateTimeField(_("over the licensed count since"), null=True, blank=True)
    license_issued_at = models.DateTimeField(_("license file issued at"), null=True, blank=True)
    license_fingerprint = models.CharField(_("license file fingerprint"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("license server")
        verbose_name_plural = _("license servers")
        ordering = ["subscription_id"]
        constraints = [
            # R2.4: however many activations race, the counter never passes its limit.
            models.CheckConstraint(
                condition=Q(change_count__lte=F("change_limit")), name="server_changes_within_limit"
            )
        ]

    def __str__(self) -> str:
        return self.subscription.name or f"server {self.pk}"

    @property
    def changes_left(self) -> int:
        return self.change_limit - self.change_count


class ActivationKey(models.Model):
    """The appliance's credential: shown once, stored as a SHA-256 digest, revocable."""

    server = models.ForeignKey(
        Server, verbose_name=_("server"), on_delete=models.CASCADE, related_name="activation_keys"
    )
    prefix = models.CharField(_("prefix"), max_length=16)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("activation key")
        verbose_name_plural = _("activation keys")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}…"


class HardwareEvent(models.TextChoices):
    BOUND = "bound", _("First activation")
    CHANGED = "changed", _("Hardware code changed")
    REFUSED = "refused", _("Change refused: limit reached")
    RESET = "reset", _("Counter reset")


class HardwareChange(models.Model):
    """Append-only history of a server's hardware codes and counter resets (R2.4)."""

    server = models.ForeignKey(
        Server, verbose_name=_("server"), on_delete=models.CASCADE, related_name="hardware_changes"
    )
    at = models.DateTimeField(_("at"), db_index=True)
    event = models.CharField(_("event"), max_length=16, choices=HardwareEvent.choices)
    license_code = models.CharField(_("license code"), max_length=40, blank=True)
    change_count = models.PositiveSmallIntegerField(_("changes used after"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("hardware-code change")
        verbose_name_plural = _("hardware-code changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.server_id} {self.event} {self.at:%Y-%m-%d}"


class Heartbeat(models.Model):
    server = models.ForeignKey(
        Server, verbose_name=_("server"), on_delete=models.CASCADE, related_name="heartbeats"
    )
    at = models.DateTimeField(_("at"))
    uptime_seconds = models.PositiveBigIntegerField(_("uptime (seconds)"))
    clients_in_use = models.PositiveIntegerField(_("clients in use"))
    version = models.CharField(_("version"), max_length=40)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["server", "at"])]

    def __str__(self) -> str:
        return f"{self.server_id} {self.at:%Y-%m-%d %H:%M}"


class Release(models.Model):
    """A version of an appliance product; servers receive the ones published by their updatable-until."""

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="releases"
    )
    version = models.CharField(_("version"), max_length=40)
    published_on = models.DateField(_("published on"))
    notes = models.TextField(_("release notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-published_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["product", "version"], name="one_release_per_version")]

    def __str__(self) -> str:
        return f"{self.product} {self.version}"


class SigningKey(models.Model):
    """A vendor's Ed25519 key pair for license files. The private half is encrypted at rest."""

    vendor = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("vendor"),
        on_delete=models.PROTECT,
        related_name="signing_key",
    )
    key_id = models.CharField(_("key id"), max_length=32, unique=True)
    public_key = models.CharField(_("public key (base64)"), max_length=64)
    private_key_encrypted = models.TextField(_("private key (encrypted)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self) -> str:
        return self.key_id
