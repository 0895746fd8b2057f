from django.contrib import admin

from .models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records of what happened (audit events, import batches): browse and filter only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id", "student", "reason")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "reason", "actor__username", "student__student_no")
    date_hierarchy = "at"
