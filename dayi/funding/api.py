"""JSON endpoints of funding: rule sets (public once approved), the caller's vouchers, ledger,
payments and redemption batches, each scoped by the selectors; writes for the roles that may:
pay an order, apply for and grant vouchers, redeem, decide a batch. Subsidies, rewards and
insurance are in `api_programs`."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from dayi.accounts.api import ChoiceLabelField, StandardPagination
from dayi.accounts.models import Organisation
from dayi.booking.api import REFUSALS, _refusal
from dayi.booking.models import Order
from dayi.core.errors import DomainError

from . import grants, payments, redemptions, selectors
from .models import (
    Band,
    LedgerEntry,
    Payment,
    RedemptionBatch,
    Rule,
    RuleSet,
    VoucherApplication,
    VoucherGrant,
)


class BandSerializer(serializers.ModelSerializer):
    class Meta:
        model = Band
        fields = ["lower", "upper", "rate"]


class RuleSerializer(serializers.ModelSerializer):
    bands = BandSerializer(many=True, read_only=True)
    pays = ChoiceLabelField()

    class Meta:
        model = Rule
        fields = [
            "id", "name", "pays", "categories", "flags", "location", "relation", "fee_types", "excluded_purposes",
            "grade", "base_cap", "cap_per_order", "cap_per_instrument", "cap_per_organisation", "cap_per_year",
            "province_share", "city_share", "min_city_match", "note", "bands",
        ]  # fmt: skip


class RuleSetSerializer(serializers.ModelSerializer):
    rules = RuleSerializer(many=True, read_only=True)
    kind = ChoiceLabelField()
    status = ChoiceLabelField()
    region = serializers.CharField(source="region.code", read_only=True)

    class Meta:
        model = RuleSet
        fields = [
            "id", "region", "kind", "name", "version", "valid_from", "valid_to", "source", "budget_total", "status",
            "supersedes", "approved_at", "rules",
        ]  # fmt: skip


class GrantSerializer(serializers.ModelSerializer):
    status = ChoiceLabelField()

    class Meta:
        model = VoucherGrant
        fields = [
            "id", "organisation", "rule_set", "amount", "province_part", "city_part", "remaining", "valid_from",
            "valid_to", "status", "granted_at",
        ]  # fmt: skip


class LedgerEntrySerializer(serializers.ModelSerializer):
    kind = ChoiceLabelField()

    class Meta:
        model = LedgerEntry
        fields = ["id", "grant", "kind", "amount", "balance_after", "payment", "note", "created_at"]


class PaymentSerializer(serializers.ModelSerializer):
    status = ChoiceLabelField()

    class Meta:
        model = Payment
        fields = [
            "id", "order", "organisation", "unit", "grant", "fee", "voucher_amount", "province_part", "city_part",
            "paid_by_user", "working", "status", "batch", "paid_at", "refunded_at",
        ]  # fmt: skip


class BatchSerializer(serializers.ModelSerializer):
    status = ChoiceLabelField()

    class Meta:
        model = RedemptionBatch
        fields = ["id", "unit", "status", "total", "decision_reason", "created_at", "paid_at"]


class VoucherApplicationSerializer(serializers.ModelSerializer):
    status = ChoiceLabelField()

    class Meta:
        model = VoucherApplication
        fields = [
            "id",
            "organisation",
            "rule_set",
            "amount_requested",
            "purpose",
            "status",
            "decision_reason",
            "created_at",
        ]
        read_only_fields = ["organisation", "status", "decision_reason", "created_at"]


class PaySerializer(serializers.Serializer):
    order = serializers.IntegerField(help_text=_("The order to pay; it must be completed with its final fee."))
    grant = serializers.IntegerField(required=False, allow_null=True, help_text=_("Voucher grant to deduct from."))
    voucher_limit = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text=_("At most this much by voucher; never more than the fee."),
    )


class GrantRequestSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()


class RedeemSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    payments = serializers.ListField(child=serializers.IntegerField(), min_length=1)


class DecisionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(["approve", "reject", "paid"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RefusingMixin:
    pagination_class = StandardPagination

    def handle_exception(self, exc):
        if isinstance(exc, DomainError):
            return _refusal(exc)
        return super().handle_exception(exc)

    def _body(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _done(self, record, code=status.HTTP_200_OK, serializer_class=None):
        serializer_class = serializer_class or self.get_serializer_class()
        return Response(serializer_class(record).data, status=code)


def scoped(name, model):
    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return model.objects.none()
        return getattr(selectors, name)(self.request.user)

    return get_queryset


class RuleSetViewSet(RefusingMixin, viewsets.ReadOnlyModelViewSet):
    """Rule sets with their rules and bands; drafts only for the operator and authorities."""

    serializer_class = RuleSetSerializer
    permission_classes = [AllowAny]
    filterset_fields = ["kind", "status"]
    get_queryset = scoped("rule_sets", RuleSet)


class GrantViewSet(RefusingMixin, viewsets.ReadOnlyModelViewSet):
    """Voucher grants of the caller's organisation (a region's for an authority, all for the operator)."""

    serializer_class = GrantSerializer
    permission_classes = [IsAuthenticated]
    get_queryset = scoped("grants", VoucherGrant)


class LedgerViewSet(RefusingMixin, viewsets.ReadOnlyModelViewSet):
    """Every movement on the grants the caller may see."""

    serializer_class = LedgerEntrySerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["grant", "kind"]
    get_queryset = scoped("ledger", LedgerEntry)


class PaymentViewSet(RefusingMixin, viewsets.ReadOnlyModelViewSet):
    """Payments of the caller's organisation's orders or of orders the caller's unit served."""

    serializer_class = PaymentSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status", "batch"]
    get_queryset = scoped("payments", Payment)

    @extend_schema(request=PaySerializer, responses={201: PaymentSerializer, **REFUSALS})
    def create(self, request):
        """Pay a completed order; a voucher grant, if given, is deducted in real time."""
        data = self._body(PaySerializer)
        order = get_object_or_404(Order, pk=data["order"], user=request.user)
        grant = get_object_or_404(selectors.grants(request.user), pk=data["grant"]) if data.get("grant") else None
        payment = payments.pay_order(
            actor=request.user, order=order, grant=grant, voucher_limit=data.get("voucher_limit")
        )
        return self._done(payment, status.HTTP_201_CREATED)


