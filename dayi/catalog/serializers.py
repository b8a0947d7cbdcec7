"""JSON shapes of the catalogue. Money is a decimal string (yuan) with `value_wan` beside it;
choices are {"code", "label"}; times are ISO 8601 in Asia/Shanghai (+08:00)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dayi.accounts.api import ChoiceLabelField, ChoiceLabelSerializer, RegionRefSerializer
from dayi.accounts.models import Organisation

from .filters import SERVICE_MODE_CHOICES, SERVICE_MODE_FIELDS
from .models import Category, Discipline, Instrument, InstrumentClass, InstrumentPhoto, Theme
from .models.instrument import TEN_THOUSAND


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name"]


class InstrumentClassRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = InstrumentClass
        fields = ["code", "name"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["slug", "name", "name_en"]


class DisciplineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Discipline
        fields = ["code", "name"]


class ThemeRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["slug", "name", "name_en"]


class PhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = InstrumentPhoto
        fields = ["image", "caption"]


@extend_schema_field(ChoiceLabelSerializer)
class CountryField(serializers.Field):
    """GB/T 2659 (ISO 3166) country as {"code", "label"}."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return {"code": value.code, "label": str(value.name)}


class InstrumentClassSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True, read_only=True)

    class Meta:
        model = InstrumentClass
        fields = ["code", "level", "parent", "name", "is_assignable"]


class UnitSerializer(serializers.ModelSerializer):
    category = ChoiceLabelField()
    region = RegionRefSerializer(read_only=True)
    instrument_count = serializers.IntegerField(read_only=True, help_text=_("Public instruments of this unit."))
    total_value = serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True, help_text=_("Original value of its public instruments, yuan.")
    )
    total_value_wan = serializers.SerializerMethodField(help_text=_("The same in 10,000 yuan (万元)."))

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "name_en",
            "short_name",
            "category",
            "region",
            "address",
            "website",
            "description",
            "instrument_count",
            "total_value",
            "total_value_wan",
        ]

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_total_value_wan(self, unit) -> str:
        return str((unit.total_value / TEN_THOUSAND).quantize(Decimal("0.01")))


class InstrumentListSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="instrument-detail")
    owner = OrganisationRefSerializer(read_only=True)
    instrument_class = InstrumentClassRefSerializer(read_only=True)
    category = CategorySerializer(read_only=True, allow_null=True)
    region = RegionRefSerializer(read_only=True)
    country = CountryField()
    original_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, help_text=_("Original value in yuan.")
    )
    value_wan = serializers.DecimalField(
        max_digits=12, decimal_places=2, read_only=True, help_text=_("Original value in 10,000 yuan (万元).")
    )
    service_modes = serializers.SerializerMethodField()
    sharing_mode = ChoiceLabelField()
    running_status = ChoiceLabelField()
    usage_status = ChoiceLabelField()
    entry_status = ChoiceLabelField()

    class Meta:
        model = Instrument
        fields = [
            "id",
            "url",
            "name",
            "name_en",
            "owner",
            "instrument_class",
            "category",
            "region",
            "model_number",
            "manufacturer",
            "country",
            "original_value",
            "value_wan",
            "is_pilot_scale",
            "service_modes",
            "sharing_mode",
            "running_status",
            "usage_status",
            "entry_status",
            "cma_certified",
            "cnas_accredited",
            "approved_at",
        ]

    @extend_schema_field(ChoiceLabelSerializer(many=True))
    def get_service_modes(self, instrument) -> list[dict]:
        return [
            {"code": code, "label": str(label)}
            for code, label in SERVICE_MODE_CHOICES
            if getattr(instrument, SERVICE_MODE_FIELDS[code])
        ]


class InstrumentDetailSerializer(InstrumentListSerializer):
    operator = OrganisationRefSerializer(read_only=True, allow_null=True)
    disciplines = DisciplineSerializer(many=True, read_only=True)
    themes = ThemeRefSerializer(many=True, read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)
    source = ChoiceLabelField()
    purpose = ChoiceLabelField()
    funding = ChoiceLabelField()

    class Meta(InstrumentListSerializer.Meta):
        fields = [
            *InstrumentListSerializer.Meta.fields,
            "operator",
            "inventory_number",
            "disciplines",
            "themes",
            "source",
            "customs_supervised",
            "purpose",
            "purchase_date",
            "acceptance_date",
            "funding",
            "technical_specs",
            "main_functions",
            "service_content",
            "typical_outcomes",
            "fee_standard",
            "opening_hours",
            "location",
            "contact_name",
            "contact_phone",
            "contact_email",
            "is_confidential",
            "photos",
            "updated_at",
        ]
