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


def _high(x, c, p):
    return f"(coalesce({c} >= %({x}_c_start)s, false) OR coalesce({p} >= %({x}_p_start)s, false))"


def _low(x, c, p):
    return f"NOT (coalesce({c} >= %({x}_c_hold)s, false) OR coalesce({p} >= %({x}_p_hold)s, false))"


LEVELS = (RUNNING, IN_USE)

# Two passes over the readings in time order (no sort: the key's index gives that order), then
# only streaks, run starts and breaks, a few thousand rows a sensor-year. Only level names and
# the threshold expressions (constants) are formatted in; every value is a parameter.
READINGS = (
    """
r AS (
  SELECT ts, current_ma AS c, power_w AS p, lag(ts) OVER w AS prev_ts, lead(ts) OVER w AS next_ts,
         lag(current_ma) OVER w AS prev_c, lag(power_w) OVER w AS prev_p
  FROM monitoring_reading WHERE sensor_id = %(sensor)s AND ts >= %(since)s
  WINDOW w AS (ORDER BY ts)
),
k AS (
  SELECT ts, coalesce(prev_ts, %(seed)s::timestamptz) AS before_ts,
         coalesce(ts - coalesce(prev_ts, %(seed)s::timestamptz) > %(gap)s, false) AS after_gap,
         prev_ts IS NULL OR ts - prev_ts > %(gap)s AS seg_first,
         next_ts IS NULL OR next_ts - ts > %(gap)s AS seg_last,
         next_ts IS NULL AS data_last,
"""  # noqa: S608
    + ",\n".join(
        f"{_high(x, 'c', 'p')} AS {x}_high, {_low(x, 'c', 'p')} AS {x}_low, "
        f"{_high(x, 'prev_c', 'prev_p')} AS {x}_prev_high, {_low(x, 'prev_c', 'prev_p')} AS {x}_prev_low"
        for x in LEVELS
    )
    + """
  FROM r
),
s AS (
  SELECT k.*, count(*) FILTER (WHERE seg_first) OVER w AS seg,
"""
    + ",\n".join(
        f"count(*) FILTER (WHERE {x}_low AND (seg_first OR NOT {x}_prev_low)) OVER w AS {x}_streak" for x in LEVELS
    )
    + """
  FROM k WINDOW w AS (ORDER BY ts)
),
segs AS (SELECT seg, max(ts) AS seg_end, bool_or(data_last) AS seg_is_last FROM s GROUP BY seg)
"""
)

# A run starts at a reading reaching the starting threshold after a non-reaching one (or at a
# segment's start) when the event before it in the segment is a break or none; it ends at the
# next break of the segment, or with the segment.
LEVEL = """
{x}_streak AS (
  SELECT seg, min(ts) AS first_ts, max(ts) - min(ts) >= %(min_length)s AS long_enough,
         bool_or(seg_last) AS ends_seg, bool_or(data_last) AS ends_data
  FROM s WHERE {x}_low GROUP BY seg, {x}_streak
),
{x}_event AS (
  SELECT seg, first_ts AS ts, true AS is_break, NOT long_enough AND ends_data AS pending
  FROM {x}_streak WHERE long_enough OR ends_seg
  UNION ALL
  SELECT seg, ts, false, false FROM s WHERE {x}_high AND (seg_first OR NOT {x}_prev_high)
),
{x}_run AS (
  SELECT seg, ts AS start_ts, is_break, lag(is_break) OVER w AS after_break,
         min(ts) FILTER (WHERE is_break) OVER later AS end_ts,
         min(ts) FILTER (WHERE pending) OVER later AS pending_ts
  FROM {x}_event
  WINDOW w AS (PARTITION BY seg ORDER BY ts),
         -- The events after this one, as a frame that only grows: linear, not quadratic.
         later AS (PARTITION BY seg ORDER BY ts DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
)
"""

SELECT_LEVEL = """
SELECT '{x}', start_ts, coalesce(end_ts, seg_end + %(interval)s),
       CASE WHEN end_ts IS NULL THEN seg_is_last ELSE coalesce(end_ts = pending_ts, false) END,
       CASE WHEN end_ts = pending_ts THEN end_ts END
FROM {x}_run JOIN segs USING (seg) WHERE NOT is_break AND coalesce(after_break, true)
"""

# Only the level names and threshold parameter names (constants) are formatted in.
STATEMENT = (
    "WITH "  # noqa: S608
    + READINGS
    + ","
    + ",".join(LEVEL.format(x=x) for x in LEVELS)
    + " UNION ALL ".join(SELECT_LEVEL.format(x=x) for x in LEVELS)
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
