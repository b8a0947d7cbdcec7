"""JSON endpoints of the testing subsidies, the yearly rewards and sharing insurance. Reads are
scoped by the selectors; each write goes to the same service as the page, which refuses whoever
may not: an enterprise member applies for a subsidy and the operator decides it; the operator
computes a reward list and an authority over its region approves it; a unit administrator
registers a policy, the operator enters a grade and computes the subsidy."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated

from dayi.accounts.api import ChoiceLabelField
from dayi.accounts.models import Organisation
from dayi.booking.api import REFUSALS
from dayi.catalog.models import Instrument

from . import insurance, rewards, selectors, subsidies
from .api import RefusingMixin, scoped
from .models import InsurancePolicy, RewardLine, RewardRun, RuleSet, SubsidyApplication, SubsidyItem, UnitGrade

YEAR = {"min_value": 2000, "max_value": 2100}
MONEY = {"max_digits": 14, "decimal_places": 2}


class SubsidyItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubsidyItem
        fields = ["id", "order", "invoice_number", "provider", "service_purpose", "amount", "counted", "reason"]


class SubsidySerializer(serializers.ModelSerializer):
    status = ChoiceLabelField()
    items = SubsidyItemSerializer(many=True, read_only=True)

    class Meta:
        model = SubsidyApplication
        fields = [
            "id", "organisation", "rule_set", "year", "counted_fees", "amount", "working", "status",
            "decision_reason", "created_at", "items",
        ]  # fmt: skip


class InvoiceSerializer(serializers.Serializer):
    invoice_number = serializers.CharField(max_length=40)
    provider = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    amount = serializers.DecimalField(**MONEY, help_text=_("The invoice's amount in yuan."))
    service_purpose = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", help_text=_("Excluded purposes do not count.")
    )


class SubsidyRequestSerializer(serializers.Serializer):
    rule_set = serializers.PrimaryKeyRelatedField(
        queryset=RuleSet.objects.filter(kind=RuleSet.Kind.SUBSIDY, status=RuleSet.Status.APPROVED)
    )
    year = serializers.IntegerField(**YEAR, help_text=_("The year the fees were paid in."))
    orders = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    invoices = InvoiceSerializer(many=True, required=False, default=list)


class SubsidyDecisionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(["approve", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class SubsidyViewSet(RefusingMixin, viewsets.ReadOnlyModelViewSet):
    """Subsidy applications with their items, computed amount and working."""

    serializer_class = SubsidySerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status", "year"]
    get_queryset = scoped("subsidy_applications", SubsidyApplication)

    @extend_schema(request=SubsidyRequestSerializer, responses={201: SubsidySerializer, **REFUSALS})
    def create(self, request):
        """An enterprise member claims a year's platform orders and invoices of tests done
        elsewhere (several allowed); the amount is computed at once."""
        data = self._body(SubsidyRequestSerializer)
        application = subsidies.apply_for_subsidy(
            actor=request.user,
            rule_set=data["rule_set"],
            year=data["year"],
            order_ids=data["orders"],
            invoices=[dict(invoice) for invoice in data["invoices"]],
        )
        return self._done(application, status.HTTP_201_CREATED)

    @extend_schema(request=SubsidyDecisionSerializer, responses={200: SubsidySerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """The operator approves (the amount is computed again) or rejects with a reason."""
        data = self._body(SubsidyDecisionSerializer)
        application = subsidies.decide_subsidy(
            actor=request.user,
            application=get_object_or_404(SubsidyApplication, pk=pk),
            approve=data["action"] == "approve",
            reason=data["reason"],
        )
        return self._done(application)


class RewardRunSerializer(serializers.ModelSerializer):
    status = ChoiceLabelField()

    class Meta:
        model = RewardRun
        fields = ["id", "rule_set", "year", "status", "total", "basis", "computed_at", "approved_at"]


class RewardLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = RewardLine
        fields = ["id", "unit", "instrument", "external_fees", "excluded_fees", "amount", "working"]


class RewardComputeSerializer(serializers.Serializer):
    rule_set = serializers.PrimaryKeyRelatedField(
        queryset=RuleSet.objects.filter(kind=RuleSet.Kind.REWARD, status=RuleSet.Status.APPROVED)
    )
    year = serializers.IntegerField(**YEAR)


class RewardRunViewSet(RefusingMixin, viewsets.ReadOnlyModelViewSet):
    """Yearly reward lists: the operator's and authorities' in full, a unit's where it has lines."""

    serializer_class = RewardRunSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status", "year"]
    get_queryset = scoped("reward_runs", RewardRun)

    @extend_schema(request=RewardComputeSerializer, responses={201: RewardRunSerializer, **REFUSALS})
    def create(self, request):
        """The operator computes a year's list under an approved reward rule set."""
        run = rewards.compute_rewards(actor=request.user, **self._body(RewardComputeSerializer))
        return self._done(run, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: RewardRunSerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """An authority over the rule set's region approves the list."""
        run = rewards.approve_rewards(actor=request.user, run=self.get_object())
        return self._done(run)

    @extend_schema(responses={200: RewardLineSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def lines(self, request, pk=None):
        """The list's lines with their working (a unit sees its own)."""
        lines = selectors.reward_lines(request.user, self.get_object()).order_by("unit_id", "instrument_id")
        page = self.paginate_queryset(lines)
        return self.get_paginated_response(RewardLineSerializer(page, many=True).data)


class PolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = InsurancePolicy
        fields = ["id", "unit", "instrument", "year", "insurer", "premium", "cover", "subsidy", "working"]
        read_only_fields = ["unit", "subsidy", "working"]


class PolicyRequestSerializer(serializers.Serializer):
    instrument = serializers.PrimaryKeyRelatedField(queryset=Instrument.objects.all())
    year = serializers.IntegerField(**YEAR)
    insurer = serializers.CharField(max_length=128)
    premium = serializers.DecimalField(**MONEY)
    cover = serializers.DecimalField(**MONEY)


class PolicyViewSet(RefusingMixin, viewsets.ReadOnlyModelViewSet):
    """Sharing insurance policies of the caller's unit (a region's for an authority, all for the operator)."""

    serializer_class = PolicySerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["year"]
    get_queryset = scoped("policies", InsurancePolicy)

    @extend_schema(request=PolicyRequestSerializer, responses={201: PolicySerializer, **REFUSALS})
    def create(self, request):
        """The unit's administrator registers one instrument's policy for a year; the subsidy
        follows the unit's last grade."""
        policy = insurance.register_policy(actor=request.user, **self._body(PolicyRequestSerializer))
        return self._done(policy, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: PolicySerializer, **REFUSALS})
    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        """The operator computes the subsidy again by the unit's grade entered since."""
        policy = insurance.compute_policy_subsidy(actor=request.user, policy=get_object_or_404(InsurancePolicy, pk=pk))
        return self._done(policy)


class GradeSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_management_unit=True))
    year = serializers.IntegerField(**YEAR)
    grade = serializers.ChoiceField(insurance.GRADE_CHOICES)

    class Meta:
        model = UnitGrade
        fields = ["id", "unit", "year", "grade", "entered_at"]
        read_only_fields = ["entered_at"]
        # The service updates an existing (unit, year) grade rather than refusing it.
        validators = []


class GradeViewSet(RefusingMixin, viewsets.ReadOnlyModelViewSet):
    """Units' evaluation grades, entered by the operator until the evaluation produces them."""

    serializer_class = GradeSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["unit", "year"]
    get_queryset = scoped("unit_grades", UnitGrade)

    @extend_schema(request=GradeSerializer, responses={201: GradeSerializer, **REFUSALS})
    def create(self, request):
        """The operator enters (or corrects) a unit's grade for a year."""
        grade = insurance.set_unit_grade(actor=request.user, **self._body(GradeSerializer))
        return self._done(grade, status.HTTP_201_CREATED)


def register(router):
    router.register("funding/subsidy-applications", SubsidyViewSet, basename="funding-subsidy")
    router.register("funding/reward-runs", RewardRunViewSet, basename="funding-reward-run")
    router.register("funding/insurance-policies", PolicyViewSet, basename="funding-policy")
    router.register("funding/unit-grades", GradeViewSet, basename="funding-grade")
