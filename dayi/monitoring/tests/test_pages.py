"""The hours page with corrections, the coverage overview and the unit's sensor management."""

from datetime import date, datetime

import pytest
from django.urls import reverse

from dayi.audit.models import AuditEntry
from dayi.monitoring.models import HoursCorrection, Sensor, SensorBinding

from .conftest import SHANGHAI

pytestmark = pytest.mark.django_db
DAY = date(2025, 3, 2)


def test_the_hours_page_shows_months_and_takes_a_correction(client, unit_admin, measured):
    client.force_login(unit_admin)
    url = reverse("monitoring:instrument_hours", args=[measured.pk])
    page = client.get(url, {"year": 2025})
    assert page.status_code == 200
    assert page.context["months"][2].effective_hours == 6
    assert b'id="hours-chart"' in page.content

    response = client.post(f"{url}?year=2025", {"day": "2025-03-02", "in_use_hours": "7.5", "reason": "夹钳松动漏记"})
    assert response.status_code == 302
    page = client.get(url, {"year": 2025})
    march = page.context["months"][2]
    assert (march.measured_hours, march.effective_hours) == (6, 7.5)
    assert "夹钳松动漏记" in page.content.decode()
    assert AuditEntry.objects.filter(action="instrument.hours_corrected").exists()


def test_a_refused_correction_keeps_what_was_typed(client, unit_admin, measured):
    client.force_login(unit_admin)
    url = reverse("monitoring:instrument_hours", args=[measured.pk])
    response = client.post(url, {"day": "2025-03-02", "in_use_hours": "30", "reason": "夹钳松动漏记"})
    assert response.status_code == 400
    assert 'value="夹钳松动漏记"' in response.content.decode()
    assert not HoursCorrection.objects.exists()


def test_an_authority_sees_the_hours_but_cannot_correct(client, make_user, huaian, measured):
    from dayi.accounts.models import Role

    client.force_login(make_user("authority", role=Role.AUTHORITY, region=huaian))
    url = reverse("monitoring:instrument_hours", args=[measured.pk])
    assert client.get(url).context["form"] is None
    assert client.post(url, {"day": "2025-03-02", "in_use_hours": "1", "reason": "无权更正"}).status_code == 403


def test_the_overview_shows_coverage_and_offline_sensors(client, operator, sensor, approved_instrument):
    client.force_login(operator)
    page = client.get(reverse("monitoring:overview"))
    assert page.status_code == 200
    assert page.context["total"].networked == 1
    assert page.context["total"].working == 0  # never heard from
    assert sensor.code in page.content.decode()  # listed offline
    assert b'id="coverage-units"' in page.content


def test_the_overview_lists_every_flagged_report_page_by_page(client, operator, sensor, measured):
    from decimal import Decimal

    from dayi.catalog.models import YearlyUsage

    SensorBinding.objects.filter(sensor=sensor).update(bound_from=datetime(2024, 1, 1, tzinfo=SHANGHAI))
    YearlyUsage.objects.create(instrument=measured, year=2025, running_hours=Decimal("900"))
    client.force_login(operator)
    page = client.get(reverse("monitoring:overview"), {"year": 2025})
    assert [flag.instrument_id for flag in page.context["flags"].object_list] == [measured.pk]
    assert b'id="reported-flags"' in page.content
    assert measured.name in page.content.decode()


def test_a_unit_registers_a_sensor_and_sees_its_secret_once(client, unit_admin, approved_instrument):
    client.force_login(unit_admin)
    response = client.post(
        reverse("monitoring:sensor_register"),
        {
            "code": "NEW-001",
            "sampling_interval_s": 60,
            "on_current_ma": 50,
            "in_use_power_w": 40,
            "instrument": approved_instrument.pk,
        },
    )
    assert response.status_code == 200
    sensor = Sensor.objects.get(code="NEW-001")
    assert response.context["secret"] and sensor.secret_hash not in response.content.decode()
    assert SensorBinding.objects.get(sensor=sensor, bound_to__isnull=True).instrument == approved_instrument
    detail = client.get(reverse("monitoring:sensor_detail", args=[sensor.pk]))
    assert response.context["secret"] not in detail.content.decode()


def test_rebinding_keeps_the_history_and_rotation_issues_a_new_secret(
    client, unit_admin, sensor, make_instrument, operator
):
    from dayi.lifecycle.services import approve_entry, submit_for_entry

    second = make_instrument(name="液相色谱仪", inventory_number="INV-2")
    submit_for_entry(actor=unit_admin, instrument=second)
    approve_entry(actor=operator, instrument=second)
    client.force_login(unit_admin)
    url = reverse("monitoring:sensor_detail", args=[sensor.pk])
    assert client.post(url, {"action": "bind", "bind-instrument": second.pk}).status_code == 302
    assert SensorBinding.objects.filter(sensor=sensor).count() == 2
    assert SensorBinding.objects.get(sensor=sensor, bound_to__isnull=True).instrument == second
    page = client.get(url)
    assert len(page.context["bindings"]) == 2

    old_hash = sensor.secret_hash
    rotated = client.post(url, {"action": "rotate"})
    sensor.refresh_from_db()
    assert rotated.context["secret"] and sensor.secret_hash != old_hash

    response = client.post(
        url,
        {
            "action": "settings",
            "settings-sampling_interval_s": 30,
            "settings-on_current_ma": 80,
            "settings-in_use_power_w": 60,
        },
    )
    assert response.status_code == 302
    sensor.refresh_from_db()
    assert (sensor.sampling_interval_s, sensor.on_current_ma, sensor.in_use_power_w) == (30, 80, 60)
    assert AuditEntry.objects.filter(action="sensor.updated").exists()


def test_another_unit_cannot_manage_the_sensor(client, other_unit_admin, sensor):
    client.force_login(other_unit_admin)
    assert client.get(reverse("monitoring:sensor_detail", args=[sensor.pk])).status_code == 404
    assert client.post(reverse("monitoring:sensor_detail", args=[sensor.pk]), {"action": "rotate"}).status_code == 404


def test_a_plain_user_has_no_sensor_pages(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("monitoring:sensor_list")).status_code == 403
    assert client.get(reverse("monitoring:overview")).status_code == 403
