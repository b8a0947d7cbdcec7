import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command

from dayi.monitoring.ingest import Envelope, ingest
from dayi.monitoring.models import DailyUsage, Reading, RejectedMessage, SensorState, UsageSession
from dayi.monitoring.services import bind_sensor
from dayi.monitoring.sessions import Point, derive
from dayi.monitoring.tracking import rules_for

from .conftest import T0, message

pytestmark = pytest.mark.django_db
NOW = T0 + timedelta(days=1)


def run(*payloads, source="simulator", now=NOW, **envelope):
    return ingest([Envelope(payload=p, source=source, **envelope) for p in payloads], now=now)


def minutes(values, sensor="CLAMP-001", start=T0, first_seq=0):
    return [
        message(sensor, ts=start + timedelta(minutes=i), seq=first_seq + i, current_ma=None, power_w=w)
        for i, w in enumerate(values)
    ]


def test_a_reading_is_stored_with_the_instrument_it_measured(sensor, approved_instrument):
    outcome = run(json.dumps(message()).encode())
    assert outcome.as_dict() == {"stored": 1, "duplicates": 0, "rejected": 0, "errors": []}
    reading = Reading.objects.get()
    assert (reading.sensor, reading.instrument, reading.ts, reading.seq) == (sensor, approved_instrument, T0, 1)
    assert SensorState.objects.get(sensor=sensor).level == "in_use"


def test_the_same_reading_delivered_twice_is_stored_once(sensor):
    payload = json.dumps(message())
    assert run(payload, payload).as_dict()["duplicates"] == 1
    outcome = run(payload)
    assert (outcome.stored, outcome.duplicates) == (0, 1)
    assert Reading.objects.count() == 1


def test_every_kind_of_bad_message_is_counted_and_kept_and_the_good_ones_still_stored(sensor):
    good = message(seq=1)
    payloads = [
        b"{broken",
        json.dumps(message(v=9)),
        json.dumps(message("NO-SUCH")),
        json.dumps(message(ts=T0 + timedelta(minutes=1), seq=2, current_ma=-3)),
        json.dumps(message(ts=T0 - timedelta(days=60), seq=3)),
        json.dumps(good),
    ]
    outcome = run(*payloads)
    assert (outcome.stored, outcome.rejected) == (1, 5)
    reasons = [error["reason"] for error in outcome.errors]
    assert reasons == ["malformed", "version", "unknown_sensor", "out_of_range", "unbound"]
    kept = {r.reason: r for r in RejectedMessage.objects.all()}
    assert set(kept) == set(reasons)
    assert kept["malformed"].payload == "{broken"
    assert kept["unknown_sensor"].sensor_code == "NO-SUCH"
    assert json.loads(kept["out_of_range"].payload)["current_ma"] == -3
    assert kept["unbound"].source == "simulator"


def test_a_message_on_another_sensors_topic_fails_authentication(sensor):
    outcome = run(json.dumps(message()), source="mqtt", topic="dayi/sensors/OTHER/readings", topic_sensor="OTHER")
    assert outcome.errors[0]["reason"] == "authentication"
    assert RejectedMessage.objects.get().topic == "dayi/sensors/OTHER/readings"


def test_a_deactivated_sensor_is_refused(sensor):
    sensor.is_active = False
    sensor.save()
    assert run(json.dumps(message())).errors[0]["reason"] == "authentication"


def test_sessions_and_daily_hours_follow_the_stream_batch_by_batch(sensor, approved_instrument):
    values = [0, 80, 80, 80, 80, 80, 20, 20, 20, 20, 0, 0, 0, 0, 0] + [80] * 5
    messages = minutes(values)
    for start in range(0, len(messages), 3):
        run(*[json.dumps(m) for m in messages[start : start + 3]])
    points = [Point(T0 + timedelta(minutes=i), None, w) for i, w in enumerate(values)]
    expected = [(p.kind, p.start, p.end) for p in derive(points, rules_for(sensor))]
    stored = [(s.kind, s.started_at, s.ended_at) for s in UsageSession.objects.order_by("started_at", "kind")]
    assert stored == expected
    day = DailyUsage.objects.get(instrument=approved_instrument, day=T0.date())
    assert (day.running_seconds, day.in_use_seconds) == (14 * 60, 10 * 60)


def test_a_late_reading_rewinds_and_gives_what_an_orderly_stream_would(sensor):
    values = [80] * 10 + [0] * 5 + [80] * 10 + [0] * 5
    messages = minutes(values)
    late = messages.pop(12)
    late["power_w"] = 80
    run(*[json.dumps(m) for m in messages])
    run(json.dumps(late))
    values[12] = 80
    points = [Point(T0 + timedelta(minutes=i), None, w) for i, w in enumerate(values)]
    expected = [(p.kind, p.start, p.end) for p in derive(points, rules_for(sensor))]
    stored = [(s.kind, s.started_at, s.ended_at) for s in UsageSession.objects.order_by("started_at", "kind")]
    assert stored == expected


