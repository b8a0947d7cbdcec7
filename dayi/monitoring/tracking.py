"""Stored sessions and daily hours, moved on incrementally after each ingested batch.

Readings in time order go on from the builder state saved per sensor. A late reading (older
than the last one seen) rewinds the sensor to the last quiet moment before it — a time no
stored session spans — and derives everything after that again from the stored readings.
"""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from . import conf
from .models import DailyUsage, Reading, SensorState, UsageSession
from .sessions import OFFLINE, Period, Point, Rules, SessionBuilder, seconds_by_day


def rules_for(sensor) -> Rules:
    return Rules(
        interval_s=sensor.sampling_interval_s,
        on_current_ma=sensor.on_current_ma,
        on_power_w=sensor.on_power_w,
        in_use_current_ma=sensor.in_use_current_ma,
        in_use_power_w=sensor.in_use_power_w,
        hysteresis=conf.hysteresis(),
        min_length_s=conf.min_session_seconds(),
        offline_after=conf.offline_after_intervals(),
    )


def instrument_at(bindings, moment) -> int | None:
    """The instrument the sensor measured at `moment` (bindings: the sensor's, any order)."""
    for binding in bindings:
        if binding.covers(moment):
            return binding.instrument_id
    return None


def advance(sensor, points: list[Point]) -> dict[int, tuple]:
    """Take these newly stored readings of one sensor into its sessions, its live state and the
    daily hours. Call inside the ingestion transaction. Returns {instrument_id: (first, last)}
    moments whose days changed."""
    state, _ = SensorState.objects.select_for_update().get_or_create(sensor=sensor)
    rules = rules_for(sensor)
    points = sorted(points, key=lambda p: p.ts)
    builder = SessionBuilder(rules, state.builder)
    sessions = UsageSession.objects.filter(sensor=sensor)
    if builder.last_ts is not None and points[0].ts <= builder.last_ts:
        quiet = _quiet_moment(sessions, points[0].ts - rules.offline_gap - rules.min_length)
        stale = sessions.filter(Q(started_at__gte=quiet) | Q(kind=OFFLINE, ended_at__gte=quiet) | Q(is_open=True))
        builder = SessionBuilder(rules)
        builder.last_ts = (
            Reading.objects.filter(sensor=sensor, ts__lt=quiet).order_by("-ts").values_list("ts", flat=True).first()
        )
        points = [
            Point(ts, current, power)
            for ts, current, power in Reading.objects.filter(sensor=sensor, ts__gte=quiet)
            .order_by("ts")
            .values_list("ts", "current_ma", "power_w")
        ]
    else:
        stale = sessions.filter(is_open=True)
    changed = _spans(stale.values_list("instrument_id", "started_at", "ended_at"))
    stale.delete()

    bindings = list(sensor.bindings.all())
    closed = builder.feed(points)
    opened = builder.open_periods()
    new_rows = [_session(sensor, bindings, period, is_open=False) for period in closed]
    new_rows += [_session(sensor, bindings, period, is_open=True) for period in opened]
    new_rows = [row for row in new_rows if row.instrument_id is not None]
    UsageSession.objects.bulk_create(new_rows)
    for instrument_id, span in _spans((r.instrument_id, r.started_at, r.ended_at) for r in new_rows).items():
        changed[instrument_id] = widen(changed.get(instrument_id), span)

    last = points[-1] if points else None
    state.builder = builder.dump()
    state.level = builder.level()
    state.offline_after = builder.offline_after()
    if last is not None and (state.last_reading_at is None or last.ts >= state.last_reading_at):
        state.last_reading_at, state.last_current_ma, state.last_power_w = last.ts, last.current_ma, last.power_w
    state.save()
    return changed


def _quiet_moment(sessions, moment):
    """Step back from `moment` until no stored session spans it."""
    while True:
        spanning = sessions.filter(started_at__lt=moment).filter(Q(ended_at__gt=moment) | Q(is_open=True))
        earliest = spanning.order_by("started_at").values_list("started_at", flat=True).first()
        if earliest is None:
            return moment
        moment = earliest


def _session(sensor, bindings, period: Period, *, is_open):
    return UsageSession(
        sensor=sensor,
        instrument_id=instrument_at(bindings, period.start),
        kind=period.kind,
        started_at=period.start,
        ended_at=period.end,
        is_open=is_open,
    )


def _spans(rows) -> dict[int, tuple]:
    spans = {}
    for instrument_id, start, end in rows:
        spans[instrument_id] = widen(spans.get(instrument_id), (start, end))
    return spans


def widen(span, other):
    if span is None:
        return other
    return min(span[0], other[0]), max(span[1], other[1])


def refresh_daily(changed: dict[int, tuple]) -> None:
    """Recompute DailyUsage for every local day the changed spans touch."""
    tz = timezone.get_default_timezone()
    for instrument_id, (first, last) in changed.items():
        first_day, last_day = first.astimezone(tz).date(), last.astimezone(tz).date()
        start = datetime.combine(first_day, time(), tz)
        end = datetime.combine(last_day + timedelta(days=1), time(), tz)
        periods = [
            Period(kind, max(s, start), min(e, end))
            for kind, s, e in UsageSession.objects.filter(
                instrument_id=instrument_id, started_at__lt=end, ended_at__gt=start
            ).values_list("kind", "started_at", "ended_at")
        ]
        totals = seconds_by_day(periods, tz)
        days = DailyUsage.objects.filter(instrument_id=instrument_id, day__gte=first_day, day__lte=last_day)
        days.exclude(day__in=list(totals)).delete()
        DailyUsage.objects.bulk_create(
            [
                DailyUsage(
                    instrument_id=instrument_id,
                    day=day,
                    running_seconds=round(kinds.get("running", 0)),
                    in_use_seconds=round(kinds.get("in_use", 0)),
                    offline_seconds=round(kinds.get("offline", 0)),
                )
                for day, kinds in totals.items()
            ],
            update_conflicts=True,
            unique_fields=["instrument", "day"],
            update_fields=["running_seconds", "in_use_seconds", "offline_seconds", "updated_at"],
        )
