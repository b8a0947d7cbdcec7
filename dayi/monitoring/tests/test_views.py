import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dayi.accounts.models import Role
from dayi.monitoring.ingest import Envelope, ingest
from dayi.monitoring.models import Reading, Sensor

from .conftest import message

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_sensor(sensor):
    now = timezone.now().replace(microsecond=0)
    ingest(
        [
            Envelope(payload=json.dumps(message(ts=now - timedelta(minutes=i), seq=100 - i)), source="simulator")
            for i in range(5)
        ]
    )
    return sensor


def test_the_unit_sees_its_instruments_live_state(client, unit_admin, live_sensor, approved_instrument):
    client.force_login(unit_admin)
    page = client.get(reverse("monitoring:home"))
    assert page.status_code == 200
    assert approved_instrument.name in page.content.decode()
    assert next(tab for tab in page.context["tabs"] if tab[0] == "in_use")[2] == 1
    table = client.get(reverse("monitoring:live_table"), {"state": "offline"})
    assert 'hx-trigger="every 5s"' in table.content.decode()
    assert not table.context["page"].object_list


def test_a_silent_sensor_shows_as_offline(client, unit_admin, sensor):
    client.force_login(unit_admin)
    page = client.get(reverse("monitoring:home"), {"state": "offline"})
    assert [b.sensor for b in page.context["page"].object_list] == [sensor]


def test_another_unit_does_not_see_them(client, other_unit_admin, live_sensor):
    client.force_login(other_unit_admin)
    assert not client.get(reverse("monitoring:home")).context["page"].object_list


def test_an_authority_sees_its_region(client, make_user, huaian, live_sensor):
    client.force_login(make_user(role=Role.AUTHORITY, region=huaian))
    assert len(client.get(reverse("monitoring:home")).context["page"].object_list) == 1


def test_a_plain_user_is_refused(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("monitoring:home")).status_code == 403


def test_a_visitor_is_sent_to_log_in(client):
    assert client.get(reverse("monitoring:home")).status_code == 302


def test_the_day_chart_carries_the_days_readings(client, operator, live_sensor, approved_instrument):
    client.force_login(operator)
    page = client.get(reverse("monitoring:instrument_day", args=[approved_instrument.pk]))
    assert page.status_code == 200
    assert len(page.context["chart"]["points"]) >= 1
    assert "vendor/echarts/echarts.min.js" in page.content.decode()
    assert (
        client.get(reverse("monitoring:instrument_day", args=[approved_instrument.pk]), {"day": "bad"}).status_code
        == 200
    )


def test_another_units_day_chart_is_not_found(client, other_unit_admin, approved_instrument):
    client.force_login(other_unit_admin)
    assert client.get(reverse("monitoring:instrument_day", args=[approved_instrument.pk])).status_code == 404


def test_the_simulator_feeds_every_instrument_in_the_network_in_process(approved_instrument):
    call_command("simulate_sensors", "--backfill-hours", "3", stdout=io.StringIO())
    sensor = Sensor.objects.get(code__startswith="SIM-")
    assert sensor.bindings.get().instrument == approved_instrument
    first = Reading.objects.filter(sensor=sensor).count()
    assert first in (180, 181)
    # Deterministic readings: a second run over the same hours adds at most the newest minute.
    call_command("simulate_sensors", "--backfill-hours", "3", stdout=io.StringIO())
    assert Reading.objects.filter(sensor=sensor).count() - first <= 1
    assert sensor.state.last_reading_at is not None
