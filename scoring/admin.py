"""Stored results in the Django admin, read-only: to find the students whose evaluation failed
(filter "stale") and read the engine's error. Results are written by scoring.services only."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import StoredResult


class StaleFilter(admin.SimpleListFilter):
    title = _("not up to date")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", _("Last evaluation failed")), ("no", _("Up to date"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(error="")
        if self.value() == "no":
            return queryset.filter(error="")
        return queryset


@admin.register(StoredResult)
class StoredResultAdmin(admin.ModelAdmin):
    list_display = ["student", "program", "total", "passed", "computed_at", "stale_since", "error"]
    list_filter = [StaleFilter, "program"]
    search_fields = ["student__student_no", "student__name", "error"]
    list_select_related = ["student"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
