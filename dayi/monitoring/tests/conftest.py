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
