"""Subsidy applications, yearly owner-unit rewards and sharing insurance."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dayi.accounts.models import Region, Role
from dayi.booking.models import Order
from dayi.core.errors import DomainError, PermissionDenied
from dayi.funding import insurance, rewards, subsidies
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
    application = subsidies.apply_for_subsidy(
        actor=engineer,
        rule_set=subsidy_scheme,
        year=2026,
        order_ids=[o.pk for o in [*orders, excluded]],
        invoices=[invoice],
    )
    assert application.counted_fees == Decimal("150000.00")
    assert application.amount == Decimal("55000.00")
    assert not application.items.get(order=excluded).counted
    subsidies.decide_subsidy(actor=operator, application=application, approve=True)
    with pytest.raises(DomainError) as refused:
        subsidies.apply_for_subsidy(actor=engineer, rule_set=subsidy_scheme, year=2026, order_ids=[orders[0].pk])
    assert "subsidised already" in refused.value.message
    assert SubsidyItem.objects.count() == 4


def test_a_subsidy_for_an_unpaid_or_foreign_order_is_refused(make_order, engineer, subsidy_scheme, make_user, unit):
    with pytest.raises(DomainError):
        subsidies.apply_for_subsidy(
            actor=engineer,
            rule_set=subsidy_scheme,
            year=2026,
            order_ids=[make_order("10", status=Order.Status.COMPLETED).pk],
        )
    outsider = make_user("outsider", organisation=unit)
    with pytest.raises((DomainError, PermissionDenied)):
        subsidies.apply_for_subsidy(
            actor=outsider,
            rule_set=subsidy_scheme,
            year=2026,
            order_ids=[make_order("10", status=Order.Status.SETTLED).pk],
        )
    assert SubsidyItem.objects.count() == 0


def test_rewards_exclude_purposes_and_cap_per_instrument(zhejiang_setup, make_order, operator, make_user):
    _lab, _admin, (first, second) = zhejiang_setup
    done = Order.Status.SETTLED
    make_order("150000", instrument=first, status=done)
    make_order("50000", instrument=first, status=done, service_purpose=Order.ServicePurpose.DUTY_TESTING)
    make_order("500000", instrument=second, status=done)
    make_order("80000", instrument=second, status=done, is_external=False)
    rule_set = RuleSet.objects.get(kind="reward", region__code="330000")
    run = rewards.compute_rewards(actor=operator, rule_set=rule_set, year=2026)
    lines = {line.instrument_id: line for line in run.lines.all()}
    assert lines[first.pk].amount == Decimal("15000.00") and lines[first.pk].excluded_fees == Decimal("50000.00")
    assert lines[second.pk].amount == Decimal("20000.00")
    assert run.total == Decimal("35000.00")
    authority = make_user("zj-authority", role=Role.AUTHORITY, region=Region.objects.get(code="330000"))
    with pytest.raises(PermissionDenied):
        rewards.approve_rewards(actor=operator, run=run)
    assert rewards.approve_rewards(actor=authority, run=run).status == "approved"


def test_insurance_subsidy_follows_the_operator_entered_grade(zhejiang_setup, operator):
    lab, admin, (first, second) = zhejiang_setup
    policy = insurance.register_policy(
        actor=admin, instrument=first, year=2026, insurer="人保", premium=Decimal("1200"), cover=Decimal("80000")
    )
    assert policy.subsidy == 0 and "no evaluation grade" in policy.working
    insurance.set_unit_grade(actor=operator, unit=lab, year=2025, grade="good")
    policy = insurance.register_policy(
        actor=admin, instrument=second, year=2026, insurer="人保", premium=Decimal("800"), cover=Decimal("80000")
    )
    assert policy.subsidy == Decimal("400.00")
    with pytest.raises(DomainError):
        insurance.register_policy(
            actor=admin, instrument=second, year=2026, insurer="人保", premium=Decimal("800"), cover=Decimal("80000")
        )
    with pytest.raises(PermissionDenied):
        insurance.set_unit_grade(actor=admin, unit=lab, year=2025, grade="excellent")


def test_a_policy_registered_before_the_grade_is_computed_again(zhejiang_setup, operator):
    lab, admin, (first, _second) = zhejiang_setup
    policy = insurance.register_policy(
        actor=admin, instrument=first, year=2026, insurer="人保", premium=Decimal("1200"), cover=Decimal("80000")
    )
    insurance.set_unit_grade(actor=operator, unit=lab, year=2026, grade="excellent")
    with pytest.raises(PermissionDenied):
        insurance.compute_policy_subsidy(actor=admin, policy=policy)
    policy = insurance.compute_policy_subsidy(actor=operator, policy=policy)
    # The premium counts up to 1,000 yuan; 80 % for an excellent unit.
    assert policy.subsidy == Decimal("800.00") and "1,000.00" in policy.working


def test_the_review_page_computes_a_policy_subsidy(client, zhejiang_setup, operator):
    from django.urls import reverse

    lab, admin, (first, _second) = zhejiang_setup
    policy = insurance.register_policy(
        actor=admin, instrument=first, year=2026, insurer="人保", premium=Decimal("600"), cover=Decimal("80000")
    )
    insurance.set_unit_grade(actor=operator, unit=lab, year=2026, grade="good")
    url = reverse("funding:compute_policy", args=[policy.pk])
    client.force_login(admin)
    assert client.post(url).status_code == 403
    client.force_login(operator)
    assert url in client.get(reverse("funding:review")).content.decode()
    assert client.post(url).status_code == 302
    policy.refresh_from_db()
    assert policy.subsidy == Decimal("300.00")
