"""Funding at province scale on PostgreSQL: yearly owner-unit rewards for 30,000 instruments and
a year of orders, payments per second with voucher deduction under concurrency, and the race.

A standalone script, not a test (see benchmarks/README.md). It:
1. creates a fresh database, migrates it and builds the city of benchmarks/booking.py (units,
   users, 30,000 instruments, a year of machine-time orders by COPY, at --scale 1);
2. drafts and approves a reward rule set for the city (10 %, caps per instrument and per unit)
   through the services, and times `rewards.compute_rewards` for the year with most orders
   (target under 10 s at --scale 1);
3. measures payments per second: --clients threads, each on its own connection, pay completed
   orders through `payments.pay_order` with one shared voucher grant (the worst case: every
   payment queues on the same grant row) for --seconds;
4. fires 100 simultaneous payments at one small grant and one yearly cap and counts overruns
   (drawn beyond the grant or the cap); then runs the reconciliation;
5. prints the figures and writes benchmarks/results/funding.json.

Keep development runs small: --scale 0.01 builds 300 instruments and ~10,000 orders.
"""

import argparse
import json
import os
import platform
import sys
import threading
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The province of the booking benchmark: the same units, instruments and year of orders.
from booking_city import build, fresh_database, setup_django

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "funding.json"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dayi_bench_funding"
TARGET_REWARDS_S = 10
RACE_PAYMENTS = 100
RACE_CONNECTIONS = 40
PASSWORD = "bench-Dayi-2026"  # noqa: S105  (throwaway accounts in a throwaway database)


def people():
    from dayi.accounts.models import Organisation, Region, Role, RoleGrant, User

    jiangsu = Region.objects.get(code="320000")
    operator = User.objects.create_user("bench-operator", password=PASSWORD)
    RoleGrant.objects.create(user=operator, role=Role.OPERATOR)
    authority = User.objects.create_user("bench-authority", password=PASSWORD)
    RoleGrant.objects.create(user=authority, role=Role.AUTHORITY, region=jiangsu)
    company = Organisation.objects.create(
        name="基准科技型企业", category="enterprise", region=Region.objects.get(code="320812"), is_tech_sme=True
    )
    payer = User.objects.create_user("bench-payer", password=PASSWORD, organisation=company)
    return operator, authority, payer


def reward_rule_set(operator, authority):
    from dayi.accounts.models import Region
    from dayi.funding import rulesets

    fields = {
        "region": Region.objects.get(code="320800"),
        "kind": "reward",
        "name": "基准共享服务奖励",
        "valid_from": date(2020, 1, 1),
        "source": "benchmarks/funding.py",
    }
    rules = [
        {
            "name": "对外服务收费奖励",
            "pays": "reward",
            "relation": "external",
            "excluded_purposes": ["duty_testing", "horizontal_project", "statutory"],
            "cap_per_instrument": "20000",
            "cap_per_organisation": "500000",
            "bands": [{"lower": "0", "upper": None, "rate": "0.10"}],
        }
    ]
    return rulesets.approve(actor=authority, rule_set=rulesets.save_draft(actor=operator, fields=fields, rules=rules))


