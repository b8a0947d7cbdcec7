"""Testing subsidies, yearly owner-unit rewards and sharing insurance: each amount computed by
the region's approved rule set, with its working."""

from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.accounts.permissions import scope_of
from dayi.audit import services as audit
from dayi.booking.models import Order
from dayi.booking.notifications import notify
from dayi.core.errors import DomainError, PermissionDenied

from .calculator import ZERO, Subject, Used, basis, calculate, grade_label, money, phrasebook, refusals, yuan
from .models import InsurancePolicy, Payment, RewardLine, RewardRun, RuleSet, SubsidyApplication, SubsidyItem, UnitGrade
from .rulesets import effective
from .services import require_operator

# Orders whose service is done and paid: they count for subsidies and rewards.
DONE = (Order.Status.SETTLED, Order.Status.REVIEWED)


def year_bounds(year: int):
    tz = timezone.get_current_timezone()
    return datetime.combine(date(year, 1, 1), time(), tz), datetime.combine(date(year + 1, 1, 1), time(), tz)


def orders_of_year(year: int):
    start, end = year_bounds(year)
    return Order.objects.annotate(day=Coalesce("ends_at", "created_at")).filter(day__gte=start, day__lt=end)


def _one_rule(rule_set: RuleSet, pays: str):
    rule = rule_set.rules.filter(pays=pays).select_related("rule_set__region").prefetch_related("bands").first()
    if rule is None:
        raise DomainError(_("The rule set “%(set)s” has no rule for this payout.") % {"set": rule_set})
    return rule


# Subsidies ------------------------------------------------------------------------------------


def apply_for_subsidy(*, actor, rule_set: RuleSet, year: int, order_ids=(), invoices=()) -> SubsidyApplication:
    """An enterprise claims the testing fees of one year: its platform orders and uploaded
    invoices of tests done elsewhere. Refused whole if any order is not its own, not done, or
    claimed already."""
    if not actor.is_authenticated or actor.organisation_id is None:
        raise PermissionDenied(_("Only a member of an enterprise applies for subsidies."))
    if rule_set.kind != RuleSet.Kind.SUBSIDY or rule_set.status != RuleSet.Status.APPROVED:
        raise DomainError(_("Choose an approved subsidy scheme."), field="rule_set")
    if not order_ids and not invoices:
        raise DomainError(_("Claim at least one order or invoice."), field="orders")
    rule = _one_rule(rule_set, "subsidy")
    organisation = actor.organisation
    org_refusals = calculate(rule, ZERO, Subject(organisation=organisation))
    if not org_refusals.eligible:
        raise DomainError(org_refusals.working)
    with transaction.atomic():
        orders = list(
            orders_of_year(year).select_for_update(of=("self",)).filter(pk__in=order_ids).select_related("instrument")
        )
        if len(orders) != len(set(order_ids)):
            raise DomainError(_("Some orders are not orders of %(year)s.") % {"year": year}, field="orders")
        application = SubsidyApplication.objects.create(
            organisation=organisation, applicant=actor, rule_set=rule_set, year=year
        )
        items = []
        paid = dict(
            Payment.objects.filter(order__in=orders, status=Payment.Status.PAID).values_list("order", "paid_by_user")
        )
        for order in orders:
            if order.organisation_id != organisation.pk:
                raise PermissionDenied(_("Order %(number)s is not your organisation's.") % {"number": order.pk})
            if order.status not in DONE:
                raise DomainError(_("Order %(number)s is not paid yet.") % {"number": order.pk}, field="orders")
            if SubsidyItem.objects.filter(order=order, active=True).exists():
                raise DomainError(
                    _("Order %(number)s has been subsidised already.") % {"number": order.pk}, field="orders"
                )
            # What the enterprise itself paid: a voucher part is public money already.
            fee = paid.get(order.pk, order.final_fee)
            if fee <= 0:
                raise DomainError(
                    _("Order %(number)s was paid entirely by vouchers.") % {"number": order.pk}, field="orders"
                )
            reasons = refusals(rule, Subject(fee_type=order.mode, service_purpose=order.service_purpose))
            items.append(
                SubsidyItem(
                    application=application,
                    order=order,
                    amount=fee,
                    service_purpose=order.service_purpose,
                    counted=not reasons,
                    reason=" ".join(reasons)[:200],
                )
            )
        for invoice in invoices:
            if not invoice.get("invoice_number") or not invoice.get("amount") or invoice["amount"] <= 0:
                raise DomainError(_("Each invoice needs its number and an amount above zero."), field="invoices")
            reasons = refusals(rule, Subject(service_purpose=invoice.get("service_purpose")))
            items.append(
                SubsidyItem(application=application, counted=not reasons, reason=" ".join(reasons)[:200], **invoice)
            )
        try:
            with transaction.atomic():
                for item in items:
                    item.save()
        except IntegrityError as error:
            # Another application claimed one of the orders between the check and the insert.
            raise DomainError(
                _("One of the orders was just claimed in another application."), field="orders"
            ) from error
        _compute_subsidy(application, rule)
        audit.record(
            actor=actor,
            action="funding.subsidy.apply",
            target=application,
            changes={"amount": str(application.amount), "items": len(items)},
        )
    return application


