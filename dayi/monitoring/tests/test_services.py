from datetime import date, datetime, timedelta

import pytest

from dayi.audit.models import AuditEntry
from dayi.core.errors import DomainError, PermissionDenied
from dayi.monitoring.credentials import hash_secret
from dayi.monitoring.models import Sensor, SensorBinding
from dayi.monitoring.selectors import install_deadline, install_is_overdue
from dayi.monitoring.services import authenticate_device, bind_sensor, rotate_sensor_secret, unbind_sensor

from .conftest import SHANGHAI, T0

pytestmark = pytest.mark.django_db


def test_a_sensor_gets_default_thresholds_and_only_a_hash_of_its_secret(make_sensor):
    sensor, secret = make_sensor()
    assert (sensor.on_current_ma, sensor.in_use_power_w, sensor.sampling_interval_s) == (50, 40, 60)
    assert sensor.secret_hash == hash_secret(secret) != secret
    assert authenticate_device("sensor", sensor.code, secret) == sensor
    assert authenticate_device("sensor", sensor.code, secret + "x") is None
    assert authenticate_device("gateway", sensor.code, secret) is None


def test_a_rotated_secret_replaces_the_old_one(make_sensor, unit_admin):
    sensor, old = make_sensor()
    new = rotate_sensor_secret(actor=unit_admin, sensor=sensor)
    assert authenticate_device("sensor", sensor.code, new) == sensor
    assert authenticate_device("sensor", sensor.code, old) is None


@pytest.mark.parametrize(
    ("code", "fields"),
    [("a b", {}), ("ok-code", {"on_current_ma": None, "on_power_w": None}), ("ok-code", {"colour": "red"})],
)
def test_a_sensor_with_a_bad_code_or_no_threshold_is_refused(make_sensor, code, fields):
    with pytest.raises(DomainError):
        make_sensor(code, **fields)
    assert not Sensor.objects.exists()


def test_a_unit_registers_sensors_for_itself_only(make_sensor, other_unit):
    with pytest.raises(PermissionDenied):
        make_sensor(owner=other_unit)


def test_rebinding_keeps_the_history_and_is_audited(sensor, make_instrument, unit_admin, approved_instrument):
    second = make_instrument(name="液相色谱仪")
    bind_sensor(actor=unit_admin, sensor=sensor, instrument=second, at=T0)
    first, current = SensorBinding.objects.filter(sensor=sensor).order_by("bound_from")
    assert (first.instrument, first.bound_to) == (approved_instrument, T0)
    assert (current.instrument, current.bound_to) == (second, None)
    assert AuditEntry.objects.filter(action="instrument.sensor_bound", target_id=str(second.pk)).exists()
    unbind_sensor(actor=unit_admin, sensor=sensor, at=T0 + timedelta(days=1), reason="scrapped")
    assert not SensorBinding.objects.filter(bound_to__isnull=True).exists()


def test_a_new_sensor_on_an_instrument_ends_the_previous_sensors_binding(sensor, make_sensor, unit_admin):
    replacement, _ = make_sensor("CLAMP-002")
    instrument = sensor.bindings.get().instrument
    bind_sensor(actor=unit_admin, sensor=replacement, instrument=instrument, at=T0)
    assert sensor.bindings.get().bound_to == T0


def test_a_binding_may_not_start_before_the_current_one(sensor, unit_admin, make_instrument):
    with pytest.raises(DomainError):
        bind_sensor(actor=unit_admin, sensor=sensor, instrument=make_instrument(), at=T0 - timedelta(days=60))


def test_a_unit_binds_to_its_own_instruments_only(sensor, make_instrument, other_unit, other_unit_admin, unit_admin):
    foreign = make_instrument(owner=other_unit, actor=other_unit_admin)
    with pytest.raises(PermissionDenied):
        bind_sensor(actor=unit_admin, sensor=sensor, instrument=foreign)


def test_the_install_deadline_is_30_working_days_after_network_entry(approved_instrument, make_sensor, unit_admin):
    approved_instrument.approved_at = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
    deadline = install_deadline(approved_instrument)
    assert deadline > date(2026, 4, 10)
    assert not install_is_overdue(approved_instrument, today=deadline)
    assert install_is_overdue(approved_instrument, today=deadline + timedelta(days=1))
    sensor, _ = make_sensor()
    late = datetime.combine(deadline + timedelta(days=1), datetime.min.time(), SHANGHAI)
    bind_sensor(actor=unit_admin, sensor=sensor, instrument=approved_instrument, at=late)
    assert install_is_overdue(approved_instrument, today=deadline)


def test_an_instrument_not_in_the_network_has_no_install_deadline(make_instrument):
    assert install_deadline(make_instrument()) is None
