"""Time to recompute a year of sessions and hours for 30,000 instruments.

A standalone script, not a test (see benchmarks/README.md). A year of one-minute readings of
30,000 instruments is 15.8 billion rows, more than this machine can hold for a benchmark, so
the script measures a sample and extrapolates linearly (every sensor is derived on its own,
so the work is the sum over sensors and splits over processes):
1. **derivation alone**: `sessions.derive` over one sensor-year of simulator readings
   (525,600 points) in memory: points/s on one core; the same derivation inside PostgreSQL
   (`stored_sessions.derive_stored`, what a recompute runs there) over the stored year; and
   the Python way from the database (readings read through the ORM, then derived), all in the
   same run for the ratios;
2. **end to end in PostgreSQL**: `--sample` sensors each get a year of simulator readings
   (COPY), then `tracking.rederive` (`manage.py recompute_usage`) derives their sessions and
   daily hours again from the stored readings (in SQL: sessions by window functions, the
   daily hours in one statement), timed per sensor-year;
3. **hours alone**: `daily.refresh_daily` over the whole year for those instruments (the
   work after a correction of sessions, without reading raw readings again);
4. extrapolates each to `--instruments` (30,000) on `--processes` (2) parallel workers.
Writes benchmarks/results/monitoring_recompute.json.
"""

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.monitoring_rig import DEFAULT_URL, build, setup_django  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "monitoring_recompute.json"
YEAR = 2025


def year_of_points(sensor, days):
    from dayi.monitoring.simulator import power_at, ticks

    start = datetime(YEAR, 1, 1, tzinfo=UTC) - timedelta(hours=8)
    rows = []
    for moment in ticks(sensor, start, start + timedelta(days=days)):
        power = round(power_at(3, sensor.id, moment), 1)
        rows.append((moment, round(power / 220 * 1000, 1), power))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=int, default=3, help="sensors measured end to end")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--instruments", type=int, default=30_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL + "_recompute")
    if not args.skip_build:
        build(url, max(2 * args.sample, 20))  # not every demo instrument is in the network
    setup_django(url)
    from django.db import connection, transaction

    from dayi.monitoring.daily import refresh_daily
    from dayi.monitoring.models import DailyUsage, Reading, SensorBinding, UsageSession
    from dayi.monitoring.partitions import ensure_months
    from dayi.monitoring.sessions import Point, derive
    from dayi.monitoring.simulator import ensure_demo_sensors
    from dayi.monitoring.stored_sessions import derive_stored
    from dayi.monitoring.tracking import rederive, rules_for

    sensors = ensure_demo_sensors(limit=args.sample)[: args.sample]
    start = datetime(YEAR, 1, 1, tzinfo=UTC) - timedelta(hours=8)
    SensorBinding.objects.filter(sensor__in=sensors).update(bound_from=start - timedelta(days=1))
    Reading.objects.filter(sensor__in=sensors).delete()

    print("generating readings …", flush=True)
    data = {sensor.pk: year_of_points(sensor, args.days) for sensor in sensors}
    points_per_sensor = len(next(iter(data.values())))

    began = time.perf_counter()
    points = [Point(ts, current, power) for ts, current, power in data[sensors[0].pk]]
    periods = derive(points, rules_for(sensors[0]))
    derive_s = time.perf_counter() - began

    print("storing readings …", flush=True)
    began = time.perf_counter()
    for sensor in sensors:
        instrument_id = sensor.bindings.get().instrument_id
        rows = data[sensor.pk]
        with transaction.atomic():
            ensure_months(ts for ts, _, _ in rows[:: 60 * 24])
            ensure_months([rows[-1][0]])
            with connection.cursor() as cursor:
                copy_sql = (
                    "COPY monitoring_reading (sensor_id, instrument_id, ts, seq, current_ma, power_w, status) "
                    "FROM STDIN"
                )
                with cursor.cursor.copy(copy_sql) as copy:
                    for i, (ts, current, power) in enumerate(rows):
                        copy.write_row((sensor.pk, instrument_id, ts, i, current, power, ""))
    store_s = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE monitoring_reading")

    began = time.perf_counter()
    in_sql = derive_stored(sensors[0].pk, rules_for(sensors[0]), since=start, seed=None)
    derive_sql_s = time.perf_counter() - began
    assert len(in_sql.closed) + len(in_sql.open) == len(periods), "SQL and Python derivations differ"
    # What the Python path (SQLite's, and PostgreSQL's before) pays for the same: the stored
    # readings turned into Python objects, then derived.
    began = time.perf_counter()
    stored = Reading.objects.filter(sensor=sensors[0]).order_by("ts").values_list("ts", "current_ma", "power_w")
    derive([Point(*row) for row in stored], rules_for(sensors[0]))
    python_from_db_s = time.perf_counter() - began

    print("deriving again from stored readings …", flush=True)
    began = time.perf_counter()
    for sensor in sensors:
        rederive(sensor, start)
    rederive_s = time.perf_counter() - began
    sessions = UsageSession.objects.filter(sensor__in=sensors).count()
    days = DailyUsage.objects.filter(instrument__sensor_bindings__sensor__in=sensors).count()

    print("hours again from stored sessions …", flush=True)
    instruments = {sensor.bindings.get().instrument_id for sensor in sensors}
    began = time.perf_counter()
    with transaction.atomic():
        refresh_daily({iid: (start, start + timedelta(days=args.days)) for iid in instruments})
    hours_s = time.perf_counter() - began

    # Per sensor-year: the work grows with the readings, so a shorter --days scales up linearly.
    year = 365 / args.days
    scale = args.instruments / args.processes
    derive_s *= year
    derive_sql_s *= year
    python_from_db_s *= year
    per_sensor_rederive = rederive_s / len(sensors) * year
    per_instrument_hours = hours_s / len(instruments) * year
    results = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "arguments": {k: str(v) for k, v in vars(args).items()},
        "readings_per_sensor": points_per_sensor,
        "days": args.days,
        "derive_in_memory": {
            "seconds_per_sensor_year": round(derive_s, 2),
            "points_per_s": round(points_per_sensor * year / derive_s),
            "periods": len(periods),
        },
        "derive_in_postgresql": {
            "seconds_per_sensor_year": round(derive_sql_s, 2),
            "share_of_python_time": round(derive_sql_s / derive_s, 2),
        },
        "derive_in_python_from_postgresql": {
            "seconds_per_sensor_year": round(python_from_db_s, 2),
            "sql_share_of_it": round(derive_sql_s / python_from_db_s, 2),
        },
        "load": os.getloadavg(),
        "store_readings_per_s": round(points_per_sensor * len(sensors) / store_s),
        "rederive_from_database": {
            "sensors": len(sensors),
            "seconds_per_sensor_year": round(per_sensor_rederive, 2),
            "sessions": sessions,
            "daily_rows": days,
        },
        "hours_from_sessions": {"seconds_per_instrument_year": round(per_instrument_hours, 3)},
        "extrapolated_to": {
            "instruments": args.instruments,
            "processes": args.processes,
            "rederive_hours": round(per_sensor_rederive * scale / 3600, 2),
            "derive_in_memory_hours": round(derive_s * scale / 3600, 2),
            "hours_only_minutes": round(per_instrument_hours * scale / 60, 1),
        },
    }
    print(json.dumps(results, indent=2))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, default=str))
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
