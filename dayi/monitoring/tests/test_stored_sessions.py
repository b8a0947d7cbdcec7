"""The sessions derived inside PostgreSQL (stored_sessions.py) are exactly those of the Python
SessionBuilder, with the same builder state after: crafted sequences (noise, gaps, runs over
midnight, threshold edges) and a few hundred random ones made of edge values."""

import random
from datetime import timedelta

import pytest
from django.db import connection

from dayi.monitoring.models import Reading
from dayi.monitoring.sessions import Point, Rules, SessionBuilder
from dayi.monitoring.storage import insert_readings
from dayi.monitoring.stored_sessions import derive_stored

from .conftest import T0

pytestmark = pytest.mark.django_db

RULES = Rules(interval_s=60, on_current_ma=50, on_power_w=10, in_use_current_ma=180, in_use_power_w=40)
MIN = timedelta(minutes=1)


@pytest.fixture(autouse=True)
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the derivation in SQL runs on PostgreSQL only; the PostgreSQL pass of scripts/test runs this")


def ordered(periods):
    return sorted(periods, key=lambda p: (p.start, p.kind, p.end))


def python_way(points, rules, seed):
    builder = SessionBuilder(rules)
    builder.last_ts = seed
    closed = builder.feed(points)
    return ordered(closed), ordered(builder.open_periods()), builder.dump(), builder.level()


def sql_way(sensor, points, rules, seed, since):
    Reading.objects.filter(sensor=sensor).delete()
    instrument_id = sensor.bindings.get().instrument_id
    insert_readings([(sensor.pk, instrument_id, p.ts, i, p.current_ma, p.power_w, "") for i, p in enumerate(points)])
    derived = derive_stored(sensor.pk, rules, since=since, seed=seed)
    return ordered(derived.closed), ordered(derived.open), derived.builder.dump(), derived.builder.level()


def agree(sensor, points, rules=RULES, seed=None):
    since = points[0].ts if points else T0
    assert sql_way(sensor, points, rules, seed, since) == python_way(points, rules, seed)


def watts(values, start=T0, step=MIN):
    return [Point(start + i * step, None, w) for i, w in enumerate(values) if w is not None]


CRAFTED = {
    "off all day": [2] * 30,
    "one run": [0, 0, 20, 20, 20, 20, 0, 0, 0, 0],
    "in use inside running": [0, 20, 80, 80, 80, 80, 20, 20, 20, 20, 0, 0, 0, 0],
    "spike shorter than the minimum": [0, 0, 90, 90, 0, 0, 0, 0, 0],
    "short dip inside a run": [50, 50, 50, 0, 50, 50, 50, 0, 0, 0, 0],
    "drop of exactly the minimum": [50, 50, 50, 50, 0, 0, 0, 0, 50, 50],
    "noise around the threshold": [9, 11, 9.5, 10, 8.9, 9.1, 9, 10, 9, 9, 9, 9, 8, 8, 8, 8, 12],
    "hysteresis edges": [10, 9, 9, 9, 9, 8.99, 8.99, 8.99, 8.99, 36, 40, 36, 35.99, 40, 36, 36, 36, 36],
    "gaps": [50, 50, None, None, None, 50, 50, None, None, None, None, 50, 0, None, None, None, None, 0],
    "still running at the end": [0, 50, 50, 50, 50, 50],
    "pending drop at the end": [0, 50, 50, 50, 50, 50, 0, 0],
    "too short to show yet": [0, 0, 50, 50],
}


@pytest.mark.parametrize("name", list(CRAFTED))
def test_crafted_sequences_agree(sensor, name):
    agree(sensor, watts(CRAFTED[name]))


def test_a_run_over_midnight_and_a_gap_before_the_first_reading_agree(sensor):
    evening = T0.replace(hour=23, minute=0)
    points = watts([80] * 120 + [0] * 10, start=evening)
    agree(sensor, points)
    agree(sensor, points, seed=evening - 10 * MIN)
    agree(sensor, points, seed=evening - 3 * MIN)


def test_current_only_and_irregular_times_agree(sensor):
    rules = Rules(interval_s=30, on_current_ma=50, on_power_w=None, in_use_current_ma=180, in_use_power_w=None)
    rng = random.Random(5)
    moment, points = T0, []
    for _ in range(300):
        moment += timedelta(seconds=rng.choice([29.5, 30, 30.000001, 89.999999, 90, 90.000001, 200]))
        points.append(Point(moment, rng.choice([0.0, 44.9, 45.0, 50.0, 161.9, 162.0, 180.0, 500.0]), None))
    agree(sensor, points, rules)


def test_no_readings_agree(sensor):
    agree(sensor, [], seed=T0 - MIN)
    agree(sensor, [])


@pytest.mark.parametrize("seed", range(8))
def test_random_sequences_of_edge_values_agree(sensor, seed):
    rng = random.Random(seed)
    found = 0
    for _ in range(25):
        rules = Rules(
            interval_s=rng.choice([30, 60]),
            on_current_ma=rng.choice([50, None]),
            on_power_w=rng.choice([10, None]),
            in_use_current_ma=rng.choice([180, None]),
            in_use_power_w=40,
            hysteresis=rng.choice([0.0, 0.1, 0.25]),
            min_length_s=rng.choice([60, 180, 300]),
            offline_after=rng.choice([2, 3]),
        )
        steps = [rules.interval_s * k for k in (0.5, 1, 1, 1, 2, 3)] + [rules.interval_s * rules.offline_after + 1]
        moment, points = T0, []
        for _ in range(rng.randrange(0, 150)):
            moment += timedelta(seconds=rng.choice(steps))
            power = rng.choice([0.0, 7.5, 9.0, 10.0, 30.0, 36.0, 40.0, 400.0])
            current = rng.choice([None, 0.0, 37.5, 45.0, 50.0, 135.0, 162.0, 180.0, 900.0])
            points.append(Point(moment, current, power))
        seed_ts = rng.choice([None, T0 - timedelta(seconds=rng.choice(steps))])
        agree(sensor, points, rules, seed=seed_ts)
        closed, still_open, _, _ = python_way(points, rules, seed_ts)
        found += len(closed) + len(still_open)
    assert found > 25  # the sequences do make sessions: the agreement is not over empty lists
