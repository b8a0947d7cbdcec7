"""Reads of the funding records, each limited to what the person may see: an enterprise its own
vouchers and applications, a unit its own payments, batches and rewards, an authority its
region subtree, the operator everything."""

from django.db.models import Count, Q, Sum

from dayi.accounts.permissions import scope_of
from dayi.booking.models import Order

from .calculator import to_fen
from .models import (
    InsurancePolicy,
    LedgerEntry,
    Payment,
    RedemptionBatch,
    RewardLine,
    RewardRun,
    RuleSet,
    SubsidyApplication,
    UnitGrade,
    VoucherApplication,
    VoucherGrant,
)


def overseer(user) -> bool:
    scope = scope_of(user)
    return scope.is_operator or scope.is_authority


def _organisation_filter(user, field="organisation"):
    """Own organisation; the whole region subtree for an authority; all for the operator."""
    scope = scope_of(user)
    if scope.is_operator:
        return Q()
    condition = scope.region_filter(f"{field}__region") if scope.is_authority else Q(pk__in=[])
    if user.is_authenticated and user.organisation_id:
        condition |= Q(**{f"{field}_id": user.organisation_id})
    return condition


def _unit_filter(user, field="unit"):
    scope = scope_of(user)
    if scope.is_operator:
        return Q()
    condition = scope.region_filter(f"{field}__region") if scope.is_authority else Q(pk__in=[])
    return condition | Q(**{f"{field}_id__in": scope.managed_unit_ids})


def rule_sets(user):
    """Rule sets are public once approved; drafts are for the operator and the authorities."""
    queryset = RuleSet.objects.select_related("region").prefetch_related("rules__bands")
    if not overseer(user):
        queryset = queryset.exclude(status=RuleSet.Status.DRAFT)
    return queryset


def grants(user):
    return VoucherGrant.objects.filter(_organisation_filter(user)).select_related("rule_set", "organisation")


def ledger(user):
    return LedgerEntry.objects.filter(grant__in=grants(user)).select_related("grant", "payment").order_by("-id")


def voucher_applications(user):
    return VoucherApplication.objects.filter(_organisation_filter(user)).select_related(
        "organisation", "rule_set", "applicant"
    )


def subsidy_applications(user):
    return SubsidyApplication.objects.filter(_organisation_filter(user)).select_related("organisation", "rule_set")


def payments(user):
    scope = scope_of(user)
    queryset = Payment.objects.select_related("order__instrument", "grant", "organisation", "unit")
    if scope.is_operator:
        # Not through the OR below: an empty Q() ORed with a condition is that condition.
        return queryset
    return queryset.filter(_organisation_filter(user) | Q(unit_id__in=scope.managed_unit_ids))


def batches(user):
    return RedemptionBatch.objects.filter(_unit_filter(user)).select_related("unit")


def reward_runs(user):
    scope = scope_of(user)
    if scope.is_operator:
        return RewardRun.objects.select_related("rule_set__region")
    if scope.is_authority:
        return RewardRun.objects.filter(scope.region_filter("rule_set__region")).select_related("rule_set__region")
    return RewardRun.objects.filter(lines__unit_id__in=scope.managed_unit_ids).distinct()


def reward_lines(user, run):
    lines = run.lines.select_related("unit", "instrument")
    if not overseer(user):
        lines = lines.filter(unit_id__in=scope_of(user).managed_unit_ids)
    return lines


def unit_reward_lines(user):
    return RewardLine.objects.filter(unit_id__in=scope_of(user).managed_unit_ids).select_related("run", "instrument")


def policies(user):
    return InsurancePolicy.objects.filter(_unit_filter(user)).select_related("instrument", "unit")


def unit_grades(user):
    return UnitGrade.objects.filter(_unit_filter(user)).select_related("unit").order_by("unit_id", "-year")


def payable_orders(user):
    """The person's completed orders waiting for payment."""
    if not user.is_authenticated:
        return Order.objects.none()
    return Order.objects.filter(
        user=user, status__in=(Order.Status.COMPLETED, Order.Status.REPORT_ISSUED), final_fee__isnull=False
    ).select_related("instrument")


def budgets(user):
    """Each approved rule set with what was granted or paid under it, against its budget."""
    sets = rule_sets(user).filter(status=RuleSet.Status.APPROVED)
    scope = scope_of(user)
    if not scope.is_operator:
        sets = sets.filter(scope.region_filter("region"))
    rows = []
    granted = dict(
        VoucherGrant.objects.values_list("rule_set").annotate(total=Sum("amount")).values_list("rule_set", "total")
    )
    drawn = dict(
        Payment.objects.filter(status=Payment.Status.PAID, grant__isnull=False)
        .values_list("grant__rule_set")
        .annotate(total=Sum("voucher_amount"))
        .values_list("grant__rule_set", "total")
    )
    subsidised = dict(
        SubsidyApplication.objects.filter(status=SubsidyApplication.Status.APPROVED)
        .values_list("rule_set")
        .annotate(total=Sum("amount"))
        .values_list("rule_set", "total")
    )
    rewarded = dict(
        RewardRun.objects.filter(status=RewardRun.Status.APPROVED)
        .values_list("rule_set")
        .annotate(total=Sum("total"))
        .values_list("rule_set", "total")
    )
    for rule_set in sets:
        committed = to_fen(granted.get(rule_set.pk) or subsidised.get(rule_set.pk) or rewarded.get(rule_set.pk) or 0)
        rows.append(
            {
                "rule_set": rule_set,
                "committed": committed,
                "drawn": to_fen(drawn.get(rule_set.pk, 0)),
                "budget": rule_set.budget_total,
                "share": (committed / rule_set.budget_total * 100) if rule_set.budget_total else None,
            }
        )
    return rows


def region_summary(user):
    """Per region of the paying organisation: payments, voucher deductions, users' part."""
    return (
        payments(user)
        .filter(status=Payment.Status.PAID)
        .values("organisation__region__name")
        .annotate(count=Count("pk"), fees=Sum("fee"), vouchers=Sum("voucher_amount"), users=Sum("paid_by_user"))
        .order_by("organisation__region__name")
    )
