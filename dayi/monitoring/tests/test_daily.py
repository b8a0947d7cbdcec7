"""Daily hours from sessions: the one statement of PostgreSQL gives the rows of the Python sums
(runs over midnight, several days, partial windows, fractions of a second, days emptied)."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from dayi.monitoring import daily
from dayi.monitoring.models import DailyUsage, UsageSession

from .conftest import T0

pytestmark = pytest.mark.django_db


def rows():
    return sorted(
        DailyUsage.objects.values_list("instrument_id", "day", "running_seconds", "in_use_seconds", "offline_seconds")
    )


def both_ways(changed):
    tz = timezone.get_default_timezone()
    daily.refresh_daily(changed)
    saved = rows()
    DailyUsage.objects.all().delete()
    daily._rebuild_in_python(daily.windows(changed, tz), tz)
    python = rows()
    DailyUsage.objects.all().delete()
    daily._rebuild_in_sql(daily.windows(changed, tz), tz)
    assert rows() == python
    return saved, python


def test_the_statement_gives_the_python_sums(sensor, approved_instrument, make_instrument):
    if connection.vendor != "postgresql":
        pytest.skip("the statement runs on PostgreSQL only; the PostgreSQL pass of scripts/test runs this")
    other = make_instrument(name="液相色谱仪")
    rng = random.Random(3)
    evening = T0.replace(hour=22)
    spans = [
        ("running", evening, evening + timedelta(hours=30)),  # over two midnights
        ("in_use", evening + timedelta(minutes=30), evening + timedelta(hours=3, seconds=0.5)),
        ("offline", evening + timedelta(hours=31), evening + timedelta(hours=31, minutes=7, microseconds=250_000)),
        ("running", T0 - timedelta(days=3), T0 - timedelta(days=3) + timedelta(minutes=1)),  # before the window
    ]
    for _ in range(60):
        start = T0 + timedelta(seconds=rng.randrange(0, 5 * 86400), microseconds=rng.choice([0, 500_000, 3]))
        spans.append(
            (rng.choice(["running", "in_use", "offline"]), start, start + timedelta(seconds=rng.randrange(1, 40_000)))
        )
    for index, (kind, start, end) in enumerate(spans):
        UsageSession.objects.create(
            sensor=sensor,
            instrument=approved_instrument if index % 3 else other,
            kind=kind,
            started_at=start,
            ended_at=end,
        )
    # A day in the window that no session touches any more: both drop its row.
    DailyUsage.objects.create(instrument=other, day=(T0 + timedelta(days=9)).date(), running_seconds=60)

    changed = {
        approved_instrument.pk: (T0 - timedelta(days=1), T0 + timedelta(days=10)),
        other.pk: (T0, T0 + timedelta(days=10)),
    }
    saved, python = both_ways(changed)

    assert saved == python
    assert len(python) > 10
    assert (other.pk, (T0 + timedelta(days=9)).date()) not in {(i, d) for i, d, *_ in python}
