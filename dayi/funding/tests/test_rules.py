"""Rule sets as data: the seeds' worked examples, validation, approval and supersession."""

from datetime import date
from decimal import Decimal

import pytest

from dayi.accounts.models import Region, Role
from dayi.core.errors import DomainError, PermissionDenied
from dayi.funding import rulesets
from dayi.funding.calculator import Subject, Used, calculate
from dayi.funding.models import RuleSet

pytestmark = pytest.mark.django_db


def seed(kind, code):
    return RuleSet.objects.get(kind=kind, region__code=code)


@pytest.mark.parametrize(
    "fee,expected", [("150000", "55000.00"), ("1000000", "310000.00"), ("100000", "40000.00"), ("0.03", "0.01")]
)
def test_huaian_subsidy_worked_examples(fee, expected):
    rule = seed("subsidy", "320800").rules.get()
    result = calculate(rule, Decimal(fee))
    assert result.amount == Decimal(expected)


def test_the_working_names_version_bands_and_caps():
    rule = seed("subsidy", "320800").rules.get()
    working = calculate(rule, Decimal("150000")).working
    assert "淮安市大型科研仪器设施共享服务企业用户补贴" in working
    assert "100,000.00 yuan × 40%" in working and "50,000.00 yuan × 30%" in working
    assert "55,000.00" in working


def test_reward_caps_per_instrument():
    rule = seed("reward", "330000").rules.get()
    assert calculate(rule, Decimal("150000")).amount == Decimal("15000.00")
    capped = calculate(rule, Decimal("300000"))
    assert capped.amount == Decimal("20000.00")
    assert "20,000.00" in capped.working


def test_jiangsu_voucher_city_matches_one_to_one():
    rule = seed("voucher", "320000").rules.get()
    result = calculate(rule, Decimal("1000.01"))
    assert result.amount == Decimal("500.00")
    assert result.province_part == Decimal("250.00") and result.city_part == Decimal("250.00")


def test_shandong_yearly_cap_counts_what_was_used():
    rule = seed("voucher", "370000").rules.first()
    result = calculate(rule, Decimal("100000"), used=Used(year=Decimal("480000")))
    assert result.amount == Decimal("20000.00")


def test_eligibility_refusals_are_in_the_working(enterprise):
    rule = seed("reward", "330000").rules.get()
    result = calculate(rule, Decimal("1000"), Subject(is_external=False, service_purpose="duty_testing"))
    assert not result.eligible and result.amount == 0
    assert len([line for line in result.lines if line.startswith(("Not eligible", "不符合"))]) == 2


def test_insurance_premium_ceiling_and_grade():
    rule_set = seed("insurance", "330000")
    excellent = rule_set.rules.get(grade="excellent")
    assert calculate(excellent, Decimal("1200")).amount == Decimal("800.00")
    assert not calculate(excellent, Decimal("900"), Subject(grade="good")).eligible


def rule(**overrides):
    data = {"name": "r", "pays": "subsidy", "bands": [{"lower": "0", "upper": None, "rate": "0.4"}]}
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "bad,words",
    [
        (
            rule(bands=[{"lower": "0", "upper": "200", "rate": "0.4"}, {"lower": "100", "upper": None, "rate": "0.3"}]),
            "overlap",
        ),
        (
            rule(bands=[{"lower": "0", "upper": "100", "rate": "0.4"}, {"lower": "200", "upper": None, "rate": "0.3"}]),
            "no band covers",
        ),
        (rule(bands=[{"lower": "0", "upper": None, "rate": "-0.1"}]), "between 0 and 100%"),
        (rule(cap_per_order="-5"), "negative"),
        (rule(province_share="0.6", city_share="0.4", min_city_match="1"), "at least"),
    ],
)
def test_a_wrong_rule_set_is_refused_whole(operator, huaian, bad, words):
    fields = {"region": huaian, "kind": "subsidy", "name": "新规则", "valid_from": date(2030, 1, 1), "source": "x"}
    with translation_en(), pytest.raises(DomainError) as refused:
        rulesets.save_draft(actor=operator, fields=fields, rules=[bad])
    assert words in refused.value.message
    assert not RuleSet.objects.filter(name="新规则").exists()


def translation_en():
    from django.utils import translation

    return translation.override("en")


@pytest.fixture
def huaian_authority(make_user, huaian):
    return make_user("huaian-authority", role=Role.AUTHORITY, region=huaian)


def draft(operator, region, valid_from, valid_to=None, **fields):
    fields = {
        "region": region,
        "kind": "subsidy",
        "name": "淮安补贴 2030",
        "valid_from": valid_from,
        "valid_to": valid_to,
        "source": "淮科 2030",
        **fields,
    }
    return rulesets.save_draft(actor=operator, fields=fields, rules=[rule()])


def test_an_overlapping_approved_period_is_refused(operator, huaian, huaian_authority):
    proposal = draft(operator, huaian, date(2030, 1, 1))
    with pytest.raises(DomainError) as refused:
        rulesets.approve(actor=huaian_authority, rule_set=proposal)
    assert "淮安市大型科研仪器设施共享服务企业用户补贴" in refused.value.message
    proposal.refresh_from_db()
    assert proposal.status == RuleSet.Status.DRAFT


def test_a_new_version_supersedes_and_the_approved_one_is_never_edited(operator, huaian_authority):
    current = seed("subsidy", "320800")
    with pytest.raises(DomainError):
        rulesets.save_draft(actor=operator, rule_set=current, fields={"name": "改"}, rules=[rule()])
    successor = rulesets.new_version(actor=operator, of=current)
    assert successor.version == 2 and successor.rules.get().bands.count() == 2
    rulesets.approve(actor=huaian_authority, rule_set=successor)
    current.refresh_from_db()
    assert current.status == RuleSet.Status.SUPERSEDED
    huaian = Region.objects.get(code="320800")
    assert rulesets.effective(huaian, "subsidy", date(2026, 6, 1)) == successor


def test_only_an_authority_over_the_region_approves(operator, huaian, make_user):
    other = make_user("sd", role=Role.AUTHORITY, region=Region.objects.get(code="370000"))
    proposal = draft(operator, huaian, date(2030, 1, 1), valid_to=date(2030, 12, 31))
    for person in (operator, other):
        with pytest.raises(PermissionDenied):
            rulesets.approve(actor=person, rule_set=proposal)


def test_only_the_operator_drafts(huaian_authority, huaian):
    with pytest.raises(PermissionDenied):
        draft(huaian_authority, huaian, date(2030, 1, 1))


def test_effective_rule_set_comes_from_the_nearest_region(qingjiangpu):
    assert rulesets.effective(qingjiangpu, "voucher", date(2026, 6, 1)).region.code == "320000"
    assert rulesets.effective(qingjiangpu, "subsidy", date(2026, 6, 1)).region.code == "320800"
    assert rulesets.effective(qingjiangpu, "reward", date(2026, 6, 1)) is None