def _compute_subsidy(application, rule):
    counted = application.items.filter(counted=True).aggregate(total=Sum("amount"))["total"] or ZERO
    before = (
        SubsidyApplication.objects.filter(
            organisation=application.organisation,
            rule_set=application.rule_set,
            year=application.year,
            status=SubsidyApplication.Status.APPROVED,
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    result = calculate(rule, counted, used=Used(year=before, organisation=before))
    application.counted_fees = counted
    application.amount = result.amount
    application.working = result.working
    application.save(update_fields=["counted_fees", "amount", "working"])


def decide_subsidy(*, actor, application: SubsidyApplication, approve: bool, reason: str = ""):
    require_operator(actor, _("Only the platform operator reviews subsidy applications."))
    if not approve and not reason.strip():
        raise DomainError(_("Give the reason for rejecting."), field="reason")
    with transaction.atomic():
        application = SubsidyApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != SubsidyApplication.Status.SUBMITTED:
            raise DomainError(_("This application has been decided already."))
        if approve:
            # Recomputed under the lock: an approval meanwhile may have used the yearly cap.
            _compute_subsidy(application, _one_rule(application.rule_set, "subsidy"))
            application.status = SubsidyApplication.Status.APPROVED
        else:
            application.status = SubsidyApplication.Status.REJECTED
            application.items.update(active=False)
        application.reviewed_by = actor
        application.decision_reason = reason
        application.save(update_fields=["status", "reviewed_by", "decision_reason"])
        audit.record(
            actor=actor,
            action=f"funding.subsidy.{application.status}",
            target=application,
            changes={"amount": str(application.amount)},
            reason=reason,
        )
        notify(
            [application.applicant],
            _("Your subsidy application %(number)s is %(status)s: %(amount)s yuan.")
            % {
                "number": application.pk,
                "status": application.get_status_display(),
                "amount": money(application.amount),
            },
        )
    return application


# Rewards --------------------------------------------------------------------------------------


def compute_rewards(*, actor, rule_set: RuleSet, year: int) -> RewardRun:
    """The owner units' sharing rewards of a year: the rate on each instrument's external fees
    (excluded purposes left out), capped per instrument, then per unit (scaled down evenly)."""
    require_operator(actor, _("Only the platform operator computes rewards."))
    if rule_set.kind != RuleSet.Kind.REWARD or rule_set.status != RuleSet.Status.APPROVED:
        raise DomainError(_("Choose an approved reward rule set."))
    rule = _one_rule(rule_set, "reward")
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


# Insurance ------------------------------------------------------------------------------------

GRADE_CHOICES = ("excellent", "good", "pass", "poor")


def set_unit_grade(*, actor, unit, year: int, grade: str) -> UnitGrade:
    require_operator(actor, _("Only the platform operator enters grades until the evaluation produces them."))
    if grade not in GRADE_CHOICES:
        raise DomainError(_("Unknown grade."), field="grade")
    with transaction.atomic():
        record, _created = UnitGrade.objects.update_or_create(
            unit=unit, year=year, defaults={"grade": grade, "entered_by": actor}
        )
        audit.record(actor=actor, action="funding.grade.set", target=unit, changes={"year": year, "grade": grade})
    return record


def register_policy(*, actor, instrument, year: int, insurer: str, premium: Decimal, cover: Decimal):
    """A unit registers the sharing insurance of one instrument; the subsidy follows the unit's
    last grade under the region's insurance rule set."""
    if instrument.owner_id not in scope_of(actor).administered_unit_ids:
        raise PermissionDenied(_("Only the unit's administrator registers its instruments' insurance."))
    if premium is None or premium <= 0 or cover is None or cover <= 0:
        raise DomainError(_("The premium and the cover must be above zero."), field="premium")
    if not insurer.strip():
        raise DomainError(_("Name the insurer."), field="insurer")
    if InsurancePolicy.objects.filter(instrument=instrument, year=year).exists():
        raise DomainError(_("This instrument is insured for %(year)s already.") % {"year": year}, field="instrument")
    unit = instrument.owner
    grade = UnitGrade.objects.filter(unit=unit, year__lte=year).order_by("-year").first()
    rule_set = effective(instrument.region, RuleSet.Kind.INSURANCE, date(year, 1, 1))
    subsidy, lines = ZERO, []
    if rule_set is None:
        lines.append(_("No insurance subsidy rule set is in force for %(region)s.") % {"region": instrument.region})
    elif grade is None:
        lines.append(_("The unit has no evaluation grade yet; no subsidy."))
    else:
        lines.append(
            _("The unit's last grade: %(grade)s (%(year)s).") % {"grade": grade_label(grade.grade), "year": grade.year}
        )
        subject = Subject(organisation=unit, grade=grade.grade)
        for rule in rule_set.rules.filter(pays="insurance_subsidy").select_related("rule_set__region"):
            result = calculate(rule, premium, subject)
            if result.eligible:
                subsidy, lines = result.amount, lines + result.lines
                break
        else:
            lines.append(_("No rule of “%(set)s” covers this unit's grade.") % {"set": rule_set})
    with transaction.atomic():
        policy = InsurancePolicy.objects.create(
            unit=unit,
            instrument=instrument,
            year=year,
            insurer=insurer.strip(),
            premium=yuan(premium),
            cover=yuan(cover),
            subsidy=subsidy,
            working="\n".join(lines),
            registered_by=actor,
        )
        audit.record(
            actor=actor,
            action="funding.insurance.register",
            target=policy,
            changes={"premium": str(premium), "subsidy": str(subsidy)},
        )
    return policy
