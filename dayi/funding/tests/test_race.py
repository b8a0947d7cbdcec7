"""Caps hold under concurrency: many payments at the same moment never overdraw a grant or a
yearly cap (row locks plus conditional updates; check constraints behind them)."""

import os
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from dayi.funding import rulesets
from dayi.funding.models import AnnualUsage, Payment
from dayi.funding.payments import pay_order
from dayi.funding.reconciliation import reconcile

from .conftest import NOW

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Shared with the booking race: the server allows 100 connections and suites share it.
MAX_CONNECTIONS = int(os.environ.get("DAYI_RACE_CONNECTIONS", "40"))


def race(engineer, pairs):
    """Pay every (order, grant) pair at once; returns each outcome."""
    barrier = threading.Barrier(len(pairs))
    gate = threading.BoundedSemaphore(min(len(pairs), MAX_CONNECTIONS))
    outcomes = []

    def attempt(order, grant):
        barrier.wait()
        with gate:
            try:
                pay_order(actor=engineer, order=order, grant=grant, now=NOW)
                outcomes.append("paid")
            except Exception as error:
                outcomes.append(repr(error))
            finally:
                connection.close()

    threads = [threading.Thread(target=attempt, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return outcomes


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip(
            "the 100-way race needs PostgreSQL's concurrent writers; the PostgreSQL pass of scripts/test runs it"
        )


@pytest.mark.postgres
def test_100_concurrent_payments_on_one_grant_never_overdraw_it(make_grant, make_order, engineer):
    needs_postgresql()
    grant = make_grant("1000")
    orders = [make_order("100") for _ in range(100)]
    outcomes = race(engineer, [(order, grant) for order in orders])
    assert outcomes.count("paid") == 100, set(outcomes)
    grant.refresh_from_db()
    drawn = Payment.objects.filter(grant=grant).aggregate(total=Sum("voucher_amount"))["total"]
    assert grant.remaining == 0 and drawn == Decimal("1000.00")
    assert reconcile() == []


@pytest.fixture
def capped_scheme(operator, authority, huaian):
    fields = {
        "region": huaian,
        "kind": "voucher",
        "name": "淮安测试券",
        "valid_from": date(2026, 1, 1),
        "source": "测试",
    }
    rules = [
        {
            "name": "每年 1500 元",
            "pays": "voucher_deduction",
            "cap_per_year": "1500",
            "bands": [{"lower": "0", "upper": None, "rate": "0.5"}],
        }
    ]
    return rulesets.approve(actor=authority, rule_set=rulesets.save_draft(actor=operator, fields=fields, rules=rules))


@pytest.mark.postgres
def test_100_concurrent_payments_on_four_grants_never_pass_the_yearly_cap(
    make_grant, make_order, engineer, capped_scheme
):
    needs_postgresql()
    grants = [make_grant("1000", scheme=capped_scheme) for _ in range(4)]
    pairs = [(make_order("100"), grants[i % 4]) for i in range(100)]
    outcomes = race(engineer, pairs)
    assert outcomes.count("paid") == 100, set(outcomes)
    usage = AnnualUsage.objects.get(rule_set=capped_scheme, year=2026)
    drawn = Payment.objects.filter(grant__in=grants).aggregate(total=Sum("voucher_amount"))["total"]
    assert usage.used == drawn == Decimal("1500.00")
    assert reconcile() == []


def test_concurrent_payments_on_any_database_never_overdraw(make_grant, make_order, engineer):
    """SQLite serializes the writers in IMMEDIATE transactions."""
    grant = make_grant("150")
    outcomes = race(engineer, [(make_order("100"), grant) for _ in range(10)])
    assert outcomes.count("paid") == 10, set(outcomes)
    grant.refresh_from_db()
    assert grant.remaining == 0 and reconcile() == []
