"""Django admin for operator staff. Money moves only through services, so the ledger, invoices and
payments are read-only here; tax rates, billing accounts and recurring charges are configuration."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from canal.billing.models import (
    Account,
    BillingAccount,
    BillingRecord,
    BillingRun,
    Invoice,
    InvoiceLine,
    JournalEntry,
    Payment,
    Posting,
    RecordEvent,
    RecurringCharge,
    TaxRate,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TaxRate)
class TaxRateAdmin(admin.ModelAdmin):
    list_display = ["country", "name", "rate", "reverse_charge_for_business"]


@admin.register(BillingAccount)
class BillingAccountAdmin(admin.ModelAdmin):
    list_display = ["organisation", "cycle_anchor_day", "payment_terms_days", "pay_from_wallet"]
    search_fields = ["organisation__name"]
    raw_id_fields = ["organisation"]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "kind", "currency", "balance"]
    list_filter = ["kind", "currency"]
    search_fields = ["organisation__name"]


class PostingInline(ReadOnlyInline):
    model = Posting
    fields = ["account", "amount", "currency"]


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "booked_at", "reason", "memo_text", "invoice", "payment"]
    list_filter = ["reason"]
    inlines = [PostingInline]


class InvoiceLineInline(ReadOnlyInline):
    model = InvoiceLine
    fields = [
        "position",
        "description",
        "quantity",
        "unit_price",
        "net_amount",
        "tax_rate",
        "tax_amount",
        "total_amount",
    ]


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "kind",
        "status",
        "organisation",
        "issue_date",
        "currency",
        "total",
        "amount_paid",
    ]
    list_filter = ["kind", "status", "currency"]
    search_fields = ["code", "organisation__name"]
    inlines = [InvoiceLineInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "organisation", "method", "purpose", "status", "currency", "amount"]
    list_filter = ["method", "status"]
    search_fields = ["organisation__name", "reference"]


@admin.register(RecurringCharge)
class RecurringChargeAdmin(ReadOnlyAdmin):
    list_display = [
        "description",
        "payer",
        "beneficiary",
        "amount",
        "currency",
        "next_billing_date",
        "active",
    ]
    list_filter = ["active", "currency", "period_months"]
    search_fields = ["description", "payer__name"]


@admin.register(BillingRun)
class BillingRunAdmin(ReadOnlyAdmin):
    list_display = [
        "run_date",
        "status",
        "started_at",
        "heartbeat_at",
        "finished_at",
        "resumes",
        "invoices_issued",
        "charges_billed",
        "failures",
        "worker",
    ]


@admin.register(BillingRecord)
class BillingRecordAdmin(ReadOnlyAdmin):
    list_display = ["issuer_nif", "sequence", "invoice_number", "issue_date", "invoice_type", "state"]
    list_filter = ["state", "invoice_type", "issuer_nif"]
    search_fields = ["invoice_number", "fingerprint"]


@admin.register(RecordEvent)
class RecordEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "issuer_nif", "text", "user"]
    list_filter = ["kind"]
