"""Read-only admin views: batches and their rows are records of what happened."""
from django.contrib import admin

from .models import ImportBatch, ImportedRow


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "source", "file_name", "row_count", "created_count", "skipped_count",
                    "uploaded_by"]
    list_filter = ["source", "status"]
    search_fields = ["file_name", "sha256"]


@admin.register(ImportedRow)
class ImportedRowAdmin(ReadOnlyAdmin):
    list_display = ["batch", "row_number", "source", "row_key", "student", "entry"]
    list_filter = ["source"]
    search_fields = ["row_key", "student__student_no"]
    raw_id_fields = ["batch", "student", "entry"]