class VoucherApplicationViewSet(RefusingMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Voucher applications; an enterprise member applies, the operator grants or rejects."""

    serializer_class = VoucherApplicationSerializer
    permission_classes = [IsAuthenticated]
    get_queryset = scoped("voucher_applications", VoucherApplication)

    @extend_schema(responses={201: VoucherApplicationSerializer, **REFUSALS})
    def create(self, request):
        data = self._body(VoucherApplicationSerializer)
        application = grants.apply_for_vouchers(
            actor=request.user, rule_set=data["rule_set"], amount=data["amount_requested"], purpose=data["purpose"]
        )
        return self._done(application, status.HTTP_201_CREATED)

    @extend_schema(request=GrantRequestSerializer, responses={201: GrantSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def grant(self, request, pk=None):
        """The operator grants the application."""
        grant = grants.grant_vouchers(
            actor=request.user,
            application=get_object_or_404(VoucherApplication, pk=pk),
            **self._body(GrantRequestSerializer),
        )
        return self._done(grant, status.HTTP_201_CREATED, GrantSerializer)


class BatchViewSet(RefusingMixin, viewsets.ReadOnlyModelViewSet):
    """Redemption batches of the caller's unit (a region's for an authority, all for the operator)."""

    serializer_class = BatchSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status"]
    get_queryset = scoped("batches", RedemptionBatch)

    @extend_schema(request=RedeemSerializer, responses={201: BatchSerializer, **REFUSALS})
    def create(self, request):
        """The unit admin redeems reviewed orders paid with vouchers."""
        data = self._body(RedeemSerializer)
        unit = get_object_or_404(Organisation, pk=data["unit"])
        batch = redemptions.submit_batch(actor=request.user, unit=unit, payment_ids=data["payments"])
        return self._done(batch, status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses={200: BatchSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """The operator approves, rejects (with a reason) or marks a batch as paid."""
        data = self._body(DecisionSerializer)
        batch = get_object_or_404(RedemptionBatch, pk=pk)
        batch = redemptions.decide_batch(actor=request.user, batch=batch, **data)
        return self._done(batch)


def register(router):
    router.register("funding/rule-sets", RuleSetViewSet, basename="funding-rule-set")
    router.register("funding/grants", GrantViewSet, basename="funding-grant")
    router.register("funding/ledger", LedgerViewSet, basename="funding-ledger")
    router.register("funding/payments", PaymentViewSet, basename="funding-payment")
    router.register("funding/voucher-applications", VoucherApplicationViewSet, basename="funding-voucher-application")
    router.register("funding/redemption-batches", BatchViewSet, basename="funding-batch")
    from . import api_programs

    api_programs.register(router)
