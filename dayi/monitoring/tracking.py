"""Stored sessions and daily hours, moved on incrementally after each ingested batch.

Readings in time order go on from the builder state saved per sensor. A late reading (older
than the last one seen) rewinds the sensor to the last quiet moment before it — a time no
stored session spans — and derives everything after that again from the stored readings.
"""

from datetime import datetime

from django.db import connection, transaction
from django.db.models import Q

from . import conf
from .daily import refresh_daily
from .models import Reading, SensorState, UsageSession
from .sessions import OFFLINE, Period, Point, Rules, SessionBuilder
from .stored_sessions import Derived, derive_stored


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


def rederive(sensor, since: datetime) -> None:
    """Sessions and daily hours of one sensor from `since` on, derived again from its readings."""
    with transaction.atomic():
        refresh_daily(advance(sensor, [], rederive_from=since))


def advance(sensor, points: list[Point], *, rederive_from: datetime | None = None) -> dict[int, tuple]:
    """Take these newly stored readings of one sensor into its sessions, its live state and the
    daily hours; with `rederive_from`, derive everything from that moment on again from the
    stored readings (after a change of thresholds). Call inside a transaction. Returns
    {instrument_id: (first, last)} moments whose days changed."""
    state, _ = SensorState.objects.select_for_update().get_or_create(sensor=sensor)
    rules = rules_for(sensor)
    points = sorted(points, key=lambda p: p.ts)
    builder = SessionBuilder(rules, state.builder)
    sessions = UsageSession.objects.filter(sensor=sensor)
    late = points[0].ts if points and builder.last_ts is not None and points[0].ts <= builder.last_ts else None
    rewind = min((m for m in (late, rederive_from) if m is not None), default=None)
    quiet = None if rewind is None else _quiet_moment(sensor, sessions, rewind - rules.offline_gap - rules.min_length)
    if quiet is not None:
        stale = sessions.filter(Q(started_at__gte=quiet) | Q(kind=OFFLINE, ended_at__gte=quiet) | Q(is_open=True))
        seed = Reading.objects.filter(sensor=sensor, ts__lt=quiet).order_by("-ts").values_list("ts", flat=True).first()
    else:
        # Nothing to derive again, or nothing that can be: the sessions stay, new readings go on.
        stale = sessions.filter(is_open=True)
    changed = _spans(stale.values_list("instrument_id", "started_at", "ended_at"))
    stale.delete()

    if quiet is not None and connection.vendor == "postgresql":
        derived = derive_stored(sensor.pk, rules, since=quiet, seed=seed)
        last_ts = derived.builder.last_ts
        readings = Reading.objects.filter(sensor=sensor, ts=last_ts)
        last = last_ts and readings.values_list("ts", "current_ma", "power_w")[0]
        rows = _keep(sensor, state, derived, Point(*last) if last else None)
    else:
        if quiet is not None:
            builder = SessionBuilder(rules)
            builder.last_ts = seed
            points = [
                Point(ts, current, power)
                for ts, current, power in Reading.objects.filter(sensor=sensor, ts__gte=quiet)
                .order_by("ts")
                .values_list("ts", "current_ma", "power_w")
            ]
        rows = _derive(sensor, state, builder, points)
    UsageSession.objects.bulk_create(rows)
    state.save()
    return _merge(changed, _spans((r.instrument_id, r.started_at, r.ended_at) for r in rows))


