"""The one-stop flow as JSON (token or session): orders of machine time and sample testing and
every state change, with the same services, rules and refusal messages as the pages. A refusal
is HTTP 400 {"detail", "field"}; a person without the right is HTTP 403; an order the caller may
not see is HTTP 404."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from dayi.accounts.api import ChoiceLabelField, StandardPagination
from dayi.catalog.selectors import visible_instruments
from dayi.core.errors import DomainError, PermissionDenied

from . import documents, samples, selectors, services
from .models import Order, OrderDocument


class RefusalSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("Which rule refused, in the request's language."))
    field = serializers.CharField(allow_null=True, help_text=_("The request field concerned, if any."))


class DocumentSerializer(serializers.ModelSerializer):
    kind = ChoiceLabelField()
    download = serializers.SerializerMethodField(help_text=_("Permission-checked download address."))

    class Meta:
        model = OrderDocument
        fields = ["id", "kind", "original_name", "size", "uploaded_at", "download"]

    def get_download(self, document) -> str:
        return self.context["request"].build_absolute_uri(reverse("booking:download", args=[document.pk]))


class InstrumentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OrderSerializer(serializers.ModelSerializer):
    instrument = InstrumentRefSerializer(read_only=True)
    user = serializers.CharField(source="user.username", read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True, default=None)
    mode = ChoiceLabelField()
    status = ChoiceLabelField()
    service_purpose = ChoiceLabelField()
    hazard = ChoiceLabelField()
    disposal = ChoiceLabelField()
    documents = DocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "instrument",
            "user",
            "organisation",
            "mode",
            "status",
            "starts_at",
            "ends_at",
            "is_external",
            "purpose",
            "service_purpose",
            "sample_count",
            "test_items",
            "sample_description",
            "hazard",
            "hazard_details",
            "disposal",
            "quoted_fee",
            "final_fee",
            "fee_working",
            "fee_reason",
            "decision_reason",
            "cancel_reason",
            "documents",
            "created_at",
            "completed_at",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class InstrumentField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return visible_instruments(self.context["request"].user).select_related("owner")


class MachineTimeSerializer(serializers.Serializer):
    instrument = InstrumentField(help_text=_("Id of the instrument."))
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    purpose = serializers.CharField(max_length=200)
    service_purpose = serializers.ChoiceField(Order.ServicePurpose.choices, default=Order.ServicePurpose.RESEARCH)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SampleOrderSerializer(serializers.Serializer):
    instrument = InstrumentField(help_text=_("Id of the instrument."))
    sample_count = serializers.IntegerField(min_value=1)
    test_items = serializers.CharField(help_text=_("One test item a line, or separated by commas."))
    sample_description = serializers.CharField()
    hazard = serializers.ChoiceField(Order.Hazard.choices)
    hazard_details = serializers.CharField(required=False, allow_blank=True, default="")
    disposal = serializers.ChoiceField(Order.Disposal.choices)
    purpose = serializers.CharField(max_length=200)
    service_purpose = serializers.ChoiceField(Order.ServicePurpose.choices, default=Order.ServicePurpose.RESEARCH)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class CompleteSerializer(serializers.Serializer):
    final_fee = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("Yuan, e.g. 1200.50; empty: the quote.")
    )
    fee_reason = serializers.CharField(required=False, allow_blank=True, default="")


class UploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(OrderDocument.Kind.choices)
    file = serializers.FileField(help_text=_("A PDF within the size limit."))


REFUSALS = {
    400: OpenApiResponse(RefusalSerializer, description=_("A rule refused; nothing changed.")),
    403: OpenApiResponse(RefusalSerializer, description=_("The caller may not do this.")),
    404: OpenApiResponse(description=_("No such order, or one the caller may not see.")),
}


def _refusal(error: DomainError) -> Response:
    code = status.HTTP_403_FORBIDDEN if isinstance(error, PermissionDenied) else status.HTTP_400_BAD_REQUEST
    return Response({"detail": str(error.message), "field": error.field}, status=code)


class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Orders the caller placed, runs, or oversees as an admin of the user's organisation."""

    queryset = Order.objects.none()
    serializer_class = OrderSerializer
    permission_classes = [IsAuthenticated]
    pagination_class = StandardPagination
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    filterset_fields = ["status", "mode", "instrument"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Order.objects.none()
        return selectors.orders_for_person(self.request.user).prefetch_related(
            Prefetch("documents", queryset=OrderDocument.objects.order_by("kind", "-uploaded_at"))
        )

    def handle_exception(self, exc):
        if isinstance(exc, DomainError):
            return _refusal(exc)
        return super().handle_exception(exc)

    def _done(self, order, code=status.HTTP_200_OK):
        order = self.get_queryset().get(pk=order.pk)
        return Response(OrderSerializer(order, context=self.get_serializer_context()).data, status=code)

    def _body(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=MachineTimeSerializer, responses={201: OrderSerializer, **REFUSALS})
    def create(self, request):
        """Book machine time; the slot is held at once, the quote is on the order."""
        order = services.book_slot(actor=request.user, **self._body(MachineTimeSerializer))
        return self._done(order, status.HTTP_201_CREATED)

    @extend_schema(request=SampleOrderSerializer, responses={201: OrderSerializer, **REFUSALS})
    @action(detail=False, methods=["post"])
    def samples(self, request):
        """Submit a sample testing order."""
        order = samples.create_sample_order(actor=request.user, **self._body(SampleOrderSerializer))
        return self._done(order, status.HTTP_201_CREATED)

    def _order(self):
        order = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if order is None:
            raise NotFound
        return order

    @extend_schema(request=ReasonSerializer, responses={200: OrderSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """The user before the deadline, or the running unit with a reason."""
        order = services.cancel_order(actor=request.user, order=self._order(), **self._body(ReasonSerializer))
        return self._done(order)

    @extend_schema(request=None, responses={200: OrderSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._done(services.accept_order(actor=request.user, order=self._order()))

    @extend_schema(request=ReasonSerializer, responses={200: OrderSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        order = services.reject_order(actor=request.user, order=self._order(), **self._body(ReasonSerializer))
        return self._done(order)

    @extend_schema(request=None, responses={200: OrderSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """The user is at the instrument, or the samples have arrived."""
        return self._done(services.start_service(actor=request.user, order=self._order()))

    @extend_schema(request=None, responses={200: OrderSerializer, **REFUSALS})
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, pk=None):
        return self._done(services.mark_no_show(actor=request.user, order=self._order()))

    @extend_schema(request=CompleteSerializer, responses={200: OrderSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Complete with the final fee; a fee that differs from the quote needs a reason."""
        order = services.complete_order(actor=request.user, order=self._order(), **self._body(CompleteSerializer))
        return self._done(order)

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={201: DocumentSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def documents(self, request, pk=None):
        """Upload a test report (the order becomes "report issued") or an invoice, as PDF."""
        data = self._body(UploadSerializer)
        document = documents.upload_document(
            actor=request.user, order=self._order(), kind=data["kind"], uploaded=data["file"]
        )
        return Response(
            DocumentSerializer(document, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={200: OrderSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        """The running unit confirms a payment made off the platform."""
        return self._done(services.settle_order(actor=request.user, order=self._order()))


def register(router):
    router.register("orders", OrderViewSet, basename="order")
