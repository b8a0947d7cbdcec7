"""The province-scale city the booking, funding and dashboard benchmarks share: a fresh
PostgreSQL database, units, users and instruments in batches, and a year of machine-time
orders by COPY (see benchmarks/booking.py for what is measured on it)."""

import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
FULL_INSTRUMENTS = 30_000
SLOTS_PER_INSTRUMENT = 33  # one every ~11 days over a year: ~1,000,000 orders at full scale
BATCH = 5_000


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
