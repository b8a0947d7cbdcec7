"""Sharing insurance (共享保): a unit registers a policy per instrument and year; the subsidy
follows the unit's last evaluation grade (entered by the operator until the evaluation exists)
under the region's insurance rule set."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from dayi.accounts.permissions import scope_of
from dayi.audit import services as audit
from dayi.core.errors import DomainError, PermissionDenied

from .calculator import ZERO, Subject, calculate, grade_label, yuan
from .models import InsurancePolicy, RuleSet, UnitGrade
from .permissions import require_operator
from .rulesets import effective

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
    subsidy, working = _subsidy(instrument, year, premium)
    with transaction.atomic():
        policy = InsurancePolicy.objects.create(
            unit=unit,
            instrument=instrument,
            year=year,
            insurer=insurer.strip(),
            premium=yuan(premium),
            cover=yuan(cover),
            subsidy=subsidy,
            working=working,
            registered_by=actor,
        )
        audit.record(
            actor=actor,
            action="funding.insurance.register",
            target=policy,
            changes={"premium": str(premium), "subsidy": str(subsidy)},
        )
    return policy


def _subsidy(instrument, year: int, premium: Decimal) -> tuple[Decimal, str]:
    """The subsidy of a premium by the unit's last grade up to `year`, with its working."""
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
    return subsidy, "\n".join(lines)


def compute_policy_subsidy(*, actor, policy: InsurancePolicy) -> InsurancePolicy:
    """The operator computes a policy's subsidy again, once the unit's grade has been entered
    (a policy registered before the grade was known has none)."""
    require_operator(actor, _("Only the platform operator computes insurance subsidies."))
    with transaction.atomic():
        policy = (
            InsurancePolicy.objects.select_for_update(of=("self",))
            .select_related("instrument__owner")
            .get(pk=policy.pk)
        )
        before = policy.subsidy
        policy.subsidy, policy.working = _subsidy(policy.instrument, policy.year, policy.premium)
        policy.save(update_fields=["subsidy", "working"])
        audit.record(
            actor=actor,
            action="funding.insurance.compute",
            target=policy,
            changes={"subsidy": [str(before), str(policy.subsidy)]},
        )
    return policy
