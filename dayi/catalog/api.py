"""Read-only JSON endpoints of the catalogue: instruments, units, classes, categories.

Everything goes through catalog.selectors, so the API shows exactly what the pages show to the
same person: visitors see approved, non-confidential instruments only.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from dayi.accounts.api import StandardPagination
from dayi.accounts.models import Organisation, Region

from . import selectors
from .filters import SERVICE_MODE_CHOICES, SERVICE_MODE_FIELDS
from .models import Category, Instrument, InstrumentClass
from .serializers import (
    CategorySerializer,
    InstrumentClassSerializer,
    InstrumentDetailSerializer,
    InstrumentListSerializer,
    UnitSerializer,
)


def _within_region(queryset, field, region):
    return queryset.filter(**{f"{field}__path__startswith": region.path})


class InstrumentFilter(filters.FilterSet):
    category = filters.ModelChoiceFilter(
        queryset=Category.objects.all(),
        to_field_name="slug",
        help_text=_("Slug of a city category, e.g. spectroscopy."),
    )
    class_code = filters.CharFilter(
        field_name="instrument_class__code",
        lookup_expr="startswith",
        help_text=_("Prefix of the 6-digit national class code: 01, 0101 or 010102."),
    )
    region = filters.ModelChoiceFilter(
        queryset=Region.objects.all(),
        to_field_name="code",
        method="filter_region",
        help_text=_("Division code: the region and its whole subtree."),
    )
    owner = filters.ModelChoiceFilter(
        queryset=Organisation.objects.filter(is_management_unit=True), help_text=_("Id of the management unit.")
    )
    service_mode = filters.ChoiceFilter(choices=SERVICE_MODE_CHOICES, method="filter_service_mode")
    value_min = filters.NumberFilter(
        field_name="original_value", lookup_expr="gte", help_text=_("Lowest original value, yuan.")
    )
    value_max = filters.NumberFilter(
        field_name="original_value", lookup_expr="lte", help_text=_("Highest original value, yuan.")
    )
    is_pilot_scale = filters.BooleanFilter()
    q = filters.CharFilter(method="filter_text", help_text=_("Words in the name, English name, model or maker."))
    ordering = filters.OrderingFilter(
        fields=[("original_value", "value"), ("approved_at", "approved_at"), ("name", "name")],
        help_text=_("value, approved_at or name; prefix with - for descending."),
    )

    class Meta:
        model = Instrument
        fields = []

    def filter_region(self, queryset, name, value):
        return _within_region(queryset, "region", value)

    def filter_service_mode(self, queryset, name, value):
        return queryset.filter(**{SERVICE_MODE_FIELDS[value]: True})

    def filter_text(self, queryset, name, value):
        condition = Q()
        for word in value.split():
            condition &= (
                Q(name__icontains=word)
                | Q(name_en__icontains=word)
                | Q(model_number__icontains=word)
                | Q(manufacturer__icontains=word)
            )
        return queryset.filter(condition)


class InstrumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Instruments the caller may see. Visitors: approved, non-confidential records only."""

    filterset_class = InstrumentFilter
    pagination_class = StandardPagination
    permission_classes = [AllowAny]

    def get_queryset(self):
        queryset = selectors.visible_instruments(self.request.user).select_related(
            "owner", "instrument_class", "category", "region"
        )
        if self.action == "retrieve":
            queryset = queryset.select_related("operator").prefetch_related("disciplines", "themes", "photos")
        return queryset

    def get_serializer_class(self):
        return InstrumentDetailSerializer if self.action == "retrieve" else InstrumentListSerializer


class UnitFilter(filters.FilterSet):
    region = filters.ModelChoiceFilter(
        queryset=Region.objects.all(),
        to_field_name="code",
        method="filter_region",
        help_text=_("Division code: the region and its whole subtree."),
    )
    category = filters.ChoiceFilter(choices=Organisation.Category.choices)

    class Meta:
        model = Organisation
        fields = ["region", "category"]

    def filter_region(self, queryset, name, value):
        return _within_region(queryset, "region", value)


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Management units (owners of instruments), with how many public instruments each has."""

    queryset = selectors.management_units().order_by("name")
    serializer_class = UnitSerializer
    filterset_class = UnitFilter
    pagination_class = StandardPagination
    permission_classes = [AllowAny]


class InstrumentClassFilter(filters.FilterSet):
    parent = filters.CharFilter(field_name="parent_id", help_text=_("Code of the parent class."))
    level = filters.ChoiceFilter(choices=[(1, _("major class")), (2, _("middle class")), (3, _("minor class"))])

    class Meta:
        model = InstrumentClass
        fields = ["level", "parent", "is_assignable"]


class InstrumentClassViewSet(viewsets.ReadOnlyModelViewSet):
    """The national three-level class table (大类 / 中类 / 小类)."""

    queryset = InstrumentClass.objects.all()
    serializer_class = InstrumentClassSerializer
    filterset_class = InstrumentClassFilter
    pagination_class = StandardPagination
    permission_classes = [AllowAny]
    lookup_value_regex = r"\d{6}"


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The city's major classes (光谱, 色谱, 电镜 …) that the `category` filter takes."""

    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    pagination_class = None
    permission_classes = [AllowAny]
    lookup_field = "slug"
