"""No sequence of payments, refunds and expiries breaks the ledger or a cap (hypothesis)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dayi.core.errors import DomainError
from dayi.funding import rulesets
from dayi.funding.calculator import to_fen
from dayi.funding.grants import expire_grants
from dayi.funding.models import AnnualUsage, Payment, VoucherGrant
from dayi.funding.payments import pay_order, refund_payment
from dayi.funding.reconciliation import reconcile

from .conftest import NOW

pytestmark = pytest.mark.django_db

CAP_PER_ORDER = Decimal("400")
CAP_PER_YEAR = Decimal("1500")

fees = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("3000"), places=2)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), fees, st.integers(0, 1), st.none() | fees),
        st.tuples(st.just("refund"), st.integers(0, 20)),
        st.tuples(st.just("expire")),
    ),
    min_size=1,
    max_size=12,
)


@pytest.fixture
def scheme(operator, authority, huaian):
    fields = {
        "region": huaian,
        "kind": "voucher",
        "name": "性质测试券",
        "valid_from": date(2026, 1, 1),
        "source": "测试",
    }
    rules = [
        {
            "name": "分档",
            "pays": "voucher_deduction",
            "cap_per_order": str(CAP_PER_ORDER),
            "cap_per_year": str(CAP_PER_YEAR),
            "province_share": "0.5",
            "city_share": "0.5",
            "bands": [
                {"lower": "0", "upper": "1000", "rate": "0.5"},
                {"lower": "1000", "upper": None, "rate": "0.3"},
            ],
        }
    ]
    return rulesets.approve(actor=authority, rule_set=rulesets.save_draft(actor=operator, fields=fields, rules=rules))


def check_invariants(grants):
    assert reconcile() == []
    for grant in VoucherGrant.objects.filter(pk__in=[g.pk for g in grants]):
        assert 0 <= grant.remaining <= grant.amount
    usage = AnnualUsage.objects.filter(year=2026).first()
    paid = Payment.objects.filter(status="paid", grant__in=grants)
    drawn = to_fen(paid.aggregate(total=Sum("voucher_amount"))["total"] or 0)
    assert (usage.used if usage else 0) == drawn <= CAP_PER_YEAR
    for payment in Payment.objects.filter(grant__in=grants):
        assert payment.voucher_amount <= min(CAP_PER_ORDER, payment.fee)
        assert payment.voucher_amount + payment.paid_by_user == payment.fee
        assert payment.province_part + payment.city_part == payment.voucher_amount


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amounts=st.tuples(st.integers(1, 2000), st.integers(1, 2000)),
    steps=operations,
)
def test_no_sequence_breaks_the_ledger_or_a_cap(amounts, steps, scheme, make_grant, make_order, engineer, unit_admin):
    savepoint = transaction.savepoint()
    try:
        grants = [make_grant(str(amount), scheme=scheme) for amount in amounts]
        payments = []
        for step in steps:
            try:
                if step[0] == "pay":
                    _, fee, which, limit = step
                    payments.append(
                        pay_order(
                            actor=engineer,
                            order=make_order(str(fee)),
                            grant=grants[which],
                            voucher_limit=limit,
                            now=NOW,
                        )
                    )
                elif step[0] == "refund" and payments:
                    refund_payment(actor=unit_admin, payment=payments[step[1] % len(payments)], reason="退款")
                elif step[0] == "expire":
                    expire_grants(today=date(2027, 1, 1))
            except DomainError:
                pass
            check_invariants(grants)
    finally:
        transaction.savepoint_rollback(savepoint)
