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
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

from booking_city import build, fresh_database, setup_django

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "booking.json"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dayi_bench_booking"
RACE_ATTEMPTS = 200
RACE_CONNECTIONS = 40


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
