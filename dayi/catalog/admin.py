"""Django admin for the platform operator: the catalogue and its reference tables.

Instrument edits go through the catalogue services, so that the admin is audited and
validated like every other page; entry status moves only through the review pages.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dayi.accounts.admin import OperatorAdmin, OperatorInline, ReadOnlyAdmin

from .models import Category, Discipline, Instrument, InstrumentClass, InstrumentPhoto, Theme, YearlyUsage
from .services import EDITABLE_FIELDS, create_instrument, update_instrument

IDENTITY_FIELDS = ["name", "name_en", "inventory_number", "is_pilot_scale", "operator"]
DETAIL_FIELDS = [name for name in EDITABLE_FIELDS if name not in {*IDENTITY_FIELDS, "instrument_class"}]


@admin.register(InstrumentClass)
class InstrumentClassAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "is_assignable"]
    list_filter = ["level", "is_assignable"]
    search_fields = ["code", "name"]


@admin.register(Category)
class CategoryAdmin(OperatorAdmin):
    list_display = ["name", "name_en", "slug", "class_prefixes", "order"]
    list_editable = ["order"]
    search_fields = ["name", "name_en", "slug"]


@admin.register(Discipline)
class DisciplineAdmin(OperatorAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Theme)
class ThemeAdmin(OperatorAdmin):
    list_display = ["name", "name_en", "industry", "year", "order"]
    list_filter = ["year"]
    search_fields = ["name", "name_en", "industry"]
    prepopulated_fields = {"slug": ["name_en"]}


class PhotoInline(OperatorInline):
    model = InstrumentPhoto
    extra = 0
    fields = ["image", "caption", "order"]


class YearlyUsageInline(OperatorInline):
    model = YearlyUsage
    extra = 0


@admin.register(Instrument)
class InstrumentAdmin(OperatorAdmin):
    list_display = [
        "name",
        "owner",
        "instrument_class",
        "category",
        "original_value",
        "entry_status",
        "is_confidential",
        "is_pilot_scale",
        "approved_at",
    ]
    list_filter = ["entry_status", "category", "is_confidential", "is_pilot_scale", "funding", "running_status"]
    search_fields = ["name", "name_en", "inventory_number", "model_number", "manufacturer", "owner__name"]
    list_select_related = ["owner", "instrument_class", "category"]
    autocomplete_fields = ["owner", "operator", "instrument_class", "region"]
    raw_id_fields = ["created_by"]
    filter_horizontal = ["disciplines", "themes"]
    readonly_fields = [
        "category",
        "entry_status",
        "entry_return_reason",
        "submitted_at",
        "approved_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "created_at"
    inlines = [PhotoInline, YearlyUsageInline]
    fieldsets = [
        (None, {"fields": ["owner", *IDENTITY_FIELDS]}),
        (_("Classification"), {"fields": ["instrument_class", "category", "disciplines", "themes"]}),
        (_("Details"), {"fields": DETAIL_FIELDS}),
        (
            _("Network entry"),
            {"fields": ["entry_status", "entry_return_reason", "submitted_at", "approved_at", "created_by"]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Moving a record to another unit is not an edit a unit could make; it stays as created.
        return [*self.readonly_fields, "owner"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data}
        related = {"disciplines": form.cleaned_data.get("disciplines"), "themes": form.cleaned_data.get("themes")}
        if change:
            saved = update_instrument(actor=request.user, instrument=obj, data=data, **related)
        else:
            saved = create_instrument(actor=request.user, owner=form.cleaned_data["owner"], data=data, **related)
        # The inlines are saved against the admin's own object, so it takes the stored identity.
        obj.pk = saved.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # Disciplines and themes were set by the service; only the inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
