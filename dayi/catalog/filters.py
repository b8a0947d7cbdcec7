"""The catalogue's filter panel: every filter a visitor can combine on the instrument list."""

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dayi.accounts.models import Organisation, Region

from . import choices
from .choices import PlainSelect
from .models import Category, Instrument, InstrumentClass, Theme

WAN = Decimal("10000")

# Value bands as the city reports them: below 500k, 500k–2M, 2M and above (yuan).
VALUE_BANDS = {
    "lt50": (None, 50 * WAN),
    "50to200": (50 * WAN, 200 * WAN),
    "gte200": (200 * WAN, None),
}
VALUE_BAND_CHOICES = [
    ("lt50", _("under 500,000 yuan")),
    ("50to200", _("500,000 to 2,000,000 yuan")),
    ("gte200", _("2,000,000 yuan and above")),
]

SERVICE_MODE_FIELDS = {
    "machine_time": "offers_machine_time",
    "sample_testing": "offers_sample_testing",
    "joint_rd": "offers_joint_rd",
    "leasing": "offers_leasing",
}
SERVICE_MODE_CHOICES = [
    ("machine_time", _("machine-time booking")),
    ("sample_testing", _("sample testing")),
    ("joint_rd", _("joint R&D")),
    ("leasing", _("leasing")),
]

SORT_ORDERS = {
    "newest": ("-approved_at", "-id"),
    "value_desc": ("-original_value", "-id"),
    "value_asc": ("original_value", "id"),
}
SORT_CHOICES = [
    ("newest", _("newest first")),
    ("value_desc", _("highest value first")),
    ("value_asc", _("lowest value first")),
]


class CheckboxFilter(django_filters.Filter):
    """A tick box that narrows the list when ticked and does nothing otherwise."""

    field_class = forms.BooleanField


ALL = _("All")


def _checkbox(label, method):
    return CheckboxFilter(label=label, method=method, widget=forms.CheckboxInput)


class InstrumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Keyword"), method="filter_keyword")
    category = django_filters.ModelChoiceFilter(
        empty_label=ALL, widget=PlainSelect, label=_("Category"), queryset=Category.objects.all(), to_field_name="slug"
    )
    cls = django_filters.ModelChoiceFilter(
        empty_label=ALL,
        widget=PlainSelect,
        label=_("National class"),
        queryset=InstrumentClass.objects.all(),
        method="filter_class",
    )
    region = django_filters.ModelChoiceFilter(
        empty_label=ALL,
        widget=PlainSelect,
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="code",
        method="filter_region",
    )
    unit = django_filters.ModelChoiceFilter(
        widget=PlainSelect,
        label=_("Management unit"),
        empty_label=ALL,
        field_name="owner",
        queryset=Organisation.objects.filter(is_management_unit=True),
    )
    mode = django_filters.MultipleChoiceFilter(
        label=_("Service mode"),
        choices=SERVICE_MODE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        method="filter_modes",
    )
    band = django_filters.ChoiceFilter(
        empty_label=ALL, widget=PlainSelect, label=_("Value band"), choices=VALUE_BAND_CHOICES, method="filter_band"
    )
    value_min = django_filters.NumberFilter(
        label=_("Minimum value (yuan)"), field_name="original_value", lookup_expr="gte", min_value=0
    )
    value_max = django_filters.NumberFilter(
        label=_("Maximum value (yuan)"), field_name="original_value", lookup_expr="lte", min_value=0
    )
    running_status = django_filters.ChoiceFilter(
        empty_label=ALL, widget=PlainSelect, label=_("Running status"), choices=Instrument.RunningStatus.choices
    )
    usage_status = django_filters.ChoiceFilter(
        empty_label=ALL, widget=PlainSelect, label=_("Status"), choices=Instrument.UsageStatus.choices
    )
    theme = django_filters.ModelChoiceFilter(
        empty_label=ALL,
        widget=PlainSelect,
        label=_("Theme"),
        field_name="themes",
        queryset=Theme.objects.all(),
        to_field_name="slug",
    )
    cma = _checkbox(_("CMA certified"), "filter_cma")
    cnas = _checkbox(_("CNAS accredited"), "filter_cnas")
    pilot = _checkbox(_("pilot-scale equipment only"), "filter_pilot")
    sort = django_filters.ChoiceFilter(label=_("Sort"), choices=SORT_CHOICES, method="sort_by", empty_label=None)

    class Meta:
        model = Instrument
        fields = []

    def __init__(self, data=None, *args, pilot_only=False, **kwargs):
        super().__init__(data, *args, **kwargs)
        if pilot_only:
            # The pilot-scale list is already restricted; a toggle there would mean nothing.
            del self.filters["pilot"]
        self._offer_choices((data or {}).get("cls") or "", (data or {}).get("unit"))
        self._style_fields()

    def _offer_choices(self, wanted_class, selected_unit):
        """The option lists come ready from the shared cache; the fields' querysets still
        check what was chosen."""
        fields, everything = self.form.fields, [("", ALL)]
        fields["cls"].widget.choices = everything + choices.classes(wanted_class)
        fields["region"].widget.choices = everything + choices.regions()
        fields["category"].widget.choices = everything + choices.categories()
        fields["theme"].widget.choices = everything + choices.themes()
        fields["unit"].widget.choices = everything + choices.units(selected_unit)

    def _style_fields(self):
        for field in self.form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            else:
                widget.attrs["class"] = "form-control form-control-sm"

    def filter_keyword(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(name_en__icontains=word)
                | Q(model_number__icontains=word)
                | Q(manufacturer__icontains=word)
            )
        return queryset

    def filter_class(self, queryset, name, value):
        return queryset.filter(instrument_class__code__startswith=value.prefix)

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__path__startswith=value.path)

    def filter_modes(self, queryset, name, value):
        condition = Q()
        for mode in value:
            condition |= Q(**{SERVICE_MODE_FIELDS[mode]: True})
        return queryset.filter(condition)

    def filter_band(self, queryset, name, value):
        low, high = VALUE_BANDS[value]
        if low is not None:
            queryset = queryset.filter(original_value__gte=low)
        if high is not None:
            queryset = queryset.filter(original_value__lt=high)
        return queryset

    def filter_cma(self, queryset, name, value):
        return queryset.filter(cma_certified=True) if value else queryset

    def filter_cnas(self, queryset, name, value):
        return queryset.filter(cnas_accredited=True) if value else queryset

    def filter_pilot(self, queryset, name, value):
        return queryset.filter(is_pilot_scale=True) if value else queryset

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORT_ORDERS[value])
