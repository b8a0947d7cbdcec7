"""The workspace dashboards, the complaint queue and an instrument's reviews on PostgreSQL,
over the booking benchmark's data set (30,000 instruments and a year of orders, about a
million, at --scale 1) plus reviews of every reviewed order and a backlog of complaints.

A standalone script, not a test (see benchmarks/README.md). It:
1. builds the data with benchmarks/booking.py's builder into a fresh database;
2. adds a review to every reviewed order (COPY) and --complaints complaints spread over the
   last 60 days (a tenth of them open past their answer date);
3. renders, with Django's test client, --requests times each after a warm-up: the dashboard
   of a user, of a unit admin and of the operator, the operator's complaint queue and the
   reviews block of an instrument; reports p50/p95 server time and queries per page;
4. prints the figures and writes benchmarks/results/feedback_dashboards.json.

Development runs: --scale 0.01 builds 300 instruments and ~10,000 orders in seconds.
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.booking_city import build, fresh_database, setup_django  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "feedback_dashboards.json"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dayi_bench_feedback"
STATIC_ROOT = Path(os.environ.get("DAYI_BENCH_STATIC_ROOT", "/tmp/dayi-bench-static"))  # noqa: S108
REVIEW_COLUMNS = ["order_id", "author_id", "attitude", "timeliness", "quality", "value", "comment", "created_at"]


def add_feedback(complaints: int, seed: int) -> dict:
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from dayi.accounts.models import Organisation, Role, RoleGrant, User
    from dayi.booking.models import Order
    from dayi.feedback.models import Complaint, ComplaintEntry
    from dayi.feedback.services.complaints import answer_due

    rng = random.Random(seed)
    started = time.perf_counter()
    # Read first: the connection cannot fetch rows while it is copying.
    reviewed = list(Order.objects.filter(status=Order.Status.REVIEWED).values_list("pk", "user_id", "ends_at"))
    count = 0
    connection.ensure_connection()
    with connection.connection.cursor() as raw:
        with raw.copy(f"COPY feedback_review ({', '.join(REVIEW_COLUMNS)}) FROM STDIN") as copy:
            for pk, user_id, ends_at in reviewed:
                scores = [rng.choice((3, 4, 4, 5, 5, 5)) for _ in range(4)]
                copy.write_row([pk, user_id, *scores, "服务专业，出结果快", ends_at + timedelta(days=2)])
                count += 1
    reviews_seconds = time.perf_counter() - started

    now = timezone.now()
    units = list(Organisation.objects.filter(is_management_unit=True).values_list("pk", flat=True))
    users = list(User.objects.filter(organisation__is_management_unit=False).values_list("pk", flat=True)[:2000])
    rows = []
    for i in range(complaints):
        filed = now - timedelta(days=rng.uniform(0, 60))
        overdue = i % 10 == 0
        status = Complaint.Status.OPEN if overdue or i % 3 == 0 else Complaint.Status.CLOSED
        if not overdue and status == Complaint.Status.OPEN:
            filed = now - timedelta(hours=rng.uniform(0, 20))
        rows.append(
            Complaint(
                complainant_id=rng.choice(users),
                unit_id=rng.choice(units),
                subject=f"基准投诉 {i}",
                status=status,
                filed_at=filed,
                answer_due=answer_due(filed),
                closed_at=filed + timedelta(days=2) if status == Complaint.Status.CLOSED else None,
            )
        )
    created = Complaint.objects.bulk_create(rows, batch_size=5_000)
    ComplaintEntry.objects.bulk_create(
        [
            ComplaintEntry(complaint=c, kind="filed", author_id=c.complainant_id, text="……", created_at=c.filed_at)
            for c in created
        ],
        batch_size=5_000,
    )
    operator = User.objects.create_user("bench-operator", password="bench-Dayi-2026")  # noqa: S106
    RoleGrant.objects.create(user=operator, role=Role.OPERATOR)
    busiest = (Order.objects.values("instrument__owner").order_by().annotate(n=Count("id")).order_by("-n").first())[
        "instrument__owner"
    ]
    admin = User.objects.create_user("bench-unitadmin", password="bench-Dayi-2026")  # noqa: S106
    RoleGrant.objects.create(user=admin, role=Role.UNIT_ADMIN, organisation_id=busiest)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "reviews": count,
        "reviews_copy_s": round(reviews_seconds, 1),
        "complaints": complaints,
        "operator": operator.pk,
        "unit_admin": admin.pk,
        "user": Order.objects.order_by("?").values_list("user_id", flat=True).first(),
        "instrument": Order.objects.filter(status=Order.Status.REVIEWED).values_list("instrument_id", flat=True)[0],
    }


def measure(client, url, requests: int, **headers) -> dict:
    from django.db import connection

    for _ in range(5):
        assert client.get(url, **headers).status_code == 200
    captured = []
    with connection.execute_wrapper(lambda execute, sql, *rest: captured.append(sql) or execute(sql, *rest)):
        client.get(url, **headers)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    times.sort()
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "queries": len(captured),
    }


def pages(data: dict, requests: int) -> dict:
    from django.test import Client
    from django.urls import reverse

    from dayi.accounts.models import User

    results = {}
    client = Client()
    dashboard = reverse("web:dashboard")
    for role in ("user", "unit_admin", "operator"):
        client.force_login(User.objects.get(pk=data[role]))
        results[f"dashboard_{role}"] = measure(client, dashboard, requests)
    results["complaint_queue"] = measure(client, reverse("feedback:queue"), requests)
    results["instrument_reviews"] = measure(
        client, reverse("feedback:instrument_reviews", args=[data["instrument"]]), requests, HTTP_HX_REQUEST="true"
    )
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("DAYI_BENCH_URL", DEFAULT_URL))
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 30,000 instruments, ~1,000,000 orders")
    parser.add_argument("--complaints", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    fresh_database(args.url)
    # Served as in production (DEBUG=false): pages need the collected static files' manifest.
    os.environ["STATIC_ROOT"] = str(STATIC_ROOT)
    setup_django(args.url)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    translation.activate("zh-hans")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    data = build(args.scale, args.seed)
    data.update(add_feedback(args.complaints, args.seed))
    print(
        f"built {data['instruments']:,} instruments, {data['orders']:,} orders, {data['reviews']:,} reviews, "
        f"{data['complaints']:,} complaints"
    )
    report = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "postgresql": connection.cursor().connection.info.server_version,
        },
        "scale": args.scale,
        "data": {k: v for k, v in data.items() if not k.endswith("_ids")},
        "pages": pages(data, args.requests),
    }
    for name, figures in report["pages"].items():
        print(
            f"{name:<22} p50 {figures['p50_ms']:>7} ms   p95 {figures['p95_ms']:>7} ms   {figures['queries']} queries"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"written {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
