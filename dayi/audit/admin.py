from django.contrib import admin

from dayi.accounts.admin import ReadOnlyAdmin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The trail is only ever added to, by the services; here it can be read and searched."""

    list_display = ["created_at", "actor_label", "action", "target_type", "target_label"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "target_label", "target_id", "reason"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
