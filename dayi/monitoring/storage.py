"""Idempotent batched writes of readings: a reading already stored is skipped, not an error.

PostgreSQL: COPY the batch into a temporary table, then INSERT … SELECT … ON CONFLICT DO
NOTHING, the fastest idempotent path measured (ENGINEERING.md, "Ingestion"). SQLite (the
embedded default): one multi-row INSERT … ON CONFLICT DO NOTHING per chunk.
Both return the keys actually inserted, so that duplicates are counted and only new readings
move the sessions on.
"""

from datetime import UTC, datetime

from django.db import connection, transaction

from . import partitions
from .models import Reading

COLUMNS = ("sensor_id", "instrument_id", "ts", "seq", "current_ma", "power_w", "status")
TS = COLUMNS.index("ts")
PG_TYPES = ("int8", "int8", "timestamptz", "int8", "float8", "float8", "varchar")
SQLITE_CHUNK = 900 // len(COLUMNS)  # SQLite allows 999 parameters per statement by default


def insert_readings(rows: list[tuple]) -> set[tuple]:
    """Insert rows (in COLUMNS order); returns {(sensor_id, ts)} of the rows that were new."""
    if not rows:
        return set()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            return _insert_postgresql(rows)
        return _insert_generic(rows)


def _insert_postgresql(rows):
    table = Reading._meta.db_table
    columns = ", ".join(COLUMNS)
    partitions.ensure_months(row[TS] for row in rows)
    with connection.cursor() as cursor:
        # Lives as long as the connection; emptied after each batch. `n` numbers the batch's rows.
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS reading_staging (LIKE {table}, n int4)")
        # Binary COPY: about twice the rows per second of text COPY (ENGINEERING.md, "Ingestion").
        with cursor.cursor.copy(f"COPY reading_staging ({columns}, n) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types((*PG_TYPES, "int4"))
            for n, row in enumerate(rows):
                copy.write_row((*row, n))
        # Only the numbers of the rows already stored come back (nearly always none): turning
        # every inserted key back into Python datetimes cost more than the COPY itself.
        cursor.execute(
            f"WITH new AS (INSERT INTO {table} ({columns}) SELECT {columns} FROM reading_staging "  # noqa: S608
            "ON CONFLICT DO NOTHING RETURNING sensor_id, ts) "
            "SELECT n FROM reading_staging s WHERE NOT EXISTS "
            "(SELECT 1 FROM new WHERE new.sensor_id = s.sensor_id AND new.ts = s.ts)"
        )
        known = {n for (n,) in cursor.fetchall()}
        cursor.execute("TRUNCATE reading_staging")
    return {(row[0], row[TS]) for n, row in enumerate(rows) if n not in known}


def _insert_generic(rows):
    table = Reading._meta.db_table
    columns = ", ".join(COLUMNS)
    placeholder = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    adapt = connection.ops.adapt_datetimefield_value
    inserted = set()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), SQLITE_CHUNK):
            chunk = rows[start : start + SQLITE_CHUNK]
            params = [adapt(value) if i == TS else value for row in chunk for i, value in enumerate(row)]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholder] * len(chunk))} "  # noqa: S608
                "ON CONFLICT DO NOTHING RETURNING sensor_id, ts",
                params,
            )
            inserted |= {(sensor_id, _utc(ts)) for sensor_id, ts in cursor.fetchall()}
    return inserted


def _utc(value):
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
