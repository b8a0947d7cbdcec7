"""Monthly partitions of the readings on PostgreSQL, and the retention of raw readings."""

import json
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test import override_settings

from dayi.monitoring import conf, partitions
from dayi.monitoring.ingest import Envelope, ingest
from dayi.monitoring.models import DailyUsage, Reading, UsageSession

from .conftest import SHANGHAI, T0, message

pytestmark = pytest.mark.django_db


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("monthly partitions exist on PostgreSQL only; the PostgreSQL pass of scripts/test runs this")


def settle_foreign_keys():
    """The test runs in one transaction: check the deferred foreign keys of the inserts now, as
    their commit would, or PostgreSQL refuses to drop a partition with checks pending."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def store(ts, seq, now, power_w=200.0):
    payload = json.dumps(message(ts=ts, seq=seq, current_ma=None, power_w=power_w))
    return ingest([Envelope(payload=payload, source="simulator")], now=now)


@pytest.mark.postgres
def test_the_readings_table_is_partitioned_by_month_on_postgresql():
    needs_postgresql()
    assert partitions.is_partitioned()


@pytest.mark.postgres
def test_a_reading_in_a_month_without_partition_creates_it_on_demand(sensor):
    needs_postgresql()
    month = date(2026, 3, 1)
    assert month not in partitions.existing_partitions()
    assert store(T0, 1, now=T0 + timedelta(hours=1)).stored == 1
    assert partitions.existing_partitions()[month] == "monitoring_reading_p202603"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM monitoring_reading_p202603")
        assert cursor.fetchone()[0] == 1


@pytest.mark.postgres
def test_a_month_starts_at_local_midnight(sensor):
    needs_postgresql()
    last_of_february = datetime(2026, 3, 1, 0, 30, tzinfo=SHANGHAI)  # 2026-02-28 16:30 UTC
    store(last_of_february, 1, now=last_of_february + timedelta(hours=1))
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM monitoring_reading")
        assert cursor.fetchone()[0] == "monitoring_reading_p202603"


@pytest.mark.postgres
@override_settings(DAYI_MONITORING_PARTITIONS_AHEAD=2)
def test_the_job_creates_partitions_ahead_and_is_idempotent():
    needs_postgresql()
    created = partitions.create_ahead(date(2031, 11, 20))
    assert created == ["monitoring_reading_p203111", "monitoring_reading_p203112", "monitoring_reading_p203201"]
    assert partitions.create_ahead(date(2031, 11, 20)) == []


@pytest.mark.postgres
@override_settings(DAYI_MONITORING_RAW_RETENTION_DAYS=60)
def test_retention_drops_whole_old_months_and_keeps_sessions_and_hours(sensor, approved_instrument):
    needs_postgresql()
    for i in range(10):
        store(T0 + timedelta(minutes=i), i, now=T0 + timedelta(hours=1))
    store(T0 + timedelta(days=40), 100, now=T0 + timedelta(days=40, hours=1))
    sessions, days = UsageSession.objects.count(), list(DailyUsage.objects.values_list("day", "in_use_seconds"))
    assert sessions and days
    settle_foreign_keys()

    done = partitions.maintain(now=datetime(2026, 6, 2, 12, tzinfo=SHANGHAI))  # cutoff 2026-04-03
    assert "monitoring_reading_p202603" in done["dropped_partitions"]
    assert "monitoring_reading_p202604" not in done["dropped_partitions"]
    assert Reading.objects.filter(ts__lt=datetime(2026, 4, 1, tzinfo=SHANGHAI)).count() == 0
    assert Reading.objects.count() == 1
    assert UsageSession.objects.count() == sessions
    assert list(DailyUsage.objects.values_list("day", "in_use_seconds")) == days


@override_settings(DAYI_MONITORING_RAW_RETENTION_DAYS=30)
def test_retention_removes_old_readings_and_keeps_sessions(sensor):
    for i in range(10):
        store(T0 + timedelta(minutes=i), i, now=T0 + timedelta(hours=1))
    sessions = UsageSession.objects.count()
    settle_foreign_keys()
    partitions.apply_retention(now=T0 + timedelta(days=70))  # past the whole month on PostgreSQL too
    assert Reading.objects.count() == 0
    assert UsageSession.objects.count() == sessions > 0


@override_settings(DAYI_MONITORING_RAW_RETENTION_DAYS=30, DAYI_MONITORING_MAX_AGE_DAYS=400)
def test_a_reading_older_than_the_retention_is_refused(sensor):
    assert conf.max_age_days() == 30
    outcome = store(T0, 1, now=T0 + timedelta(days=31))
    assert (outcome.stored, outcome.rejected) == (0, 1)
    assert outcome.errors[0]["reason"] == "out_of_range"
