"""Sessions derived inside PostgreSQL from the stored readings, by the rules of sessions.py.

Re-deriving a sensor's past (after a change of thresholds, a late reading, a recompute) in
Python means turning every reading into Python objects: about 20 s a sensor-year. Here the
readings never leave the database; the statement returns only the runs, the offline gaps and
what the builder needs to go on. It restates `sessions._Level` with window functions:

- a *segment* is a stretch of readings without a gap longer than the offline allowance; every
  run ends with its segment (one interval after its last reading, or where a pending drop
  began);
- a *low streak* is a maximal series of consecutive readings of a segment below the holding
  threshold; it *breaks* a run at its first reading when it lasts the minimum length, or when
  the segment ends inside it (the drop was pending). A streak that reaches the end of the
  data without lasting the minimum length is a pending drop: the run is still open;
- between two breaks of a segment, the run starts at the first reading reaching the starting
  threshold (a reading between both thresholds neither starts nor ends anything).

`tests/test_stored_sessions.py` checks on crafted and random sequences that this gives exactly
the periods and the builder state of `sessions.SessionBuilder`, which stays the definition
(ingestion uses it batch by batch, and SQLite has only it).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from .sessions import IN_USE, OFFLINE, RUNNING, Period, Rules, SessionBuilder, _dump

SEGMENTS = """
r AS (
  SELECT ts, current_ma AS c, power_w AS p, lag(ts) OVER w AS prev_ts, lead(ts) OVER w AS next_ts
  FROM monitoring_reading WHERE sensor_id = %(sensor)s AND ts >= %(since)s
  WINDOW w AS (ORDER BY ts)
),
g AS (
  SELECT ts, c, p, coalesce(prev_ts, %(seed)s::timestamptz) AS before_ts,
         coalesce(ts - coalesce(prev_ts, %(seed)s::timestamptz) > %(gap)s, false) AS after_gap,
         next_ts IS NULL OR next_ts - ts > %(gap)s AS seg_last,
         next_ts IS NULL AS data_last
  FROM r
),
s AS (SELECT g.*, count(*) FILTER (WHERE after_gap) OVER (ORDER BY ts) AS seg FROM g)
"""

LEVEL = """
{x}_k AS (
  SELECT ts, seg, seg_last, data_last,
         coalesce(c >= %({x}_c_start)s, false) OR coalesce(p >= %({x}_p_start)s, false) AS high,
         NOT (coalesce(c >= %({x}_c_hold)s, false) OR coalesce(p >= %({x}_p_hold)s, false)) AS low
  FROM s
),
{x}_island AS (
  SELECT ts, seg, seg_last, data_last, low,
         row_number() OVER (PARTITION BY seg ORDER BY ts)
         - row_number() OVER (PARTITION BY seg, low ORDER BY ts) AS island
  FROM {x}_k
),
{x}_streak AS (
  SELECT seg, min(ts) AS first_ts, max(ts) - min(ts) >= %(min_length)s AS long_enough,
         bool_or(seg_last) AS ends_seg, bool_or(data_last) AS ends_data
  FROM {x}_island WHERE low GROUP BY seg, island
),
{x}_break AS (
  SELECT seg, first_ts AS ts, NOT (long_enough OR NOT ends_data) AS pending
  FROM {x}_streak WHERE long_enough OR ends_seg
),
{x}_epoch AS (
  SELECT k.ts, k.seg, k.high, k.seg_last, k.data_last, b.pending,
         count(b.ts) OVER (PARTITION BY k.seg ORDER BY k.ts) AS epoch
  FROM {x}_k k LEFT JOIN {x}_break b ON b.seg = k.seg AND b.ts = k.ts
),
{x}_between AS (
  SELECT seg, epoch, min(ts) AS opened_at, bool_or(pending) AS opened_pending,
         min(ts) FILTER (WHERE high) AS start_ts, max(ts) FILTER (WHERE seg_last) AS seg_end,
         bool_or(data_last) AS data_end
  FROM {x}_epoch GROUP BY seg, epoch
),
{x}_run AS (
  SELECT start_ts, lead(opened_at) OVER w AS end_ts, lead(opened_pending) OVER w AS pending,
         max(seg_end) OVER (PARTITION BY seg) AS seg_end, bool_or(data_end) OVER (PARTITION BY seg) AS seg_data_end
  FROM {x}_between WINDOW w AS (PARTITION BY seg ORDER BY epoch)
)
"""

SELECT_LEVEL = """
SELECT '{x}', start_ts, coalesce(end_ts, seg_end + %(interval)s),
       CASE WHEN end_ts IS NULL THEN seg_data_end ELSE pending END, CASE WHEN pending THEN end_ts END
FROM {x}_run WHERE start_ts IS NOT NULL
"""

# Only the level names (constants) are formatted in; every value is a parameter.
STATEMENT = (
    "WITH "  # noqa: S608
    + SEGMENTS
    + ","
    + ",".join(LEVEL.format(x=x) for x in (RUNNING, IN_USE))
    + " UNION ALL ".join(SELECT_LEVEL.format(x=x) for x in (RUNNING, IN_USE))
    + " UNION ALL SELECT 'offline', before_ts + %(interval)s, ts, false, NULL FROM s WHERE after_gap"
    + " UNION ALL SELECT 'last', max(ts), NULL, NULL, NULL FROM s"
)


@dataclass
class Derived:
    closed: list[Period]
    open: list[Period]
    builder: SessionBuilder


def derive_stored(sensor_id: int, rules: Rules, *, since: datetime, seed: datetime | None) -> Derived:
    """What a fresh SessionBuilder whose last reading was `seed` gives when fed the stored
    readings of the sensor from `since` on: closed and open periods, and the builder after."""
    params = {
        "sensor": sensor_id,
        "since": since,
        "seed": seed,
        "gap": rules.offline_gap,
        "interval": rules.interval,
        "min_length": rules.min_length,
    }
    hold = 1 - rules.hysteresis
    for x, current, power in (
        (RUNNING, rules.on_current_ma, rules.on_power_w),
        (IN_USE, rules.in_use_current_ma, rules.in_use_power_w),
    ):
        # The same float products as sessions._Level, so that the edges agree to the last bit.
        params |= {
            f"{x}_c_start": current,
            f"{x}_p_start": power,
            f"{x}_c_hold": None if current is None else current * hold,
            f"{x}_p_hold": None if power is None else power * hold,
        }
    with connection.cursor() as cursor:
        cursor.execute(STATEMENT, params)
        rows = cursor.fetchall()
    closed, still_open, state = [], [], {RUNNING: {}, IN_USE: {}}
    last = seed
    for kind, start, end, is_open, drop_at in rows:
        if kind == "last":
            last = start or seed
            continue
        if is_open:
            state[kind] = {"start": _dump(start), "drop_at": _dump(drop_at)}
        if kind != OFFLINE and end - start < rules.min_length:
            continue
        (still_open if is_open else closed).append(Period(kind, start, end))
    builder = SessionBuilder(rules, {"last_ts": _dump(last), **state})
    return Derived(closed=closed, open=still_open, builder=builder)
