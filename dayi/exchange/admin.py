from django.contrib import admin

from dayi.accounts.admin import ReadOnlyAdmin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    """Read-only: a job's outcome is a record of what happened, changed only by the import."""

    list_display = ["file_name", "unit", "created_by", "status", "total_rows", "created_count", "created_at"]
    list_filter = ["status"]
    search_fields = ["file_name", "unit__name", "created_by__username"]
    list_select_related = ["unit", "created_by"]