def test_a_silent_stretch_is_stored_as_offline(sensor, approved_instrument):
    run(*[json.dumps(m) for m in minutes([0, 0, 0])])
    run(*[json.dumps(m) for m in minutes([0, 0], start=T0 + timedelta(hours=1), first_seq=100)])
    offline = UsageSession.objects.get(kind="offline")
    assert (offline.started_at, offline.ended_at) == (T0 + timedelta(minutes=3), T0 + timedelta(hours=1))
    assert DailyUsage.objects.get(instrument=approved_instrument).offline_seconds == 57 * 60


def test_readings_after_a_rebinding_belong_to_the_new_instrument(sensor, make_instrument, unit_admin):
    second = make_instrument(name="核磁共振波谱仪")
    bind_sensor(actor=unit_admin, sensor=sensor, instrument=second, at=T0 + timedelta(minutes=5))
    run(*[json.dumps(m) for m in minutes([80] * 10)])
    by_instrument = {r.ts: r.instrument_id for r in Reading.objects.all()}
    assert by_instrument[T0] != second.pk
    assert by_instrument[T0 + timedelta(minutes=5)] == second.pk


def test_new_thresholds_apply_to_the_past_once_derived_again(sensor, approved_instrument, unit_admin):
    from dayi.monitoring.services import update_sensor
    from dayi.monitoring.tracking import rederive

    values = [0, 80, 80, 80, 80, 80, 20, 20, 20, 20, 0, 0, 0, 0, 0]
    run(*[json.dumps(m) for m in minutes(values)])
    day = DailyUsage.objects.get(instrument=approved_instrument, day=T0.date())
    assert day.in_use_seconds == 5 * 60
    sensor = update_sensor(actor=unit_admin, sensor=sensor, in_use_power_w=15.0, in_use_current_ma=None)
    rederive(sensor, T0 - timedelta(days=1))
    day.refresh_from_db()
    assert day.in_use_seconds == 9 * 60
    points = [Point(T0 + timedelta(minutes=i), None, w) for i, w in enumerate(values)]
    expected = [(p.kind, p.start, p.end) for p in derive(points, rules_for(sensor))]
    stored = [(s.kind, s.started_at, s.ended_at) for s in UsageSession.objects.order_by("started_at", "kind")]
    assert stored == expected


def _sessions():
    return [(s.kind, s.started_at, s.ended_at, s.is_open) for s in UsageSession.objects.order_by("started_at", "kind")]


def test_a_recompute_keeps_a_session_that_began_before_the_oldest_kept_reading(sensor, approved_instrument, unit_admin):
    from dayi.monitoring.services import update_sensor

    # Ten hours in use, a pause, half an hour idling on, off.
    run(*[json.dumps(m) for m in minutes([80] * 600 + [0] * 10 + [20] * 30 + [0] * 10)], now=T0 + timedelta(days=2))
    long_run = [
        ("in_use", T0, T0 + timedelta(minutes=600), False),
        ("running", T0, T0 + timedelta(minutes=600), False),
    ]
    assert _sessions() == [*long_run, ("running", T0 + timedelta(minutes=610), T0 + timedelta(minutes=640), False)]
    # The retention took the first five hours of readings.
    Reading.objects.filter(ts__lt=T0 + timedelta(minutes=300)).delete()

    update_sensor(actor=unit_admin, sensor=sensor, on_power_w=25.0, on_current_ma=None)
    call_command("recompute_usage", since=f"{T0 - timedelta(days=1):%Y-%m-%d}", stdout=io.StringIO())

    # The long run stays whole; the idling after it, derived again, is below the new threshold.
    assert _sessions() == long_run
    assert DailyUsage.objects.get(instrument=approved_instrument, day=T0.date()).running_seconds == 600 * 60


def test_a_recompute_keeps_an_open_session_that_began_before_the_oldest_kept_reading(sensor, approved_instrument):
    from dayi.monitoring.tracking import rederive

    run(*[json.dumps(m) for m in minutes([80] * 600)], now=T0 + timedelta(days=2))
    before = _sessions()
    assert before[0][1] == T0 and before[0][3]
    Reading.objects.filter(ts__lt=T0 + timedelta(minutes=300)).delete()

    rederive(sensor, T0 - timedelta(days=1))

    assert _sessions() == before
    assert SensorState.objects.get(sensor=sensor).level == "in_use"
