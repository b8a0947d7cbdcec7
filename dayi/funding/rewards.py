"""Yearly owner-unit rewards: the rate on each instrument's external service fees of the year,
capped per instrument and per unit; the authority over the region approves the list."""

from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.accounts.permissions import scope_of
from dayi.audit import services as audit
from dayi.core.errors import DomainError, PermissionDenied

from .calculator import ZERO, basis, calculate, money, phrasebook, yuan
from .models import RewardLine, RewardRun, RuleSet
from .permissions import require_operator
from .years import DONE, one_rule, orders_of_year


def compute_rewards(*, actor, rule_set: RuleSet, year: int) -> RewardRun:
    """The owner units' sharing rewards of a year: the rate on each instrument's external fees
    (excluded purposes left out), capped per instrument, then per unit (scaled down evenly)."""
    require_operator(actor, _("Only the platform operator computes rewards."))
    if rule_set.kind != RuleSet.Kind.REWARD or rule_set.status != RuleSet.Status.APPROVED:
        raise DomainError(_("Choose an approved reward rule set."))
    rule = one_rule(rule_set, "reward")
    excluded = Q(service_purpose__in=rule.excluded_purposes)
    relation = {"external": {"is_external": True}, "internal": {"is_external": False}}.get(rule.relation, {})
    rows = (
        orders_of_year(year)
        .filter(status__in=DONE, final_fee__isnull=False, **relation)
        .filter(instrument__region__path__startswith=rule_set.region.path)
        .values("instrument_id", "instrument__owner_id")
        .annotate(
            counted=Coalesce(Sum("final_fee", filter=~excluded), ZERO),
            excluded=Coalesce(Sum("final_fee", filter=excluded), ZERO),
        )
        .order_by("instrument__owner_id", "instrument_id")
    )
    by_unit = defaultdict(list)
    # Each instrument is computed without the unit cap; that cap is applied across the unit below.
    unit_cap, rule.cap_per_organisation = rule.cap_per_organisation, None
    # Phrases said per instrument are translated once; the rule's description heads the list.
    excluded_text = _("Excluded fees (duty, horizontal-project, statutory testing): %(sum)s yuan.")
    scaled_text = _(
        "The unit's rewards add up to %(total)s yuan, above the cap per unit of %(cap)s yuan: "
        "every instrument's reward scaled by %(cap)s / %(total)s to %(amount)s yuan."
    )
    with phrasebook():
        for row in rows:
            result = calculate(rule, row["counted"], header=False)
            if row["excluded"]:
                result.lines.insert(0, excluded_text % {"sum": money(row["excluded"])})
            by_unit[row["instrument__owner_id"]].append((row, result))
        header = "\n".join(basis(rule))
    with transaction.atomic():
        run = RewardRun.objects.create(rule_set=rule_set, year=year, computed_by=actor, basis=header)
        lines = []
        for unit_id, results in by_unit.items():
            unit_total = sum(result.amount for _row, result in results)
            factor = unit_cap / unit_total if unit_cap is not None and unit_total > unit_cap else None
            for row, result in results:
                amount = result.amount
                if factor is not None:
                    amount = yuan(amount * factor)
                    result.lines.append(
                        scaled_text % {"total": money(unit_total), "cap": money(unit_cap), "amount": money(amount)}
                    )
                lines.append(
                    RewardLine(
                        run=run,
                        unit_id=unit_id,
                        instrument_id=row["instrument_id"],
                        external_fees=row["counted"],
                        excluded_fees=row["excluded"],
                        amount=amount,
                        working="\n".join(result.lines),
                    )
                )
        _insert_lines(lines)
        run.total = sum((line.amount for line in lines), ZERO)
        run.save(update_fields=["total"])
        audit.record(
            actor=actor,
            action="funding.reward.compute",
            target=run,
            changes={"lines": len(lines), "total": str(run.total)},
        )
    return run


LINE_COLUMNS = ("run_id", "unit_id", "instrument_id", "external_fees", "excluded_fees", "amount", "working")


def _insert_lines(lines):
    """A province's list is tens of thousands of rows: COPY on PostgreSQL, where building the
    bulk INSERT would take longer than computing the rewards."""
    if connection.vendor != "postgresql":
        RewardLine.objects.bulk_create(lines, batch_size=2000)
        return
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        with cursor.copy(f"COPY {RewardLine._meta.db_table} ({', '.join(LINE_COLUMNS)}) FROM STDIN") as copy:
            for line in lines:
                copy.write_row([getattr(line, column) for column in LINE_COLUMNS])


def approve_rewards(*, actor, run: RewardRun, now=None) -> RewardRun:
    scope = scope_of(actor)
    if not (scope.is_authority and scope.can_see_region(run.rule_set.region)):
        raise PermissionDenied(
            _("Only an authority over %(region)s approves its rewards.") % {"region": run.rule_set.region.name}
        )
    with transaction.atomic():
        run = RewardRun.objects.select_for_update().get(pk=run.pk)
        if run.status != RewardRun.Status.COMPUTED:
            raise DomainError(_("This reward list is approved already."))
        run.status = RewardRun.Status.APPROVED
        run.approved_by = actor
        run.approved_at = now or timezone.now()
        run.save(update_fields=["status", "approved_by", "approved_at"])
        audit.record(actor=actor, action="funding.reward.approve", target=run, changes={"total": str(run.total)})
    return run
