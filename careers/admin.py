from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CareerEntry, Evidence, Organization, SelfIntroduction, StudentProfile


@admin.register(StudentProfile)
class StudentProfileAdmin(SimpleHistoryAdmin):
    list_display = ("student_no", "name", "major", "admission_year", "admission_type", "year_level", "mentor")
    list_filter = ("admission_type", "year_level", "major__department__campus")
    search_fields = ("student_no", "name")
    raw_id_fields = ("user", "mentor")


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "active")
    search_fields = ("name", "aliases")


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    can_delete = False
    readonly_fields = ("original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CareerEntry)
class CareerEntryAdmin(SimpleHistoryAdmin):
    """Read-only here: status changes only through careers.services (the pages and the API)."""

    list_display = ("student", "kind", "status", "date", "organization_direct_input", "source")
    list_filter = ("status", "kind", "organization_direct_input", "source")
    search_fields = ("student__student_no", "student__name")
    inlines = [EvidenceInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(SelfIntroduction)
class SelfIntroductionAdmin(SimpleHistoryAdmin):
    list_display = ("student", "updated_at")
