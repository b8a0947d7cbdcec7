"""HTTPS batch endpoint for gateways and sensors that cannot speak MQTT.

`Authorization: Sensor <code>:<secret>` lets a sensor send its own readings;
`Authorization: Gateway <code>:<secret>` lets a gateway send those of the sensors it serves.
A request refused as a whole (bad key, body not JSON) is kept like any refused message.
"""

import json

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from . import conf
from .ingest import Envelope, ingest, reject_request
from .models import RejectedMessage
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
