"""Subsidy applications, yearly owner-unit rewards and sharing insurance."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dayi.accounts.models import Region, Role
from dayi.booking.models import Order
from dayi.core.errors import DomainError, PermissionDenied
from dayi.funding import programs
from dayi.funding.models import RuleSet, SubsidyItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def subsidy_scheme(db):
    return RuleSet.objects.get(kind="subsidy", region__code="320800")


def test_subsidy_of_platform_orders_and_invoices(make_order, engineer, subsidy_scheme, operator):
    orders = [make_order("100000", status=Order.Status.REVIEWED), make_order("40000", status=Order.Status.SETTLED)]
    excluded = make_order("9999", status=Order.Status.SETTLED, service_purpose=Order.ServicePurpose.STATUTORY)
    invoice = {
        "invoice_number": "32000001",
        "provider": "南京检测中心",
        "amount": Decimal("10000"),
        "invoice_file": SimpleUploadedFile("fapiao.pdf", b"%PDF-1.4", content_type="application/pdf"),
    }
    application = programs.apply_for_subsidy(
        actor=engineer,
        rule_set=subsidy_scheme,
        year=2026,
        order_ids=[o.pk for o in [*orders, excluded]],
        invoices=[invoice],
    )
    assert application.counted_fees == Decimal("150000.00")
    assert application.amount == Decimal("55000.00")
    assert not application.items.get(order=excluded).counted
    programs.decide_subsidy(actor=operator, application=application, approve=True)
    with pytest.raises(DomainError) as refused:
        programs.apply_for_subsidy(actor=engineer, rule_set=subsidy_scheme, year=2026, order_ids=[orders[0].pk])
    assert "subsidised already" in refused.value.message
    assert SubsidyItem.objects.count() == 4


def test_a_subsidy_for_an_unpaid_or_foreign_order_is_refused(make_order, engineer, subsidy_scheme, make_user, unit):
    with pytest.raises(DomainError):
        programs.apply_for_subsidy(
            actor=engineer,
            rule_set=subsidy_scheme,
            year=2026,
            order_ids=[make_order("10", status=Order.Status.COMPLETED).pk],
        )
    outsider = make_user("outsider", organisation=unit)
    with pytest.raises((DomainError, PermissionDenied)):
        programs.apply_for_subsidy(
            actor=outsider,
            rule_set=subsidy_scheme,
            year=2026,
            order_ids=[make_order("10", status=Order.Status.SETTLED).pk],
        )
    assert SubsidyItem.objects.count() == 0


@pytest.fixture
def zhejiang_setup(make_unit, make_instrument, make_user, make_order, engineer):
    zhejiang = Region.objects.get(code="330000")
    hangzhou = Region.objects.filter(path__startswith=zhejiang.path, level=2).first()
    lab = make_unit("浙江测试大学", region=hangzhou)
    admin = make_user("zj-admin", role=Role.UNIT_ADMIN, organisation=lab)
    instruments = [make_instrument(owner=lab, actor=admin, region=hangzhou) for _ in range(2)]
    return lab, admin, instruments


def test_rewards_exclude_purposes_and_cap_per_instrument(zhejiang_setup, make_order, operator, make_user):
    _lab, _admin, (first, second) = zhejiang_setup
    done = Order.Status.SETTLED
    make_order("150000", instrument=first, status=done)
    make_order("50000", instrument=first, status=done, service_purpose=Order.ServicePurpose.DUTY_TESTING)
    make_order("500000", instrument=second, status=done)
    make_order("80000", instrument=second, status=done, is_external=False)
    rule_set = RuleSet.objects.get(kind="reward", region__code="330000")
    run = programs.compute_rewards(actor=operator, rule_set=rule_set, year=2026)
    lines = {line.instrument_id: line for line in run.lines.all()}
    assert lines[first.pk].amount == Decimal("15000.00") and lines[first.pk].excluded_fees == Decimal("50000.00")
    assert lines[second.pk].amount == Decimal("20000.00")
    assert run.total == Decimal("35000.00")
    authority = make_user("zj-authority", role=Role.AUTHORITY, region=Region.objects.get(code="330000"))
    with pytest.raises(PermissionDenied):
        programs.approve_rewards(actor=operator, run=run)
    assert programs.approve_rewards(actor=authority, run=run).status == "approved"


def test_insurance_subsidy_follows_the_operator_entered_grade(zhejiang_setup, operator):
    lab, admin, (first, second) = zhejiang_setup
    policy = programs.register_policy(
        actor=admin, instrument=first, year=2026, insurer="人保", premium=Decimal("1200"), cover=Decimal("80000")
    )
    assert policy.subsidy == 0 and "no evaluation grade" in policy.working
    programs.set_unit_grade(actor=operator, unit=lab, year=2025, grade="good")
    policy = programs.register_policy(
        actor=admin, instrument=second, year=2026, insurer="人保", premium=Decimal("800"), cover=Decimal("80000")
    )
    assert policy.subsidy == Decimal("400.00")
    with pytest.raises(DomainError):
        programs.register_policy(
            actor=admin, instrument=second, year=2026, insurer="人保", premium=Decimal("800"), cover=Decimal("80000")
        )
    with pytest.raises(PermissionDenied):
        programs.set_unit_grade(actor=admin, unit=lab, year=2025, grade="excellent")
