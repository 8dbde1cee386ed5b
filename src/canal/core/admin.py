from django.contrib import admin

from canal.core.models import AuditEntry, IdempotencyKey, ScheduledRun


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail is evidence: readable by staff, never edited."""

    list_display = ["at", "action", "object_type", "object_id", "user", "organisation", "request_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "request_id", "user__email", "organisation__name"]
    date_hierarchy = "at"

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    list_display = ["scope", "key", "response_status", "created_at"]
    search_fields = ["scope", "key"]


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    list_display = ["job", "slot", "claimed_by", "claimed_at"]
    list_filter = ["job"]
