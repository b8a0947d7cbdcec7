"""The search as JSON under /api/v1/search/: the same query, facets, sorting and paging as the
search page, and the same visibility."""

from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .facets import VALUE_BANDS
from .forms import SearchForm

QUERY_PARAMETERS = [
    OpenApiParameter(
        "q", str, description="What to look for: names, short forms, acronyms, models, makers, pinyin, class codes."
    ),
    OpenApiParameter("category", int, description="Id of a city category."),
    OpenApiParameter("region", int, description="Id of a region; its whole subtree is included."),
    OpenApiParameter("unit", int, description="Id of the management unit."),
    OpenApiParameter("mode", str, enum=["machine_time", "sample_testing", "joint_rd", "leasing"]),
    OpenApiParameter("value", str, enum=list(VALUE_BANDS), description="Original value band, 万元."),
    OpenApiParameter("status", str, enum=["in_use", "under_repair", "idle", "scrapped"]),
    OpenApiParameter("theme", int, description="Id of a theme (专题)."),
    OpenApiParameter("pilot", bool, description="Pilot-scale equipment only."),
    OpenApiParameter("sort", str, enum=["relevance", "value", "newest", "usage"]),
    OpenApiParameter("page", int, description="Page number; out-of-range numbers give the nearest page."),
]


class HighlightSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="HTML-escaped, with <mark> around matches.")
    name_en = serializers.CharField()
    model_number = serializers.CharField()
    manufacturer = serializers.CharField()
    snippet = serializers.CharField()


class HitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    model_number = serializers.CharField()
    manufacturer = serializers.CharField()
    unit = serializers.CharField()
    category = serializers.CharField(allow_null=True)
    url = serializers.CharField()
    highlight = HighlightSerializer()


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


VALUE_LISTS = ("category", "region", "unit", "mode", "value", "status", "theme")


class FacetsSerializer(serializers.Serializer):
    """A facet whose filter is set is counted without it (with every other filter), so the
    other values of a chosen facet keep their counts."""

    category = FacetValueSerializer(many=True)
    region = FacetValueSerializer(many=True)
    unit = FacetValueSerializer(many=True)
    mode = FacetValueSerializer(many=True)
    value = FacetValueSerializer(many=True)
    status = FacetValueSerializer(many=True)
    theme = FacetValueSerializer(many=True)
    pilot = serializers.IntegerField(help_text="How many of the matches are pilot-scale equipment.")
    estimated = serializers.ListField(
        child=serializers.CharField(),
        help_text="The facets whose counts are estimates from a sample of the catalogue (a broad query).",
    )


class LinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.CharField()


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField(help_text="The query as it was understood (normalized words).")
    count = serializers.IntegerField(
        help_text="Matches counted: exact up to 5,000, or an estimate (count_is_estimate), or a lower bound."
    )
    count_is_estimate = serializers.BooleanField(
        help_text="A broad query: `count` and the facet counts are estimated from a sample of the catalogue."
    )
    count_is_lower_bound = serializers.BooleanField(
        help_text="More than `count` instruments match; the facet counts cover the first `count` of them."
    )
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = HitSerializer(many=True)
    facets = FacetsSerializer()
    units = LinkSerializer(many=True, help_text="Management units whose name matches (first page only).")
    themes = LinkSerializer(many=True, help_text="Themes whose name matches (first page only).")


class SuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    model_number = serializers.CharField()
    unit = serializers.CharField()
    url = serializers.CharField()


def _hit(instrument) -> dict:
    return {
        "id": instrument.pk,
        "name": instrument.name,
        "name_en": instrument.name_en,
        "model_number": instrument.model_number,
        "manufacturer": instrument.manufacturer,
        "unit": instrument.owner.name,
        "category": instrument.category.name if instrument.category else None,
        "url": reverse("catalog:detail", args=[instrument.pk]),
        "highlight": {
            "name": instrument.hl_name,
            "name_en": instrument.hl_name_en,
            "model_number": instrument.hl_model,
            "manufacturer": instrument.hl_maker,
            "snippet": instrument.hl_snippet,
        },
    }


class SearchAPIView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="search_instruments",
        summary="Search instruments",
        parameters=QUERY_PARAMETERS,
        responses=SearchResponseSerializer,
    )
    def get(self, request):
        form = SearchForm(request.query_params)
        values = form.values()
        sort, page = values.get("sort") or "relevance", values.get("page") or 1
        result = selectors.search(values.get("q") or "", request.user, form.filters(), sort, page)
        facets = {
            key: [{**v, "value": str(v["value"])} for v in rows] if key in VALUE_LISTS else rows
            for key, rows in result.facets.items()
        }
        return Response(
            {
                "query": result.query.text,
                "count": result.total,
                "count_is_estimate": result.total_is_estimate,
                "count_is_lower_bound": result.total_is_lower_bound,
                "page": result.page.number,
                "pages": result.page.paginator.num_pages,
                "results": [_hit(i) for i in result.page.object_list],
                "facets": facets,
                "units": [
                    {"id": unit.pk, "name": unit.name, "url": reverse("catalog:unit_detail", args=[unit.pk])}
                    for unit in result.units
                ],
                "themes": [
                    {"id": t.pk, "name": t.name, "url": reverse("catalog:theme_detail", args=[t.slug])}
                    for t in result.themes
                ],
            }
        )


class SuggestAPIView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="search_suggestions",
        summary="Suggestions while typing",
        parameters=[OpenApiParameter("q", str, description="What has been typed so far.")],
        responses=SuggestionSerializer(many=True),
    )
    def get(self, request):
        query = SearchForm(request.query_params).values().get("q") or ""
        return Response(
            [
                {
                    "id": i.pk,
                    "name": i.name,
                    "model_number": i.model_number,
                    "unit": i.owner.name,
                    "url": reverse("catalog:detail", args=[i.pk]),
                }
                for i in selectors.suggest(query, request.user)
            ]
        )


urlpatterns_v1 = [
    path("search/", SearchAPIView.as_view(), name="search-api"),
    path("search/suggestions/", SuggestAPIView.as_view(), name="search-suggestions-api"),
]
