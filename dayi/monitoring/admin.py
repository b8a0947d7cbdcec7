from django.contrib import admin

from dayi.accounts.admin import OperatorAdmin, ReadOnlyAdmin

from .models import HoursCorrection, IdleCase, IdleRuleSettings, OfflineNotice


@admin.register(IdleRuleSettings)
class IdleRuleSettingsAdmin(OperatorAdmin):
    list_display = ["region", "remind_after_days", "internal_after_days", "departmental_after_days"]
    autocomplete_fields = ["region"]


@admin.register(IdleCase)
class IdleCaseAdmin(ReadOnlyAdmin):
    """Cases change through the daily job and the idle pages, where each step is audited."""

    list_display = ["instrument", "step", "idle_since", "explanation_status", "closed_at"]
    list_filter = ["step", "explanation_status", "closure"]


@admin.register(OfflineNotice)
class OfflineNoticeAdmin(ReadOnlyAdmin):
    list_display = ["sensor", "silent_since", "notified_at"]


@admin.register(HoursCorrection)
class HoursCorrectionAdmin(ReadOnlyAdmin):
    """Corrections are made on the hours page, where each is audited with its reason."""

    list_display = ["instrument", "day", "in_use_seconds", "corrected_by", "corrected_at"]
    search_fields = ["instrument__name", "reason"]