def advance_many(batch: dict) -> dict[int, tuple]:
    """`advance` for every sensor of an ingested batch ({sensor: [Point]}) with a fixed number
    of queries for the sensors whose readings come in order, which is nearly all of them; a
    sensor with a late reading rewinds on its own through `advance`."""
    ids = sorted(sensor.pk for sensor in batch)
    have = set(SensorState.objects.filter(sensor_id__in=ids).values_list("sensor_id", flat=True))
    SensorState.objects.bulk_create([SensorState(sensor_id=i) for i in ids if i not in have], ignore_conflicts=True)
    states = {
        state.sensor_id: state
        for state in SensorState.objects.select_for_update().filter(sensor_id__in=ids).order_by("sensor_id")
    }
    changed, in_order = {}, []
    for sensor in sorted(batch, key=lambda s: s.pk):
        points = sorted(batch[sensor], key=lambda p: p.ts)
        builder = SessionBuilder(rules_for(sensor), states[sensor.pk].builder)
        if builder.last_ts is not None and points[0].ts <= builder.last_ts:
            changed = _merge(changed, advance(sensor, points))
        else:
            in_order.append((sensor, builder, points))
    stale = UsageSession.objects.filter(sensor_id__in=[sensor.pk for sensor, _, _ in in_order], is_open=True)
    changed = _merge(changed, _spans(stale.values_list("instrument_id", "started_at", "ended_at")))
    stale.delete()
    rows = []
    for sensor, builder, points in in_order:
        rows += _derive(sensor, states[sensor.pk], builder, points)
    UsageSession.objects.bulk_create(rows)
    # An upsert of rows known to exist: one INSERT … ON CONFLICT DO UPDATE, far cheaper to
    # build than bulk_update's CASE per row.
    SensorState.objects.bulk_create(
        [states[sensor.pk] for sensor, _, _ in in_order],
        update_conflicts=True,
        unique_fields=["sensor"],
        update_fields=["builder", "level", "offline_after", "last_reading_at", "last_current_ma", "last_power_w"],
    )
    return _merge(changed, _spans((r.instrument_id, r.started_at, r.ended_at) for r in rows))


def _derive(sensor, state, builder, points) -> list[UsageSession]:
    """Feed the points; return the sessions to store and move the live state on (unsaved)."""
    closed = builder.feed(points)
    derived = Derived(closed=closed, open=builder.open_periods(), builder=builder)
    return _keep(sensor, state, derived, points[-1] if points else None)


def _keep(sensor, state, derived: Derived, last: Point | None) -> list[UsageSession]:
    """The sessions of `derived` to store, and the live state moved on to its builder (unsaved)."""
    bindings = list(sensor.bindings.all())
    rows = [_session(sensor, bindings, period, is_open=False) for period in derived.closed]
    rows += [_session(sensor, bindings, period, is_open=True) for period in derived.open]
    builder = derived.builder
    state.builder = builder.dump()
    state.level = builder.level()
    state.offline_after = builder.offline_after()
    if last is not None and (state.last_reading_at is None or last.ts >= state.last_reading_at):
        state.last_reading_at, state.last_current_ma, state.last_power_w = last.ts, last.current_ma, last.power_w
    return [row for row in rows if row.instrument_id is not None]


def _merge(changed: dict, more: dict) -> dict:
    for instrument_id, span in more.items():
        changed[instrument_id] = widen(changed.get(instrument_id), span)
    return changed


def _quiet_moment(sensor, sessions, moment):
    """Step back from `moment` until no stored session spans it — but not past the sensor's
    oldest stored reading: what began before it (its readings dropped by the retention) cannot
    be derived again, so those sessions stay as they are and derivation starts at the first
    moment after them that none spans. None when nothing can be derived again: no readings
    left, or an open session reaching back past the oldest one."""
    moment = _step_back(sessions, moment)
    oldest = Reading.objects.filter(sensor=sensor).order_by("ts").values_list("ts", flat=True).first()
    if oldest is None:
        return None
    if moment >= oldest:
        return moment
    moment = oldest
    while True:
        spanning = sessions.filter(started_at__lt=moment).filter(Q(ended_at__gt=moment) | Q(is_open=True))
        if spanning.filter(is_open=True).exists():
            return None
        latest = spanning.order_by("-ended_at").values_list("ended_at", flat=True).first()
        if latest is None:
            return moment
        moment = latest


def _step_back(sessions, moment):
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
