"""The monitoring JSON API.

In: the HTTPS batch of readings for gateways and sensors that cannot speak MQTT
(`Authorization: Sensor <code>:<secret>` for a sensor's own readings, `Gateway <code>:<secret>`
for those of the sensors a gateway serves); a request refused as a whole (bad key, body not
JSON) is kept like any refused message. Out (/api/v1/monitoring/…): live status, sessions and
hours, each limited to the instruments the person may see (selectors.monitored_instruments).
"""

import json
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dayi.accounts.api import StandardPagination
from dayi.core.errors import PermissionDenied

from . import conf, hours, selectors
from .ingest import Envelope, ingest, reject_request
from .models import RejectedMessage, SensorBinding, UsageSession
from .services import authenticate_device

MAX_MESSAGES = 5_000


class DeviceKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in (b"sensor", b"gateway"):
            return None
        kind = parts[0].decode().lower()
        if len(parts) != 2 or b":" not in parts[1]:
            raise exceptions.AuthenticationFailed(_("Use 'Sensor <code>:<secret>' or 'Gateway <code>:<secret>'."))
        code, secret = parts[1].decode(errors="replace").split(":", 1)
        device = authenticate_device(kind, code, secret)
        if device is None:
            raise exceptions.AuthenticationFailed(_("Unknown device or wrong secret."))
        return AnonymousUser(), device

    def authenticate_header(self, request):
        return 'Sensor realm="dayi"'


class DeviceKeyScheme(OpenApiAuthenticationExtension):
    target_class = DeviceKeyAuthentication
    name = "deviceKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Sensor <code>:<secret> or Gateway <code>:<secret>",
        }


class IsDevice(BasePermission):
    def has_permission(self, request, view):
        return request.auth is not None


Outcome = inline_serializer(
    "ReadingBatchOutcome",
    {
        "stored": serializers.IntegerField(help_text=_("Readings stored now.")),
        "duplicates": serializers.IntegerField(help_text=_("Readings already stored before: skipped.")),
        "rejected": serializers.IntegerField(help_text=_("Messages or readings refused and kept with a reason.")),
        "errors": serializers.ListField(child=serializers.DictField()),
    },
)


class ReadingBatchView(APIView):
    authentication_classes = [DeviceKeyAuthentication]
    permission_classes = [IsDevice]

    @extend_schema(
        operation_id="monitoring_readings_batch",
        summary=_("Send a batch of sensor readings"),
        description=_('Body: {"messages": [message, …]}, each message in the v1 format of docs/monitoring.md.'),
        request=inline_serializer("ReadingBatch", {"messages": serializers.ListField(child=serializers.DictField())}),
        responses={200: Outcome},
        examples=[
            OpenApiExample(
                "one reading",
                request_only=True,
                value={
                    "messages": [
                        {
                            "v": 1,
                            "sensor": "CLAMP-001",
                            "ts": "2026-03-02T08:00:00+08:00",
                            "seq": 1,
                            "current_ma": 512.5,
                        }
                    ]
                },
            )
        ],
    )
    def post(self, request):
        body = request.body
        if len(body) > conf.max_payload_bytes() * 64:
            return self._refuse(body, _("The body is larger than %(n)s bytes.") % {"n": conf.max_payload_bytes() * 64})
        try:
            data = json.loads(body)
        except ValueError:
            return self._refuse(body, _("The body is not JSON."))
        messages = data.get("messages") if isinstance(data, dict) else None
        if not isinstance(messages, list) or len(messages) > MAX_MESSAGES:
            return self._refuse(body, _('Send {"messages": [...]} with at most %(n)s messages.') % {"n": MAX_MESSAGES})
        outcome = ingest(
            [Envelope(payload=m, source=RejectedMessage.Source.HTTPS, device=request.auth) for m in messages]
        )
        return Response(outcome.as_dict())

    def _refuse(self, body, detail):
        reject_request(
            source=RejectedMessage.Source.HTTPS, reason=RejectedMessage.Reason.MALFORMED, detail=detail, payload=body
        )
        return Response({"detail": detail}, status=status.HTTP_400_BAD_REQUEST)

    def handle_exception(self, exc):
        if isinstance(exc, (exceptions.AuthenticationFailed, exceptions.NotAuthenticated)):
            reject_request(
                source=RejectedMessage.Source.HTTPS,
                reason=RejectedMessage.Reason.AUTHENTICATION,
                detail=str(exc.detail),
                payload=self.request._request.body,
            )
        return super().handle_exception(exc)


def _visible(user):
    """The instruments whose monitoring this person may see; a refusal is HTTP 403."""
    try:
        return selectors.monitored_instruments(user)
    except PermissionDenied as error:
        raise exceptions.PermissionDenied(error.message) from error


