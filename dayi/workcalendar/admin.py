from django.contrib import admin

from dayi.accounts.admin import OperatorAdmin

from .models import CalendarDay


@admin.register(CalendarDay)
class CalendarDayAdmin(OperatorAdmin):
    list_display = ["date", "kind", "name", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
