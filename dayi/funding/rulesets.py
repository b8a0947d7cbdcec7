"""Writing rule sets: the operator drafts, an authority approves, a newer version supersedes.
An approved version is never edited; every refusal names the rule it breaks."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.accounts.models import Region
from dayi.accounts.permissions import scope_of
from dayi.audit import services as audit
from dayi.core.errors import DomainError, PermissionDenied

from .models import Band, Rule, RuleSet

SEED_FILE = Path(__file__).parent / "data" / "rule_sets.json"
RULE_FIELDS = (
    "name",
    "pays",
    "categories",
    "flags",
    "location",
    "relation",
    "only_without_local_match",
    "fee_types",
    "excluded_purposes",
    "grade",
    *Rule.CAP_FIELDS,
    "province_share",
    "city_share",
    "min_city_match",
    "note",
)


class RuleSetRefused(DomainError):
    """A rule set refused whole; `problems` names each thing wrong, one sentence each."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


def problems_of(rules: list[dict]) -> list[str]:
    """Everything wrong with a rule set's rules (dicts with their "bands"), in words."""
    problems = [] if rules else [_("A rule set needs at least one rule.")]
    for rule in rules:
        name = rule.get("name") or _("(unnamed rule)")
        for cap in Rule.CAP_FIELDS:
            if rule.get(cap) is not None and Decimal(rule[cap]) < 0:
                problems.append(
                    _("Rule “%(rule)s”: %(cap)s may not be negative.")
                    % {"rule": name, "cap": Rule._meta.get_field(cap).verbose_name}
                )
        province = Decimal(rule.get("province_share", 1))
        city = Decimal(rule.get("city_share", 0))
        if province < 0 or city < 0 or province + city != 1:
            problems.append(
                _("Rule “%(rule)s”: the province and city shares must be non-negative and add up to 100%%.")
                % {"rule": name}
            )
        match = rule.get("min_city_match")
        if match is not None and city < province * Decimal(match):
            problems.append(
                _("Rule “%(rule)s”: the city share must be at least %(match)s times the province share.")
                % {"rule": name, "match": match}
            )
        bands = sorted(rule.get("bands", []), key=lambda b: Decimal(b["lower"]))
        if not bands:
            problems.append(_("Rule “%(rule)s” has no rate band.") % {"rule": name})
        expected = Decimal(0)
        for index, band in enumerate(bands):
            lower = Decimal(band["lower"])
            upper = Decimal(band["upper"]) if band.get("upper") not in (None, "") else None
            rate = Decimal(band["rate"])
            if rate < 0 or rate > 1:
                problems.append(_("Rule “%(rule)s”: a rate must lie between 0 and 100%%.") % {"rule": name})
            if upper is not None and upper <= lower:
                problems.append(
                    _("Rule “%(rule)s”: the band from %(lower)s must end above its start.")
                    % {"rule": name, "lower": lower}
                )
            if lower < expected:
                problems.append(
                    _("Rule “%(rule)s”: the bands overlap at %(lower)s yuan.") % {"rule": name, "lower": lower}
                )
            elif lower > expected:
                problems.append(
                    _("Rule “%(rule)s”: no band covers %(start)s to %(lower)s yuan.")
                    % {"rule": name, "start": expected, "lower": lower}
                )
            if upper is None and index < len(bands) - 1:
                problems.append(_("Rule “%(rule)s”: only the last band may be open-ended.") % {"rule": name})
            expected = upper if upper is not None else lower
    return problems


def rule_dicts(rule_set: RuleSet) -> list[dict]:
    return [
        {
            **{name: getattr(rule, name) for name in RULE_FIELDS},
            "bands": [{"lower": b.lower, "upper": b.upper, "rate": b.rate} for b in rule.bands.all()],
        }
        for rule in rule_set.rules.prefetch_related("bands")
    ]


def _require_operator(actor):
    if not scope_of(actor).is_operator:
        raise PermissionDenied(_("Only the platform operator drafts rule sets."))


def _check_draft(rule_set: RuleSet):
    if rule_set.status != RuleSet.Status.DRAFT:
        raise DomainError(_("An approved rule set is never edited; draft a new version that supersedes it."))


@transaction.atomic
def save_draft(*, actor, rule_set: RuleSet | None = None, fields: dict, rules: list[dict]) -> RuleSet:
    """Create or replace a draft with its rules and bands; refused whole if any rule is wrong."""
    _require_operator(actor)
    problems = problems_of(rules)
    if fields.get("valid_to") and fields["valid_to"] < fields["valid_from"]:
        problems.append(_("The period ends before it starts."))
    if fields.get("budget_total") is not None and Decimal(fields["budget_total"]) < 0:
        problems.append(_("The budget may not be negative."))
    if problems:
        raise RuleSetRefused(problems)
    if rule_set is None:
        rule_set = RuleSet(created_by=actor, **fields)
    else:
        rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
        _check_draft(rule_set)
        for name, value in fields.items():
            setattr(rule_set, name, value)
    rule_set.save()
    rule_set.rules.all().delete()
    _create_rules(rule_set, rules)
    audit.record(actor=actor, action="funding.ruleset.save_draft", target=rule_set, changes={"rules": len(rules)})
    return rule_set


