"""Running sessions from readings: pure functions, no database.

Two nested levels are tracked with the same rules: RUNNING (the "on" thresholds) and IN_USE
(the "in use" thresholds, the national "effective working time"). A level starts at the first
reading that reaches its threshold; once started it holds while values stay above the
threshold less the hysteresis share; it ends at the first reading below that, provided the
drop lasts `min_length` (a shorter dip is noise and the run goes on). Runs shorter than
`min_length` are noise and dropped. A silence longer than `offline_after` sampling intervals
ends every run one interval after the last reading and is an OFFLINE period, not "off".

The builder's state is a small dict, saved per sensor, so ingestion can go on from where the
last batch stopped instead of reading the past again.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NamedTuple

RUNNING, IN_USE, OFFLINE = "running", "in_use", "offline"


@dataclass(frozen=True)
class Rules:
    interval_s: int = 60
    on_current_ma: float | None = 50
    on_power_w: float | None = 10
    in_use_current_ma: float | None = 180
    in_use_power_w: float | None = 40
    hysteresis: float = 0.1
    min_length_s: int = 180
    offline_after: int = 3

    @property
    def offline_gap(self) -> timedelta:
        return timedelta(seconds=self.interval_s * self.offline_after)

    @property
    def interval(self) -> timedelta:
        return timedelta(seconds=self.interval_s)

    @property
    def min_length(self) -> timedelta:
        return timedelta(seconds=self.min_length_s)


class Point(NamedTuple):
    """A tuple, not a dataclass: ingestion makes one per reading, and a tuple is built fastest."""

    ts: datetime
    current_ma: float | None
    power_w: float | None


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime
    end: datetime

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


def _reaches(value, threshold) -> bool:
    return value is not None and threshold is not None and value >= threshold


def _scaled(threshold, factor):
    return None if threshold is None else threshold * factor


class _Level:
    def __init__(self, kind, current_threshold, power_threshold, rules, state=None):
        self.kind = kind
        self.min_length = rules.min_length
        # (current, power) that start a run, and the lower ones that hold it (hysteresis).
        self.start_at = (current_threshold, power_threshold)
        hold = 1 - rules.hysteresis
        self.hold_at = (_scaled(current_threshold, hold), _scaled(power_threshold, hold))
        state = state or {}
        self.start = _load(state.get("start"))
        self.drop_at = _load(state.get("drop_at"))

    def dump(self) -> dict:
        return {"start": _dump(self.start), "drop_at": _dump(self.drop_at)}

    def above(self, point, hold: bool) -> bool:
        current, power = self.hold_at if hold else self.start_at
        return _reaches(point.current_ma, current) or _reaches(point.power_w, power)

    @property
    def active(self) -> bool:
        return self.start is not None

    @property
    def settled_on(self) -> bool:
        return self.start is not None and self.drop_at is None

    def step(self, point) -> Period | None:
        above = self.above(point, hold=self.active)
        if not self.active:
            if above:
                self.start = point.ts
            return None
        if above:
            self.drop_at = None
            return None
        if self.drop_at is None:
            self.drop_at = point.ts
        if point.ts - self.drop_at >= self.min_length:
            return self.close(self.drop_at)
        return None

    def close(self, end) -> Period | None:
        """End the run at `end` (or where a pending drop began); None when it was too short."""
        start, end = self.start, self.drop_at or end
        self.start = self.drop_at = None
        if start is None or end - start < self.min_length:
            return None
        return Period(self.kind, start, end)

    def open_period(self, end) -> Period | None:
        if self.start is None:
            return None
        end = self.drop_at or end
        return Period(self.kind, self.start, end) if end - self.start >= self.min_length else None


class SessionBuilder:
    """Feed readings in time order; collect closed periods; ask for the still-open ones."""

    def __init__(self, rules: Rules, state: dict | None = None):
        state = state or {}
        self.rules = rules
        self.last_ts = _load(state.get("last_ts"))
        self.running = _Level(RUNNING, rules.on_current_ma, rules.on_power_w, rules, state.get(RUNNING))
        # "In use" implies "on": the in-use thresholds are checked on their own.
        self.in_use = _Level(IN_USE, rules.in_use_current_ma, rules.in_use_power_w, rules, state.get(IN_USE))

    def dump(self) -> dict:
        return {"last_ts": _dump(self.last_ts), RUNNING: self.running.dump(), IN_USE: self.in_use.dump()}

    def feed(self, points) -> list[Period]:
        """Closed periods produced by these points; points at or before the last one fed are
        ignored (the caller recomputes from a quiet point when late readings arrive)."""
        closed = []
        gap, interval = self.rules.offline_gap, self.rules.interval
        for point in points:
            if self.last_ts is not None and point.ts <= self.last_ts:
                continue
            if self.last_ts is not None and point.ts - self.last_ts > gap:
                silent_from = self.last_ts + interval
                closed += [p for p in (self.in_use.close(silent_from), self.running.close(silent_from)) if p]
                closed.append(Period(OFFLINE, silent_from, point.ts))
            closed += [p for p in (self.in_use.step(point), self.running.step(point)) if p]
            self.last_ts = point.ts
        return closed

    def open_periods(self) -> list[Period]:
        """Runs still going on, up to one interval after the last reading (what it vouches for)."""
        if self.last_ts is None:
            return []
        end = self.last_ts + self.rules.interval
        return [p for p in (self.running.open_period(end), self.in_use.open_period(end)) if p]

    def level(self) -> str:
        """The level the last reading shows: "in_use", "on" or "off"."""
        if self.in_use.settled_on:
            return IN_USE
        if self.running.settled_on:
            return "on"
        return "off"

    def offline_after(self) -> datetime | None:
        return None if self.last_ts is None else self.last_ts + self.rules.offline_gap


def derive(points, rules: Rules, *, until: datetime | None = None) -> list[Period]:
    """Every period of a whole sequence: closed ones, open ones, and, if `until` is given and
    the sensor has been silent too long by then, the trailing offline period."""
    builder = SessionBuilder(rules)
    periods = builder.feed(sorted(points, key=lambda p: p.ts))
    periods += builder.open_periods()
    if until is not None and builder.last_ts is not None and until - builder.last_ts > rules.offline_gap:
        periods.append(Period(OFFLINE, builder.last_ts + rules.interval, until))
    return sorted(periods, key=lambda p: (p.start, p.kind))


def seconds_by_day(periods, tz: tzinfo) -> dict[date, dict[str, float]]:
    """{local day: {kind: seconds}}, splitting every period at local midnight."""
    totals = defaultdict(lambda: defaultdict(float))
    for period in periods:
        start = period.start
        while start < period.end:
            day = start.astimezone(tz).date()
            midnight = datetime.combine(day + timedelta(days=1), time(), tz)
            end = min(period.end, midnight)
            totals[day][period.kind] += (end - start).total_seconds()
            start = end
    return {day: dict(kinds) for day, kinds in totals.items()}


def _dump(moment: datetime | None):
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _load(value) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)
