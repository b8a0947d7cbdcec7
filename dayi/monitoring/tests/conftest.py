"""Fixtures of the monitoring tests: a sensor bound to an approved instrument, and readings."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from dayi.monitoring.services import bind_sensor, register_sensor

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=SHANGHAI)


@pytest.fixture
def make_sensor(unit, unit_admin):
    def make(code="CLAMP-001", owner=None, **fields):
        return register_sensor(actor=unit_admin, owner=owner or unit, code=code, **fields)

    return make


@pytest.fixture
def sensor(make_sensor, approved_instrument, unit_admin):
    sensor, _secret = make_sensor()
    bind_sensor(actor=unit_admin, sensor=sensor, instrument=approved_instrument, at=T0 - timedelta(days=30))
    return sensor


@pytest.fixture
def sensor_secret(make_sensor, make_instrument, unit_admin):
    sensor, secret = make_sensor("CLAMP-KEY")
    instrument = make_instrument(name="气相色谱仪")
    bind_sensor(actor=unit_admin, sensor=sensor, instrument=instrument, at=T0 - timedelta(days=30))
    return sensor, secret


def message(sensor="CLAMP-001", ts=T0, seq=1, current_ma=500.0, power_w=120.0, **extra):
    ts = ts if isinstance(ts, (str, int)) else ts.isoformat()
    body = {"v": 1, "sensor": sensor, "ts": ts, "seq": seq, "current_ma": current_ma, "power_w": power_w}
    body.update(extra)
    return body


def add_session(sensor, instrument, kind, start, end, is_open=False):
    """A stored session and the daily hours it gives, as ingestion would leave them."""
    from dayi.monitoring.daily import refresh_daily
    from dayi.monitoring.models import UsageSession

    session = UsageSession.objects.create(
        sensor=sensor, instrument=instrument, kind=kind, started_at=start, ended_at=end, is_open=is_open
    )
    refresh_daily({instrument.pk: (start, end)})
    return session


@pytest.fixture
def measured(sensor, approved_instrument):
    """The approved instrument on 2 March 2025: running 8–18, in use 9–15."""
    day = datetime(2025, 3, 2, tzinfo=SHANGHAI)
    add_session(sensor, approved_instrument, "running", day.replace(hour=8), day.replace(hour=18))
    add_session(sensor, approved_instrument, "in_use", day.replace(hour=9), day.replace(hour=15))
    return approved_instrument
