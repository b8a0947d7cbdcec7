"""Read-only admin views for the operator: every change goes through the pages' services, so
that it is checked, audited and notified."""

from django.contrib import admin

from dayi.accounts.admin import ReadOnlyAdmin

from .models import Complaint, Outcome, Review


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["order", "author", "attitude", "timeliness", "quality", "value", "created_at"]
    list_select_related = ["order", "author"]
    search_fields = ["order__id", "order__instrument__name", "comment"]


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ["pk", "subject", "unit", "status", "filed_at", "answer_due", "escalated_at"]
    list_filter = ["status"]
    list_select_related = ["unit"]
    search_fields = ["subject", "unit__name"]


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "order", "achieved_on", "acknowledges_platform"]
    list_filter = ["kind", "acknowledges_platform"]
    search_fields = ["title", "reference"]
