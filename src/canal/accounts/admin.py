from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from canal.accounts.models import ApiToken, ClientRelationship, Membership, Organisation, ProductGrant, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "currency", "language", "created_at"]
    list_filter = ["kind", "country", "currency"]
    search_fields = ["name", "legal_id"]
    inlines = [MembershipInline]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "support_code", "is_active", "is_staff"]
    search_fields = ["email", "full_name", "support_code"]
    readonly_fields = ["support_code", "last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name", "language", "support_code")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class ProductGrantInline(admin.TabularInline):
    model = ProductGrant
    extra = 0


@admin.register(ClientRelationship)
class ClientRelationshipAdmin(admin.ModelAdmin):
    list_display = ["partner", "client", "access", "payment_mode", "status", "started_at"]
    list_filter = ["access", "payment_mode", "status"]
    inlines = [ProductGrantInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "organisation", "user", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "digest"]