class StatusSerializer(serializers.ModelSerializer):
    instrument = serializers.IntegerField(source="instrument_id")
    instrument_name = serializers.CharField(source="instrument.name")
    unit = serializers.IntegerField(source="instrument.owner_id")
    sensor = serializers.CharField(source="sensor.code")
    state = serializers.ChoiceField(source="live", choices=selectors.LIVE_STATES)
    last_reading_at = serializers.DateTimeField(source="sensor.state.last_reading_at", allow_null=True, default=None)
    last_current_ma = serializers.FloatField(source="sensor.state.last_current_ma", allow_null=True, default=None)
    last_power_w = serializers.FloatField(source="sensor.state.last_power_w", allow_null=True, default=None)

    class Meta:
        model = SensorBinding
        fields = [
            "instrument",
            "instrument_name",
            "unit",
            "sensor",
            "state",
            "bound_from",
            "last_reading_at",
            "last_current_ma",
            "last_power_w",
        ]


@extend_schema(
    parameters=[OpenApiParameter("state", enum=list(selectors.LIVE_STATES), description=_("Only this live state."))]
)
class StatusViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Live state of every instrument with a sensor bound now: in_use, on, off or offline."""

    queryset = SensorBinding.objects.none()  # for the schema; get_queryset scopes the real one
    serializer_class = StatusSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = StandardPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        _visible(self.request.user)
        return selectors.live_status(self.request.user, state=self.request.query_params.get("state", ""))


class SessionSerializer(serializers.ModelSerializer):
    sensor = serializers.CharField(source="sensor.code")

    class Meta:
        model = UsageSession
        fields = ["id", "instrument", "sensor", "kind", "started_at", "ended_at", "is_open"]


class SessionFilter(filters.FilterSet):
    instrument = filters.NumberFilter(field_name="instrument_id")
    kind = filters.ChoiceFilter(choices=UsageSession.Kind.choices)
    since = filters.IsoDateTimeFilter(field_name="ended_at", lookup_expr="gt", help_text=_("Ending after this moment."))
    until = filters.IsoDateTimeFilter(
        field_name="started_at", lookup_expr="lt", help_text=_("Starting before this moment.")
    )

    class Meta:
        model = UsageSession
        fields = []


class SessionViewSet(viewsets.ReadOnlyModelViewSet):
    """Running, in-use (effective) and offline periods derived from the readings."""

    queryset = UsageSession.objects.none()  # for the schema; get_queryset scopes the real one
    serializer_class = SessionSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = StandardPagination
    filterset_class = SessionFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        sessions = UsageSession.objects.select_related("sensor").order_by("started_at", "pk")
        return sessions.filter(instrument__in=_visible(self.request.user))


class HoursSerializer(serializers.Serializer):
    period = serializers.DateField(help_text=_("The day, or the first day of the month or year."))
    running_hours = serializers.FloatField()
    measured_effective_hours = serializers.FloatField(help_text=_("In use, as measured."))
    effective_hours = serializers.FloatField(help_text=_("In use, with the unit's corrections."))
    offline_hours = serializers.FloatField()
    corrected_days = serializers.IntegerField()


class HoursQuery(serializers.Serializer):
    instrument = serializers.IntegerField()
    period = serializers.ChoiceField(choices=hours.PERIODS, default="month")
    first = serializers.DateField(required=False, help_text=_("First day (default: 1 January this year)."))
    last = serializers.DateField(required=False, help_text=_("Last day (default: today)."))


class HoursView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="monitoring_hours",
        summary=_("Running and effective hours of one instrument per day, month or year"),
        parameters=[HoursQuery],
        responses={200: HoursSerializer(many=True)},
    )
    def get(self, request):
        query = HoursQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        instrument_id = query.validated_data["instrument"]
        if not _visible(request.user).filter(pk=instrument_id).exists():
            raise exceptions.NotFound(_("No such instrument among those you may see."))
        today = timezone.localdate()
        first = query.validated_data.get("first") or date(today.year, 1, 1)
        last = query.validated_data.get("last") or today
        rows = hours.hours([instrument_id], period=query.validated_data["period"], first=first, last=last)
        return Response(HoursSerializer([row.as_dict() for row in rows.get(instrument_id, [])], many=True).data)


def register(router):
    router.register("monitoring/status", StatusViewSet, basename="monitoring-status")
    router.register("monitoring/sessions", SessionViewSet, basename="monitoring-session")


urlpatterns_v1 = [
    path("monitoring/hours/", HoursView.as_view(), name="monitoring-hours"),
    path("monitoring/readings/", ReadingBatchView.as_view(), name="monitoring-readings"),
]
