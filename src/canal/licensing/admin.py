"""Django admin for operator staff. Servers, keys and history change only through services (audited),
so they are read-only here; the per-product license policy is configuration."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from canal.licensing.models import (
    ActivationKey,
    HardwareChange,
    Heartbeat,
    LicensePolicy,
    Release,
    Server,
    SigningKey,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LicensePolicy)
class LicensePolicyAdmin(admin.ModelAdmin):
    list_display = ("product", "hardware_change_limit")


@admin.register(Server)
class ServerAdmin(ReadOnlyAdmin):
    list_display = ("subscription", "status", "change_count", "change_limit", "last_heartbeat_at", "version")
    list_filter = ("status",)


@admin.register(ActivationKey)
class ActivationKeyAdmin(ReadOnlyAdmin):
    list_display = ("server", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("digest",)


@admin.register(HardwareChange)
class HardwareChangeAdmin(ReadOnlyAdmin):
    list_display = ("server", "at", "event", "change_count", "reason")
    list_filter = ("event",)


@admin.register(Heartbeat)
class HeartbeatAdmin(ReadOnlyAdmin):
    list_display = ("server", "at", "uptime_seconds", "clients_in_use", "version")


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdmin):
    list_display = ("product", "version", "published_on")


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyAdmin):
    list_display = ("vendor", "key_id", "created_at")
    exclude = ("private_key_encrypted",)
