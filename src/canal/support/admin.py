"""Django admin for operator staff, read-only: tickets move only through the services (state machine,
credits through the ledger), so the admin is for looking things up, not for editing them."""

from django.contrib import admin

from canal.billing.admin import ReadOnlyAdmin
from canal.support.models import Deflection, PackPurchase, Ticket, TicketMessage


class MessageInline(admin.TabularInline):
    model = TicketMessage
    extra = 0
    can_delete = False
    fields = ("created_at", "author", "kind", "body")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = (
        "number",
        "title",
        "customer",
        "vendor",
        "status",
        "quoted_credits",
        "charged_credits",
        "agent",
    )
    list_filter = ("status", "vendor", "channel")
    search_fields = ("number", "title", "customer__name")
    inlines = [MessageInline]


@admin.register(PackPurchase)
class PackPurchaseAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "organisation", "pack", "credits", "pay_with", "status", "invoice")
    list_filter = ("status", "pay_with")


@admin.register(Deflection)
class DeflectionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "category", "organisation", "user")
