from django.contrib import admin

from canal.partners.models import PartnerProfile, ProgrammeLevel


@admin.register(ProgrammeLevel)
class ProgrammeLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "discount_rate", "cashback_rate", "rank", "operator"]


@admin.register(PartnerProfile)
class PartnerProfileAdmin(admin.ModelAdmin):
    list_display = ["organisation", "level", "listed_in_directory", "receives_tenders", "joined_at"]
    list_filter = ["level", "listed_in_directory"]