def time_rewards(operator, authority) -> dict:
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from dayi.booking.models import Order
    from dayi.funding import rewards

    busiest = (
        Order.objects.filter(ends_at__isnull=False)
        .annotate(year=ExtractYear("ends_at"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    year = busiest["year"]
    rule_set = reward_rule_set(operator, authority)
    started = time.perf_counter()
    run = rewards.compute_rewards(actor=operator, rule_set=rule_set, year=year)
    seconds = time.perf_counter() - started
    return {
        "year": year,
        "orders_in_year": busiest["n"],
        "reward_lines": run.lines.count(),
        "reward_total_yuan": str(run.total),
        "compute_s": round(seconds, 2),
        "target_s": TARGET_REWARDS_S,
    }


def completed_orders(payer, instrument_ids, count):
    from django.utils import timezone

    from dayi.booking.models import Order

    now = timezone.now()
    return Order.objects.bulk_create(
        [
            Order(
                instrument_id=instrument_ids[i % len(instrument_ids)],
                user=payer,
                organisation_id=payer.organisation_id,
                mode=Order.Mode.SAMPLE_TESTING,
                sample_count=1,
                status=Order.Status.COMPLETED,
                is_external=True,
                purpose="基准支付",
                service_purpose=Order.ServicePurpose.ENTERPRISE_RND,
                final_fee=Decimal("200.00"),
                ends_at=now,
            )
            for i in range(count)
        ],
        batch_size=5000,
    )


def make_grant(operator, payer, amount, scheme=None):
    from django.utils import timezone

    from dayi.funding.grants import apply_for_vouchers, grant_vouchers
    from dayi.funding.models import RuleSet

    scheme = scheme or RuleSet.objects.get(kind="voucher", region__code="320000", status="approved")
    today = timezone.localdate()
    application = apply_for_vouchers(actor=payer, rule_set=scheme, amount=Decimal(amount), purpose="基准")
    return grant_vouchers(
        actor=operator,
        application=application,
        amount=Decimal(amount),
        valid_from=today - timedelta(days=1),
        valid_to=today + timedelta(days=30),
    )


def payments_per_second(operator, payer, instrument_ids, clients, seconds) -> dict:
    from django.db import connection

    from dayi.funding.payments import pay_order

    grant = make_grant(operator, payer, "100000000")
    orders = completed_orders(payer, instrument_ids, int(clients * seconds * 150))
    queue = list(reversed(orders))
    lock = threading.Lock()
    done, errors = [], []
    deadline = time.perf_counter() + seconds

    def client():
        try:
            while time.perf_counter() < deadline:
                with lock:
                    if not queue:
                        return
                    order = queue.pop()
                try:
                    pay_order(actor=payer, order=order, grant=grant)
                    done.append(1)
                except Exception as error:
                    errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "payments": len(done),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "payments_per_s": round(len(done) / elapsed, 1),
    }


def race(operator, authority, payer, instrument_ids) -> dict:
    from django.db import connection
    from django.db.models import Sum

    from dayi.accounts.models import Region
    from dayi.funding import rulesets
    from dayi.funding.models import AnnualUsage, Payment
    from dayi.funding.payments import pay_order
    from dayi.funding.reconciliation import reconcile

    fields = {
        "region": Region.objects.get(code="320800"),
        "kind": "voucher",
        "name": "基准年度上限券",
        "valid_from": date(2020, 1, 1),
        "source": "benchmarks/funding.py",
    }
    rules = [{"name": "每年 1500 元", "pays": "voucher_deduction", "cap_per_year": "1500",
              "bands": [{"lower": "0", "upper": None, "rate": "0.5"}]}]  # fmt: skip
    capped = rulesets.approve(actor=authority, rule_set=rulesets.save_draft(actor=operator, fields=fields, rules=rules))
    one_grant = make_grant(operator, payer, "1000")
    cap_grants = [make_grant(operator, payer, "1000", scheme=capped) for _ in range(4)]
    results = {}
    for name, grants in (("one_grant", [one_grant]), ("yearly_cap", cap_grants)):
        orders = completed_orders(payer, instrument_ids, RACE_PAYMENTS)
        barrier = threading.Barrier(RACE_PAYMENTS)
        gate = threading.BoundedSemaphore(RACE_CONNECTIONS)
        outcomes = []

        def attempt(order, grant, barrier=barrier, gate=gate, outcomes=outcomes):
            barrier.wait()
            with gate:
                try:
                    pay_order(actor=payer, order=order, grant=grant)
                    outcomes.append("paid")
                except Exception as error:
                    outcomes.append(repr(error))
                finally:
                    connection.close()

        threads = [
            threading.Thread(target=attempt, args=(order, grants[i % len(grants)])) for i, order in enumerate(orders)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        drawn = Payment.objects.filter(grant__in=grants).aggregate(total=Sum("voucher_amount"))["total"]
        limit = Decimal("1000") if name == "one_grant" else Decimal("1500")
        results[name] = {
            "payments": RACE_PAYMENTS,
            "paid": outcomes.count("paid"),
            "errors": len(outcomes) - outcomes.count("paid"),
            "drawn_yuan": str(drawn),
            "limit_yuan": str(limit),
            "overruns": int(drawn > limit),
        }
    usage = AnnualUsage.objects.get(rule_set=capped, year__gt=0)
    results["yearly_cap"]["usage_recorded_yuan"] = str(usage.used)
    results["reconcile_differences"] = len(reconcile())
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("DAYI_BENCH_URL", DEFAULT_URL))
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 30,000 instruments and a year of orders")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    print(f"Fresh database {args.url} …", flush=True)
    fresh_database(args.url)
    setup_django(args.url)
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    print(f"Building the city at scale {args.scale} …", flush=True)
    data = build(args.scale, args.seed)
    operator, authority, payer = people()
    print("Computing the yearly rewards …", flush=True)
    rewards = time_rewards(operator, authority)
    print(json.dumps(rewards, ensure_ascii=False), flush=True)
    print(f"Paying with {args.clients} clients for {args.seconds} s …", flush=True)
    payments = payments_per_second(operator, payer, data["instrument_ids"][:500], args.clients, args.seconds)
    print(json.dumps(payments), flush=True)
    print("Racing 100 payments on one grant and on one yearly cap …", flush=True)
    raced = race(operator, authority, payer, data["instrument_ids"][:100])
    print(json.dumps(raced), flush=True)

    result = {
        "machine": platform.node(),
        "cpus": os.cpu_count(),
        "scale": args.scale,
        "instruments": data["instruments"],
        "orders": data["orders"],
        "build": {k: data[k] for k in ("catalogue_build_s", "order_copy_s")},
        "rewards": rewards,
        "payments": payments,
        "race": raced,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"Written {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
