"""Booking at province scale on PostgreSQL: 30,000 instruments and a year of orders (about a
million, at --scale 1).

A standalone script, not a test (see benchmarks/README.md). It:
1. creates a fresh database and migrates it;
2. builds units, users and instruments with bulk_create in batches, and the year of machine-time
   orders with COPY (one slot every ~11 days per instrument, mostly settled or reviewed, some
   cancelled), then ANALYZE;
3. measures confirmed bookings per second: --clients threads, each on its own connection, book
   random free slots through booking.services.book_slot (every rule, the advisory lock and the
   exclusion constraint) for --seconds;
4. measures p50/p95 of the availability view (the calendar's JSON for one week) with Django's
   test client;
5. fires 200 simultaneous attempts at one slot and counts successes, clean "slot taken"
   refusals and server errors;
6. prints the figures and writes benchmarks/results/booking.json.

Keep development runs small: --scale 0.01 builds 300 instruments and ~10,000 orders.
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import threading
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "booking.json"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dayi_bench_booking"
FULL_INSTRUMENTS = 30_000
SLOTS_PER_INSTRUMENT = 33  # one every ~11 days over a year: ~1,000,000 orders at full scale
BATCH = 5_000
RACE_ATTEMPTS = 200
RACE_CONNECTIONS = 40


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def fresh_database(url: str):
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dayi.settings")
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# Data -------------------------------------------------------------------------------------------


def build(scale: float, seed: int) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from dayi.accounts.models import Organisation, Region, User
    from dayi.booking.models import BookingRules, OpeningHours
    from dayi.catalog.models import Instrument, InstrumentClass
    from dayi.catalog.services import category_for_class

    rng = random.Random(seed)
    started = time.perf_counter()
    region = Region.objects.get(code="320812")
    leaf = InstrumentClass.objects.get(pk="010102")
    category = category_for_class(leaf.code)
    n_instruments = max(50, int(FULL_INSTRUMENTS * scale))
    n_units = max(5, n_instruments // 100)
    n_users = max(50, n_instruments // 15)
    units = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"基准大学{i}",
                category=Organisation.Category.UNIVERSITY,
                region=region,
                is_management_unit=True,
            )
            for i in range(n_units)
        ]
    )
    companies = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"基准企业{i}",
                category=Organisation.Category.ENTERPRISE,
                region=region,
                is_small_micro=i % 2 == 0,
            )
            for i in range(max(10, n_users // 20))
        ]
    )
    password = make_password("bench-Dayi-2026")
    users = User.objects.bulk_create(
        [
            User(username=f"bench{i}", password=password, organisation=companies[i % len(companies)])
            for i in range(n_users)
        ],
        batch_size=BATCH,
    )
    now = datetime.now().astimezone()
    instruments = []
    for start in range(0, n_instruments, BATCH):
        instruments += Instrument.objects.bulk_create(
            [
                Instrument(
                    name=f"扫描电子显微镜 {i}",
                    name_en="Scanning electron microscope",
                    inventory_number=f"BENCH-{i:06d}",
                    instrument_class=leaf,
                    category=category,
                    purpose="general",
                    model_number="SU8010",
                    manufacturer="日立",
                    country="JP",
                    original_value=Decimal("3200000.00"),
                    acceptance_date=date(2024, 3, 1),
                    funding="local_fiscal",
                    region=region,
                    owner=units[i % n_units],
                    entry_status=Instrument.EntryStatus.APPROVED,
                    approved_at=now,
                    offers_machine_time=True,
                )
                for i in range(start, min(start + BATCH, n_instruments))
            ]
        )
    BookingRules.objects.bulk_create(
        [
            BookingRules(
                instrument=instrument,
                needs_approval=False,
                training_required=False,
                closed_on_holidays=False,
                lead_hours=1,
                max_days_ahead=366,
            )
            for instrument in instruments
        ],
        batch_size=BATCH,
    )
    OpeningHours.objects.bulk_create(
        [
            OpeningHours(instrument=instrument, weekday=day, opens="08:00", closes="20:00")
            for instrument in instruments
            for day in range(7)
        ],
        batch_size=BATCH,
    )
    catalogue_seconds = time.perf_counter() - started

    started = time.perf_counter()
    orders = _copy_orders(connection, instruments, users, rng, now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    order_seconds = time.perf_counter() - started
    return {
        "instruments": n_instruments,
        "units": n_units,
        "users": n_users,
        "orders": orders,
        "catalogue_build_s": round(catalogue_seconds, 1),
        "order_copy_s": round(order_seconds, 1),
        "order_copy_rows_per_s": round(orders / order_seconds),
        "instrument_ids": [i.pk for i in instruments],
        "user_ids": [u.pk for u in users],
    }


ORDER_COLUMNS = [
    "instrument_id",
    "user_id",
    "organisation_id",
    "mode",
    "status",
    "starts_at",
    "ends_at",
    "is_external",
    "purpose",
    "service_purpose",
    "quoted_fee",
    "final_fee",
    "fee_working",
    "fee_reason",
    "test_items",
    "sample_description",
    "hazard",
    "hazard_details",
    "disposal",
    "note",
    "decision_reason",
    "cancel_reason",
    "completed_at",
    "created_at",
    "updated_at",
]
PAST_STATES = ["settled"] * 5 + ["reviewed"] * 3 + ["cancelled", "completed", "report_issued", "no_show"]


def _copy_orders(connection, instruments, users, rng, now) -> int:
    """A year of history before today: slots ~11 days apart on each instrument never overlap."""
    first_day = now - timedelta(days=365)
    count = 0
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        columns = ", ".join(ORDER_COLUMNS)
        with cursor.copy(f"COPY booking_order ({columns}) FROM STDIN") as copy:
            for instrument in instruments:
                offset = rng.randrange(11)
                for k in range(SLOTS_PER_INSTRUMENT):
                    day = first_day + timedelta(days=offset + 11 * k)
                    start = day.replace(hour=8 + rng.randrange(10), minute=0, second=0, microsecond=0)
                    end = start + timedelta(hours=rng.choice((1, 2)))
                    user = users[rng.randrange(len(users))]
                    status = rng.choice(PAST_STATES)
                    fee = Decimal(300 * (end - start).seconds // 3600)
                    done = status not in ("cancelled", "no_show")
                    copy.write_row(
                        [
                            instrument.pk,
                            user.pk,
                            user.organisation_id,
                            "machine_time",
                            status,
                            start,
                            end,
                            True,
                            "基准历史",
                            "research",
                            fee,
                            fee if done else None,
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            "",
                            end if done else None,
                            start - timedelta(days=3),
                            end,
                        ]
                    )
                    count += 1
    return count


# Measurements -----------------------------------------------------------------------------------


def bookings_per_second(data: dict, clients: int, seconds: float, seed: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from dayi.booking.services import book_slot
    from dayi.catalog.models import Instrument
    from dayi.core.errors import DomainError

    users = list(get_user_model().objects.filter(pk__in=data["user_ids"][: clients * 10]))
    instrument_ids = data["instrument_ids"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    results = {"confirmed": 0, "refused": 0, "errors": 0}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(number):
        rng = random.Random(seed + number)
        local = {"confirmed": 0, "refused": 0, "errors": 0}
        try:
            while time.perf_counter() < deadline:
                instrument = Instrument.objects.select_related("owner").get(pk=rng.choice(instrument_ids))
                day = tomorrow + timedelta(days=rng.randrange(60))
                start = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(
                    hours=8 + rng.randrange(11)
                )
                try:
                    book_slot(
                        actor=users[rng.randrange(len(users))],
                        instrument=instrument,
                        starts_at=start,
                        ends_at=start + timedelta(hours=1),
                        purpose="基准预约",
                    )
                    local["confirmed"] += 1
                except DomainError:
                    local["refused"] += 1
                except Exception:
                    local["errors"] += 1
        finally:
            connection.close()
        with lock:
            for key, value in local.items():
                results[key] += value

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        **results,
        "clients": clients,
        "seconds": round(elapsed, 1),
        "confirmed_per_s": round(results["confirmed"] / elapsed, 1),
    }


def availability_p95(data: dict, requests: int, seed: int) -> dict:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    rng = random.Random(seed)
    client = Client()
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    times = []
    for n in range(requests + 20):
        pk = rng.choice(data["instrument_ids"])
        week = monday + timedelta(weeks=rng.randrange(-20, 8))
        started = time.perf_counter()
        response = client.get(
            reverse("booking:availability", args=[pk]),
            {"start": week.isoformat(), "end": (week + timedelta(days=7)).isoformat()},
        )
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        if n >= 20:
            times.append(elapsed)
    times.sort()
    return {
        "requests": requests,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
    }


def race(data: dict) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from dayi.booking.services import book_slot, slot_taken_message
    from dayi.catalog.models import Instrument
    from dayi.core.errors import DomainError

    instrument = Instrument.objects.select_related("owner").get(pk=data["instrument_ids"][0])
    people = list(get_user_model().objects.filter(pk__in=data["user_ids"][:50]))
    day = timezone.localdate() + timedelta(days=200)
    start = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=9)
    barrier = threading.Barrier(RACE_ATTEMPTS)
    gate = threading.BoundedSemaphore(RACE_CONNECTIONS)
    outcomes = []
    refusal = slot_taken_message()

    def attempt(number):
        barrier.wait()
        with gate:
            try:
                book_slot(
                    actor=people[number % len(people)],
                    instrument=instrument,
                    starts_at=start,
                    ends_at=start + timedelta(hours=2),
                    purpose="抢约",
                )
                outcomes.append("booked")
            except DomainError as error:
                outcomes.append("refused" if error.message == refusal else f"other refusal: {error.message}")
            except Exception as error:
                outcomes.append(f"server error: {error!r}")
            finally:
                connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(RACE_ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "attempts": RACE_ATTEMPTS,
        "succeeded": outcomes.count("booked"),
        "clean_refusals": outcomes.count("refused"),
        "server_errors": sum(1 for o in outcomes if o.startswith("server error")),
        "other": sorted({o for o in outcomes if o not in ("booked", "refused")})[:3],
        "seconds": round(time.perf_counter() - started, 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("DAYI_BENCH_URL", DEFAULT_URL))
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 30,000 instruments, ~1,000,000 orders")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    fresh_database(args.url)
    setup_django(args.url)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    translation.activate("zh-hans")
    call_command("migrate", verbosity=0)
    data = build(args.scale, args.seed)
    print(
        f"built {data['instruments']:,} instruments, {data['orders']:,} orders "
        f"(catalogue {data['catalogue_build_s']} s, orders COPY {data['order_copy_s']} s)"
    )
    report = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "postgresql": connection.cursor().connection.info.server_version,
        },
        "scale": args.scale,
        "data": {k: v for k, v in data.items() if not k.endswith("_ids")},
        "bookings": bookings_per_second(data, args.clients, args.seconds, args.seed),
        "availability": availability_p95(data, args.requests, args.seed),
        "race": race(data),
    }
    bookings, availability, race_result = report["bookings"], report["availability"], report["race"]
    print(
        f"confirmed bookings: {bookings['confirmed_per_s']}/s with {bookings['clients']} clients "
        f"({bookings['confirmed']} confirmed, {bookings['refused']} refused, {bookings['errors']} errors)"
    )
    print(f"availability view: p50 {availability['p50_ms']} ms, p95 {availability['p95_ms']} ms")
    print(
        f"200-way race: {race_result['succeeded']} success, {race_result['clean_refusals']} clean refusals, "
        f"{race_result['server_errors']} server errors"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"written {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
