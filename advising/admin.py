from django.contrib import admin

from .models import AdvisorProfile, Counselor, HonorsClubRule, HonorsMembership, MentorChange, SpecialGroup


@admin.register(AdvisorProfile)
class AdvisorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "major", "year_levels", "accepts_mentees"]
    list_filter = ["accepts_mentees", "major__department__campus__institution"]
    search_fields = ["user__username", "user__display_name", "major__name"]
    autocomplete_fields = ["user"]


@admin.register(Counselor)
class CounselorAdmin(admin.ModelAdmin):
    list_display = ["user", "employment", "international"]
    autocomplete_fields = ["user"]


@admin.register(HonorsClubRule)
class HonorsClubRuleAdmin(admin.ModelAdmin):
    list_display = ["institution", "top_n", "top_percent", "min_mileage"]


@admin.register(HonorsMembership)
class HonorsMembershipAdmin(admin.ModelAdmin):
    list_display = ["year", "institution", "year_level", "rank", "student", "mileage"]
    list_filter = ["year", "institution", "year_level"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MentorChange)
class MentorChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "student", "previous", "mentor", "actor", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SpecialGroup)
class SpecialGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "institution", "created_by", "created_at"]
