"""JSON endpoints of accounts: the region tree and API tokens; plus the pieces every app's API
shares (pagination, choice fields with their labels)."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from . import services
from .models import Region


class StandardPagination(PageNumberPagination):
    """`?page=` and `?page_size=` (at most 100), so that small trees come in one request."""

    page_size_query_param = "page_size"
    max_page_size = 100


class ChoiceLabelSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Stable code, for programs."))
    label = serializers.CharField(help_text=_("Label in the request's language (Accept-Language)."))


class IntegerChoiceLabelSerializer(serializers.Serializer):
    code = serializers.IntegerField(help_text=_("Stable code, for programs."))
    label = serializers.CharField(help_text=_("Label in the request's language (Accept-Language)."))


@extend_schema_field(ChoiceLabelSerializer)
class ChoiceLabelField(serializers.Field):
    """A model choice as {"code", "label"}: programs keep the code, people read the label."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        value = super().get_attribute(instance)
        choices = dict(instance._meta.get_field(self.source).flatchoices)
        return value, choices.get(value, value)

    def to_representation(self, value):
        code, label = value
        return {"code": code, "label": str(label)}


@extend_schema_field(IntegerChoiceLabelSerializer)
class IntegerChoiceLabelField(ChoiceLabelField):
    pass


class RegionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name"]


class RegionSerializer(serializers.ModelSerializer):
    level = IntegerChoiceLabelField()
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text=_("Code of the parent region."))

    class Meta:
        model = Region
        fields = ["code", "name", "name_en", "level", "parent"]


class RegionFilter(filters.FilterSet):
    parent = filters.CharFilter(field_name="parent__code", help_text=_("Code of the parent region."))
    within = filters.CharFilter(method="filter_within", help_text=_("Code of a region: it and its whole subtree."))
    level = filters.ChoiceFilter(choices=Region.Level.choices)

    class Meta:
        model = Region
        fields = ["level", "parent", "within"]

    def filter_within(self, queryset, name, value):
        root = Region.objects.filter(code=value).values_list("path", flat=True).first()
        return queryset.filter(path__startswith=root) if root else queryset.none()


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """The region tree (province → city → county/district), ordered from the root down."""

    queryset = Region.objects.select_related("parent")
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    pagination_class = StandardPagination
    lookup_field = "code"
    lookup_value_regex = r"\d{6,12}"
    permission_classes = [AllowAny]


class TokenObtainThrottle(SimpleRateThrottle):
    """Per client address, logged in or not: guessing passwords through the API is slow.
    django-axes locks the name + address pair on top of this."""

    scope = "auth_token"
    default_rate = "10/minute"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or self.default_rate

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenCredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("Username, phone or email"), write_only=True)
    password = serializers.CharField(
        label=_("Password"), style={"input_type": "password"}, trim_whitespace=False, write_only=True
    )

    def validate(self, attrs):
        request = self.context["request"]
        user = authenticate(request=request, username=attrs["username"], password=attrs["password"])
        if getattr(request, "axes_locked_out", False):
            raise exceptions.Throttled(detail=_("Too many failed log-ins for this name; try again later."))
        if user is None:
            raise serializers.ValidationError(
                _("The username, phone or email and the password do not match."), code="authorization"
            )
        attrs["user"] = user
        return attrs


class ObtainTokenView(APIView):
    """Exchange a log-in name and password for the person's API token (created on first use).

    Send it afterwards as `Authorization: Token <token>`. Revoke or replace it on the profile page.
    """

    permission_classes = [AllowAny]
    # No session authentication here: a program has no CSRF token, and needs none to log in.
    authentication_classes = []
    throttle_classes = [TokenObtainThrottle]

    @extend_schema(
        request=TokenCredentialsSerializer,
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField()}),
            400: OpenApiResponse(description=_("Wrong name or password.")),
            429: OpenApiResponse(description=_("Too many attempts from this address or for this name.")),
        },
        tags=["auth"],
    )
    def post(self, request):
        serializer = TokenCredentialsSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token = services.obtain_token(user=serializer.validated_data["user"])
        return Response({"token": token.key}, status=status.HTTP_200_OK)
