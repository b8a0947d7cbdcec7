"""Monthly partitions of the readings table on PostgreSQL, and the retention of raw readings.

On PostgreSQL `monitoring_reading` is declared `PARTITION BY RANGE (ts)` (migration 0003),
one partition per local (Asia/Shanghai) month, named `monitoring_reading_pYYYYMM`. There is no
default partition: a month is created ahead by the daily maintenance job and, should a batch
reach a month that does not exist yet, on demand by the batch itself. Retention drops whole
months, which costs nothing next to deleting rows. SQLite keeps one plain table and deletes
old rows. Sessions and daily hours are other tables and are never touched here.
"""

from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from . import conf

TABLE = "monitoring_reading"
_LOCK = 0x6D6F6E31  # pg_advisory_xact_lock key: one partition creator at a time
_known_months: set[date] = set()


def month_of(moment: datetime) -> date:
    return timezone.localtime(moment).date().replace(day=1)


def next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def partition_name(month: date) -> str:
    return f"{TABLE}_p{month:%Y%m}"


def _bound(month: date) -> str:
    return datetime.combine(month, time(), timezone.get_default_timezone()).isoformat()


def is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
        return cursor.fetchone() is not None


def existing_partitions(table: str = TABLE) -> dict[date, str]:
    """{first day of month: partition name} of the partitions attached to `table`."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [table],
        )
        names = [row[0] for row in cursor.fetchall()]
    prefix = f"{TABLE}_p"
    return {date(int(n[-6:-2]), int(n[-2:]), 1): n for n in names if n.startswith(prefix)}


def create_partitions(months, table: str = TABLE) -> list[str]:
    """Create the monthly partitions of `table` that are missing; returns the names created."""
    months = sorted(set(months))
    if not months:
        return []
    created = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        have = existing_partitions(table)
        for month in months:
            if month in have:
                continue
            name = partition_name(month)
            cursor.execute(
                f"CREATE TABLE {name} PARTITION OF {table} "
                f"FOR VALUES FROM ('{_bound(month)}') TO ('{_bound(next_month(month))}')"
            )
            created.append(name)
    return created


def ensure_months(moments) -> None:
    """Make sure the partitions for these reading times exist (PostgreSQL; nothing elsewhere).
    Called before every batch insert; remembers what it has seen so a batch costs no query."""
    if connection.vendor != "postgresql":
        return
    moments = list(moments)
    if not moments:
        return
    month, last = month_of(min(moments)), month_of(max(moments))
    months = set()
    while month <= last:
        months.add(month)
        month = next_month(month)
    months -= _known_months
    if months:
        create_partitions(months)
        _remember(months)


def _remember(months) -> None:
    # Only once committed: DDL rolls back with the batch, and a remembered month that was
    # rolled back would make the next insert fail.
    transaction.on_commit(lambda: _known_months.update(months))


def create_ahead(today: date | None = None) -> list[str]:
    """This month's partition and the next `partitions_ahead` ones."""
    if not is_partitioned():
        return []
    month = (today or timezone.localdate()).replace(day=1)
    months = [month]
    for _ in range(conf.partitions_ahead()):
        months.append(next_month(months[-1]))
    created = create_partitions(months)
    _remember(months)
    return created


def retention_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=conf.raw_retention_days())


def apply_retention(now: datetime | None = None) -> dict:
    """Remove raw readings older than the retention: on PostgreSQL every partition whose whole
    month ends before the cutoff is dropped; on SQLite the rows before the cutoff are deleted."""
    cutoff = retention_cutoff(now)
    if not is_partitioned():
        from .models import Reading

        deleted, _ = Reading.objects.filter(ts__lt=cutoff).delete()
        return {"deleted_readings": deleted, "dropped_partitions": []}
    dropped = []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        for month, name in sorted(existing_partitions().items()):
            if datetime.fromisoformat(_bound(next_month(month))) <= cutoff:
                cursor.execute(f"DROP TABLE {name}")
                dropped.append(name)
                _known_months.discard(month)
    return {"deleted_readings": None, "dropped_partitions": dropped}


def maintain(now: datetime | None = None) -> dict:
    """The daily job: partitions ahead, then retention."""
    now = now or timezone.now()
    created = create_ahead(timezone.localtime(now).date())
    return {"created_partitions": created, **apply_retention(now)}
