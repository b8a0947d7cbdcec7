"""Idle rules over a simulated calendar; the sensor fixture was bound on 2026-01-31 08:00."""

from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command

from dayi.accounts.models import Role
from dayi.audit.models import AuditEntry
from dayi.booking.models import Notification
from dayi.celery import app
from dayi.core.errors import DomainError, PermissionDenied
from dayi.monitoring import idle
from dayi.monitoring.models import IdleCase, IdleRuleSettings, OfflineNotice, SensorState, UsageSession

from .conftest import SHANGHAI, T0

pytestmark = pytest.mark.django_db
BOUND = T0 - timedelta(days=30)


def day(n: int) -> date:
    """The day `n` days after the binding."""
    return BOUND.date() + timedelta(days=n)


def run(n: int) -> dict:
    return idle.apply_idle_rules(today=day(n))


def case_of(instrument):
    return IdleCase.objects.get(instrument=instrument)


def test_nothing_before_a_month(sensor):
    assert run(29) == {"reminded": 0, "internal": 0, "departmental": 0, "closed": 0}
    assert not IdleCase.objects.exists()


def test_the_calendar_escalates_step_by_step(sensor, approved_instrument, unit_admin, make_user, huaian):
    authority = make_user("huaian-kjj", role=Role.AUTHORITY, region=huaian)
    assert run(30)["reminded"] == 1
    case = case_of(approved_instrument)
    assert (case.step, case.opened_on) == ("reminded", day(30))
    assert Notification.objects.filter(recipient=unit_admin).count() == 1
    assert run(89)["internal"] == 0
    assert run(90)["internal"] == 1
    assert case_of(approved_instrument).internal_on == day(90)
    assert run(180)["departmental"] == 1
    assert case_of(approved_instrument).step == "departmental"
    assert Notification.objects.filter(recipient=authority).count() == 1
    assert Notification.objects.filter(recipient=unit_admin).count() == 3
    actions = AuditEntry.objects.filter(action__startswith="idle.").values_list("action", flat=True)
    assert sorted(actions) == ["idle.departmental", "idle.internal", "idle.reminded"]


def test_running_twice_on_the_same_day_changes_nothing(sensor, approved_instrument):
    run(200)
    snapshot = (IdleCase.objects.count(), Notification.objects.count(), AuditEntry.objects.count())
    assert run(200) == {"reminded": 0, "internal": 0, "departmental": 0, "closed": 0}
    assert (IdleCase.objects.count(), Notification.objects.count(), AuditEntry.objects.count()) == snapshot


def test_a_late_first_run_records_every_step(sensor, approved_instrument):
    assert run(200) == {"reminded": 1, "internal": 1, "departmental": 1, "closed": 0}
    assert case_of(approved_instrument).step == "departmental"


def test_power_on_resets_the_clock_and_closes_the_case(sensor, approved_instrument):
    run(40)
    on_at = datetime.combine(day(45), datetime.min.time(), SHANGHAI) + timedelta(hours=9)
    UsageSession.objects.create(
        sensor=sensor,
        instrument=approved_instrument,
        kind="running",
        started_at=on_at,
        ended_at=on_at + timedelta(hours=2),
    )
    assert run(46)["closed"] == 1
    assert case_of(approved_instrument).closure == "powered_on"
    assert run(74)["reminded"] == 0
    assert run(75)["reminded"] == 1


def test_an_instrument_running_now_is_not_idle(sensor, approved_instrument):
    UsageSession.objects.create(
        sensor=sensor, instrument=approved_instrument, kind="running", started_at=BOUND, ended_at=BOUND, is_open=True
    )
    assert run(100)["reminded"] == 0


def test_region_settings_apply_from_the_nearest_ancestor(sensor, approved_instrument, huaian, qingjiangpu):
    IdleRuleSettings.objects.create(
        region=huaian, remind_after_days=10, internal_after_days=20, departmental_after_days=40
    )
    assert idle.thresholds_for(qingjiangpu).remind_after_days == 10
    assert run(10)["reminded"] == 1
    IdleRuleSettings.objects.create(
        region=qingjiangpu, remind_after_days=50, internal_after_days=60, departmental_after_days=70
    )
    assert idle.thresholds_for(qingjiangpu).internal_after_days == 60
    assert run(59)["internal"] == 0
    assert run(60)["internal"] == 1


def test_an_accepted_explanation_stops_the_escalation(sensor, approved_instrument, unit_admin, operator):
    run(30)
    case = case_of(approved_instrument)
    idle.submit_explanation(actor=unit_admin, case_id=case.pk, text="设备等待维修配件，预计下月到货。")
    idle.decide_explanation(actor=operator, case_id=case.pk, accept=True)
    case.refresh_from_db()
    assert (case.closure, case.explanation_status) == ("accepted", "accepted")
    assert run(90) == {"reminded": 0, "internal": 0, "departmental": 0, "closed": 0}
    assert run(61)["reminded"] == 0 and IdleCase.objects.count() == 1


def test_a_rejected_explanation_lets_it_go_on(sensor, approved_instrument, unit_admin, operator):
    run(30)
    case = case_of(approved_instrument)
    idle.submit_explanation(actor=unit_admin, case_id=case.pk, text="暂时没有需要使用的课题。")
    with pytest.raises(DomainError):
        idle.decide_explanation(actor=operator, case_id=case.pk, accept=False)
    idle.decide_explanation(actor=operator, case_id=case.pk, accept=False, note="不是正当理由")
    assert case_of(approved_instrument).explanation_status == "rejected"
    assert run(90)["internal"] == 1
    assert AuditEntry.objects.filter(action="idle.rejected").exists()


def test_only_the_unit_explains_and_only_the_operator_decides(
    sensor, approved_instrument, unit_admin, other_unit_admin, operator
):
    run(30)
    case = case_of(approved_instrument)
    with pytest.raises(PermissionDenied):
        idle.submit_explanation(actor=other_unit_admin, case_id=case.pk, text="这不是我们的仪器设备。")
    with pytest.raises(DomainError):
        idle.submit_explanation(actor=unit_admin, case_id=case.pk, text="短")
    idle.submit_explanation(actor=unit_admin, case_id=case.pk, text="设备等待维修配件，预计下月到货。")
    with pytest.raises(PermissionDenied):
        idle.decide_explanation(actor=unit_admin, case_id=case.pk, accept=True)


def test_offline_sensors_get_one_notice_per_silence(sensor, approved_instrument, unit_admin):
    now = T0
    assert idle.notify_offline_sensors(now=now) == 1
    assert idle.notify_offline_sensors(now=now + timedelta(hours=5)) == 0
    SensorState.objects.create(sensor=sensor, last_reading_at=now + timedelta(hours=6))
    assert idle.notify_offline_sensors(now=now + timedelta(hours=7)) == 0
    assert idle.notify_offline_sensors(now=now + timedelta(hours=9)) == 1
    assert OfflineNotice.objects.count() == 2
    assert Notification.objects.filter(recipient=unit_admin).count() == 2


def test_the_command_and_the_schedule(sensor, approved_instrument, capsys):
    call_command("apply_idle_rules", "--today", day(30).isoformat())
    assert "reminded 1" in capsys.readouterr().out
    assert {"monitoring-idle-rules", "monitoring-offline-sensors"} <= set(app.conf.beat_schedule)
