"""Read-only admin views: batches and their rows are records of what happened."""
from django.contrib import admin

from audit.admin import ReadOnlyAdmin

from .models import ImportBatch, ImportedRow


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
