"""Operator staff browse the catalog here; changes go through catalog files (`canal import-catalog`)."""

from django.contrib import admin

from canal.catalog.models import (
    AddOn,
    LicenseType,
    Module,
    OnboardingPackage,
    Plan,
    Price,
    PriceList,
    Product,
    SupportPack,
    TicketCategory,
)


class PlanInline(admin.TabularInline):
    model = Plan
    fk_name = "product"
    extra = 0
    fields = ["code", "name", "rank", "term", "trial_days", "min_quantity", "max_quantity", "quantity_step"]


class AddOnInline(admin.TabularInline):
    model = AddOn
    extra = 0
    fields = ["code", "name", "plans"]


class PackageInline(admin.TabularInline):
    model = OnboardingPackage
    extra = 0
    fields = ["code", "name", "seat_limit", "plans"]


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ["code", "name"]


class LicenseTypeInline(admin.TabularInline):
    model = LicenseType
    extra = 0
    fields = ["code", "name"]


class SupportPackInline(admin.TabularInline):
    model = SupportPack
    extra = 0
    fields = ["code", "name", "credits"]


class TicketCategoryInline(admin.TabularInline):
    model = TicketCategory
    extra = 0
    fields = ["code", "name", "cost_licensed", "cost_unlicensed"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "vendor", "kind", "unit", "priority_support", "is_active"]
    list_filter = ["kind", "unit", "priority_support", "is_active", "vendor"]
    search_fields = ["code", "name", "vendor__name"]
    inlines = [
        PlanInline,
        AddOnInline,
        PackageInline,
        ModuleInline,
        LicenseTypeInline,
        SupportPackInline,
        TicketCategoryInline,
    ]


class PriceInline(admin.TabularInline):
    model = Price
    extra = 0
    fields = ["item_kind", "item_code", "model", "amount", "tiers"]


@admin.register(PriceList)
class PriceListAdmin(admin.ModelAdmin):
    list_display = ["product", "currency"]
    list_filter = ["currency"]
    inlines = [PriceInline]