def _create_rules(rule_set, rules):
    for data in rules:
        rule = Rule.objects.create(rule_set=rule_set, **{k: data[k] for k in RULE_FIELDS if k in data})
        Band.objects.bulk_create(
            Band(rule=rule, lower=b["lower"], upper=b.get("upper") or None, rate=b["rate"]) for b in data["bands"]
        )


@transaction.atomic
def new_version(*, actor, of: RuleSet) -> RuleSet:
    """A draft copy of an approved rule set that will supersede it once approved."""
    _require_operator(actor)
    fields = {
        "region": of.region,
        "kind": of.kind,
        "name": of.name,
        "version": of.version + 1,
        "valid_from": of.valid_from,
        "valid_to": of.valid_to,
        "source": of.source,
        "budget_total": of.budget_total,
        "supersedes": of,
    }
    return save_draft(actor=actor, fields=fields, rules=rule_dicts(of))


def _overlapping(rule_set: RuleSet):
    others = RuleSet.objects.filter(region=rule_set.region, kind=rule_set.kind, status=RuleSet.Status.APPROVED).exclude(
        pk=rule_set.pk
    )
    if rule_set.supersedes_id:
        others = others.exclude(pk=rule_set.supersedes_id)
    if rule_set.valid_to:
        others = others.filter(valid_from__lte=rule_set.valid_to)
    return others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=rule_set.valid_from))


@transaction.atomic
def approve(*, actor, rule_set: RuleSet, now=None) -> RuleSet:
    """An authority whose region covers the rule set's region approves it; the version it
    supersedes steps aside. Approved periods of one region and kind never overlap."""
    scope = scope_of(actor)
    if not (scope.is_authority and scope.can_see_region(rule_set.region)):
        raise PermissionDenied(
            _("Only an authority over %(region)s approves its rule sets.") % {"region": rule_set.region.name}
        )
    # One region's approvals queue here, so two approvals cannot both pass the overlap check.
    Region.objects.select_for_update().get(pk=rule_set.region_id)
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    _check_draft(rule_set)
    problems = problems_of(rule_dicts(rule_set))
    if problems:
        raise RuleSetRefused(problems)
    clash = _overlapping(rule_set).first()
    if clash:
        raise DomainError(
            _(
                "The period overlaps the approved rule set “%(other)s” (%(start)s to %(end)s) "
                "of the same region and kind."
            )
            % {"other": clash, "start": clash.valid_from, "end": clash.valid_to or _("until superseded")},
            field="valid_from",
        )
    if rule_set.supersedes_id:
        RuleSet.objects.filter(pk=rule_set.supersedes_id).update(status=RuleSet.Status.SUPERSEDED)
    rule_set.status = RuleSet.Status.APPROVED
    rule_set.approved_by = actor
    rule_set.approved_at = now or timezone.now()
    rule_set.save(update_fields=["status", "approved_by", "approved_at"])
    audit.record(actor=actor, action="funding.ruleset.approve", target=rule_set)
    return rule_set


def effective(region: Region, kind: str, day) -> RuleSet | None:
    """The approved rule set of this kind in force on `day` for `region` or its nearest ancestor."""
    codes = [code for code in region.path.split("/") if code]
    candidates = (
        RuleSet.objects.filter(region__code__in=codes, kind=kind, status=RuleSet.Status.APPROVED, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("region")
    )
    return max(candidates, key=lambda rs: len(rs.region.path), default=None)


def load_seed_rule_sets(region_model=Region, rule_set_model=RuleSet, rule_model=Rule, band_model=Band) -> int:
    """The rule sets of the source documents (DOMAIN.md §5), shipped approved as published.
    Idempotent on (region, kind, name, version). Takes the models so that a data migration
    can pass its historical ones."""
    created = 0
    for data in json.loads(SEED_FILE.read_text(encoding="utf-8")):
        region = region_model.objects.get(code=data["region"])
        rule_set, made = rule_set_model.objects.get_or_create(
            region=region,
            kind=data["kind"],
            name=data["name"],
            version=data.get("version", 1),
            defaults={
                "valid_from": data["valid_from"],
                "valid_to": data.get("valid_to"),
                "source": data["source"],
                "budget_total": data.get("budget_total"),
                "status": "approved",
                "approved_at": timezone.now(),
            },
        )
        if not made:
            continue
        created += 1
        # A data migration's historical model may predate a field of the file.
        known = {f.name for f in rule_model._meta.get_fields()}
        for rule_data in data["rules"]:
            rule = rule_model.objects.create(
                rule_set=rule_set, **{k: rule_data[k] for k in RULE_FIELDS if k in rule_data and k in known}
            )
            band_model.objects.bulk_create(band_model(rule=rule, **band) for band in rule_data["bands"])
    return created
