"""JSON endpoints of reviews, complaints and outcomes, with the same rules and refusals as the
pages: a refused rule answers 400 {"detail", "field"}, a refused person 403."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from dayi.accounts.api import ChoiceLabelField, StandardPagination
from dayi.accounts.models import Organisation
from dayi.core.errors import DomainError, PermissionDenied

from . import selectors, services
from .models import ASPECTS, Complaint, ComplaintEntry, Outcome, Review

SCORE = {"min_value": 1, "max_value": 5}


class RefusalsAsErrors:
    """A service's refusal becomes 400 with the rule's message (and field), or 403."""

    def handle_exception(self, exc):
        if isinstance(exc, PermissionDenied):
            exc = exceptions.PermissionDenied(exc.message)
        elif isinstance(exc, DomainError):
            return Response({"detail": exc.message, "field": exc.field}, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)


# Reviews ------------------------------------------------------------------------------------


class ReviewSerializer(serializers.ModelSerializer):
    # Plain integers: the scores' 1–5 choices would otherwise become one enum per aspect.
    attitude = serializers.IntegerField(read_only=True)
    timeliness = serializers.IntegerField(read_only=True)
    quality = serializers.IntegerField(read_only=True)
    value = serializers.IntegerField(read_only=True)
    instrument = serializers.IntegerField(source="order.instrument_id", read_only=True)
    author = serializers.SerializerMethodField(help_text=_("The author's masked name."))
    overall = serializers.DecimalField(max_digits=2, decimal_places=1, read_only=True)
    grade = serializers.CharField(read_only=True)

    class Meta:
        model = Review
        fields = [
            "id",
            "instrument",
            "author",
            *[name for name, _label in ASPECTS],
            "overall",
            "grade",
            "comment",
            "created_at",
        ]

    def get_author(self, review) -> str:
        return selectors.masked_name(review.author)


class ReviewCreateSerializer(serializers.Serializer):
    order = serializers.IntegerField(help_text=_("The completed order being rated (your own)."))
    attitude = serializers.IntegerField(**SCORE)
    timeliness = serializers.IntegerField(**SCORE)
    quality = serializers.IntegerField(**SCORE)
    value = serializers.IntegerField(**SCORE)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


@extend_schema_view(
    list=extend_schema(
        summary=_("Reviews of one instrument"),
        parameters=[OpenApiParameter("instrument", int, required=True, description=_("Instrument id."))],
    ),
    create=extend_schema(
        summary=_("Rate one of your completed orders (once)"),
        request=ReviewCreateSerializer,
        responses={201: ReviewSerializer},
    ),
)
class ReviewViewSet(RefusalsAsErrors, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = ReviewSerializer
    pagination_class = StandardPagination
    permission_classes = [IsAuthenticatedOrReadOnly]
    queryset = Review.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Review.objects.none()
        pk = self.request.query_params.get("instrument", "")
        if not pk.isdigit():
            raise exceptions.ValidationError({"instrument": _("Give the instrument's id.")})
        return selectors.instrument_reviews(selectors.instrument_for_reviews(self.request.user, int(pk)))

    def create(self, request, *args, **kwargs):
        data = ReviewCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        order = selectors.order_for_feedback(request.user, values.pop("order"))
        comment = values.pop("comment", "")
        review = services.submit_review(actor=request.user, order=order, scores=values, comment=comment)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


# Complaints ---------------------------------------------------------------------------------


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name"]


class ComplaintEntrySerializer(serializers.ModelSerializer):
    kind = ChoiceLabelField()
    author = serializers.StringRelatedField()

    class Meta:
        model = ComplaintEntry
        fields = ["kind", "author", "text", "created_at"]


class ComplaintSerializer(serializers.ModelSerializer):
    status = ChoiceLabelField()
    unit = UnitRefSerializer(read_only=True)
    overdue = serializers.BooleanField(read_only=True, help_text=_("Waiting for an answer past its due date."))
    record = ComplaintEntrySerializer(source="entries", many=True, read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "id",
            "subject",
            "status",
            "unit",
            "order",
            "filed_at",
            "answer_due",
            "overdue",
            "first_answered_at",
            "statement_requested_at",
            "escalated_at",
            "closed_at",
            "record",
        ]


class ComplaintCreateSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=200)
    text = serializers.CharField(max_length=4000, help_text=_("What happened."))
    order = serializers.IntegerField(required=False, help_text=_("One of your orders; or give the unit."))
    unit = serializers.IntegerField(required=False, help_text=_("A management unit, when no order is concerned."))


class ComplaintTextSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000)


@extend_schema_view(
    list=extend_schema(summary=_("Complaints you may read: your own, your unit's, or all for the operator")),
    retrieve=extend_schema(summary=_("One complaint with its record")),
    create=extend_schema(
        summary=_("File a complaint about an order or a unit"),
        request=ComplaintCreateSerializer,
        responses={201: ComplaintSerializer},
    ),
)
class ComplaintViewSet(
    RefusalsAsErrors, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = ComplaintSerializer
    pagination_class = StandardPagination
    permission_classes = [IsAuthenticated]
    queryset = Complaint.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Complaint.objects.none()
        return selectors.complaints_seen_by(self.request.user).prefetch_related("entries__author")

    def create(self, request, *args, **kwargs):
        data = ComplaintCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        order = unit = None
        if "order" in values:
            order = selectors.order_for_feedback(request.user, values.pop("order"))
        elif "unit" in values:
            unit = get_object_or_404(Organisation.objects.filter(is_management_unit=True), pk=values.pop("unit"))
        complaint = services.file_complaint(actor=request.user, order=order, unit=unit, **values)
        return Response(self._present(complaint), status=status.HTTP_201_CREATED)

    def _present(self, complaint):
        return ComplaintSerializer(self.get_queryset().get(pk=complaint.pk)).data

    @extend_schema(
        summary=_("The platform operator answers a complaint"),
        request=ComplaintTextSerializer,
        responses={200: ComplaintSerializer},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        complaint = self.get_object()
        data = ComplaintTextSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.answer_complaint(actor=request.user, complaint=complaint, text=data.validated_data["text"])
        return Response(self._present(complaint))


# Outcomes -----------------------------------------------------------------------------------


class OutcomeSerializer(serializers.ModelSerializer):
    kind = ChoiceLabelField()

    class Meta:
        model = Outcome
        fields = ["id", "order", "kind", "title", "reference", "achieved_on", "acknowledges_platform", "created_at"]
        read_only_fields = fields


class OutcomeCreateSerializer(serializers.Serializer):
    order = serializers.IntegerField(help_text=_("One of your completed orders."))
    kind = serializers.ChoiceField(choices=Outcome.Kind.choices)
    title = serializers.CharField(max_length=300)
    reference = serializers.CharField(max_length=200, required=False, allow_blank=True)
    achieved_on = serializers.DateField()
    acknowledges_platform = serializers.BooleanField(required=False, default=False)


@extend_schema_view(
    list=extend_schema(summary=_("Outcomes you recorded, of your unit's orders, or all for the operator")),
    create=extend_schema(
        summary=_("Record an outcome built on one of your completed orders"),
        request=OutcomeCreateSerializer,
        responses={201: OutcomeSerializer},
    ),
)
class OutcomeViewSet(RefusalsAsErrors, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = OutcomeSerializer
    pagination_class = StandardPagination
    permission_classes = [IsAuthenticated]
    queryset = Outcome.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Outcome.objects.none()
        return selectors.outcomes_seen_by(self.request.user)

    def create(self, request, *args, **kwargs):
        data = OutcomeCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        order = selectors.order_for_feedback(request.user, values.pop("order"))
        outcome = services.record_outcome(actor=request.user, order=order, **values)
        return Response(OutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)


def register(router):
    router.register("reviews", ReviewViewSet, basename="review")
    router.register("complaints", ComplaintViewSet, basename="complaint")
    router.register("outcomes", OutcomeViewSet, basename="outcome")
