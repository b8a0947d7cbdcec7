"""Daily hours (DailyUsage) of instruments, rebuilt from their stored sessions.

Every session is split at local (Asia/Shanghai) midnight; a day's running, in-use and offline
seconds are the sums of its pieces. On PostgreSQL one statement does it for any number of
instruments and days (a year of 30,000 instruments is a recompute, not an evening of Python);
SQLite, the small embedded default, sums in Python. `tests/test_daily.py` checks that both
give the same rows.
"""

from datetime import datetime, time, timedelta

from django.db import connection
from django.utils import timezone

from .models import DailyUsage, UsageSession
from .sessions import Period, seconds_by_day

# Each window: the instrument's days first_day … last_day, whole, are rebuilt.
REBUILD = """
WITH w AS (
  SELECT i AS instrument_id, f AS first_day, l AS last_day,
         f::timestamp AT TIME ZONE %(tz)s AS lo, (l + 1)::timestamp AT TIME ZONE %(tz)s AS hi
  FROM unnest(%(ids)s::int8[], %(firsts)s::date[], %(lasts)s::date[]) AS t(i, f, l)
),
clipped AS (
  SELECT s.instrument_id, s.kind, greatest(s.started_at, w.lo) AS a, least(s.ended_at, w.hi) AS b
  FROM monitoring_usagesession s JOIN w ON w.instrument_id = s.instrument_id
  WHERE s.started_at < w.hi AND s.ended_at > w.lo
),
pieces AS (
  SELECT c.instrument_id, c.kind, d.day,
         extract(epoch FROM least(c.b, (d.day + 1)::timestamp AT TIME ZONE %(tz)s)
                            - greatest(c.a, d.day::timestamp AT TIME ZONE %(tz)s))::float8 AS seconds
  FROM clipped c CROSS JOIN LATERAL (
    SELECT g::date AS day FROM generate_series(
      (c.a AT TIME ZONE %(tz)s)::date::timestamp,
      ((c.b AT TIME ZONE %(tz)s) - interval '1 microsecond')::date::timestamp,
      interval '1 day') AS g
  ) d
  WHERE c.a < c.b
),
totals AS (
  -- round() of a double rounds half to even, as Python's round() does.
  SELECT instrument_id, day,
         round(coalesce(sum(seconds) FILTER (WHERE kind = 'running'), 0))::int4 AS running,
         round(coalesce(sum(seconds) FILTER (WHERE kind = 'in_use'), 0))::int4 AS in_use,
         round(coalesce(sum(seconds) FILTER (WHERE kind = 'offline'), 0))::int4 AS offline
  FROM pieces GROUP BY instrument_id, day
),
kept AS (
  INSERT INTO monitoring_dailyusage
    (instrument_id, day, running_seconds, in_use_seconds, offline_seconds, updated_at)
  SELECT instrument_id, day, running, in_use, offline, now() FROM totals
  ON CONFLICT (instrument_id, day) DO UPDATE SET
    running_seconds = EXCLUDED.running_seconds, in_use_seconds = EXCLUDED.in_use_seconds,
    offline_seconds = EXCLUDED.offline_seconds, updated_at = EXCLUDED.updated_at
)
DELETE FROM monitoring_dailyusage d USING w
WHERE d.instrument_id = w.instrument_id AND d.day BETWEEN w.first_day AND w.last_day
  AND NOT EXISTS (SELECT 1 FROM totals t WHERE t.instrument_id = d.instrument_id AND t.day = d.day)
"""


def refresh_daily(changed: dict[int, tuple]) -> None:
    """Recompute DailyUsage for every local day the changed spans touch, all instruments at once."""
    if not changed:
        return
    tz = timezone.get_default_timezone()
    if connection.vendor == "postgresql":
        _rebuild_in_sql(windows(changed, tz), tz)
    else:
        _rebuild_in_python(windows(changed, tz), tz)


def windows(changed: dict[int, tuple], tz) -> dict[int, tuple]:
    """{instrument: (first, last) moments} → {instrument: (start, end, first day, last day)},
    whole local days."""
    found = {}
    for instrument_id, (first, last) in changed.items():
        first_day, last_day = first.astimezone(tz).date(), last.astimezone(tz).date()
        found[instrument_id] = (
            datetime.combine(first_day, time(), tz),
            datetime.combine(last_day + timedelta(days=1), time(), tz),
            first_day,
            last_day,
        )
    return found


def _rebuild_in_sql(windows, tz) -> None:
    ids = sorted(windows)
    with connection.cursor() as cursor:
        cursor.execute(
            REBUILD,
            {
                "tz": str(tz),
                "ids": ids,
                "firsts": [windows[i][2] for i in ids],
                "lasts": [windows[i][3] for i in ids],
            },
        )


def _rebuild_in_python(windows, tz) -> None:
    begin, finish = min(w[0] for w in windows.values()), max(w[1] for w in windows.values())
    periods = {instrument_id: [] for instrument_id in windows}
    for instrument_id, kind, s, e in UsageSession.objects.filter(
        instrument_id__in=list(windows), started_at__lt=finish, ended_at__gt=begin
    ).values_list("instrument_id", "kind", "started_at", "ended_at"):
        start, end, _, _ = windows[instrument_id]
        if s < end and e > start:
            periods[instrument_id].append(Period(kind, max(s, start), min(e, end)))
    rows, keep = [], set()
    for instrument_id, found in periods.items():
        for day, kinds in seconds_by_day(found, tz).items():
            keep.add((instrument_id, day))
            rows.append(
                DailyUsage(
                    instrument_id=instrument_id,
                    day=day,
                    running_seconds=round(kinds.get("running", 0)),
                    in_use_seconds=round(kinds.get("in_use", 0)),
                    offline_seconds=round(kinds.get("offline", 0)),
                )
            )
    existing = DailyUsage.objects.filter(
        instrument_id__in=list(windows), day__gte=begin.astimezone(tz).date(), day__lt=finish.astimezone(tz).date()
    ).values_list("pk", "instrument_id", "day")
    gone = [
        pk
        for pk, instrument_id, day in existing
        if windows[instrument_id][2] <= day <= windows[instrument_id][3] and (instrument_id, day) not in keep
    ]
    if gone:
        DailyUsage.objects.filter(pk__in=gone).delete()
    DailyUsage.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["instrument", "day"],
        update_fields=["running_seconds", "in_use_seconds", "offline_seconds", "updated_at"],
    )
