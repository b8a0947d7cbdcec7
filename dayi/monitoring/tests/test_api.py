from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dayi.monitoring.models import Reading, RejectedMessage
from dayi.monitoring.services import register_gateway

from .conftest import message

pytestmark = pytest.mark.django_db
URL = reverse("monitoring:api_readings")


def recent(i):
    return timezone.now().replace(microsecond=0) - timedelta(minutes=60 - i)


def post(client, body, key):
    return client.post(URL, body, content_type="application/json", HTTP_AUTHORIZATION=key)


def test_a_sensor_sends_many_readings_and_gets_counts_back(client, sensor_secret):
    sensor, secret = sensor_secret
    messages = [message(sensor.code, ts=recent(i), seq=i) for i in range(10)]
    response = post(client, {"messages": [*messages, messages[0]]}, f"Sensor {sensor.code}:{secret}")
    assert response.status_code == 200
    assert response.json() == {"stored": 10, "duplicates": 1, "rejected": 0, "errors": []}
    assert Reading.objects.count() == 10


def test_a_sensor_may_not_send_another_sensors_readings(client, sensor_secret, sensor):
    own, secret = sensor_secret
    body = {"messages": [message(sensor.code, ts=recent(1))]}
    response = post(client, body, f"Sensor {own.code}:{secret}")
    assert response.json()["errors"][0]["reason"] == "authentication"
    assert RejectedMessage.objects.get().source == "https"


def test_a_gateway_sends_for_the_sensors_it_serves_only(client, sensor, unit, unit_admin, make_sensor):
    gateway, secret = register_gateway(actor=unit_admin, owner=unit, code="GW-01")
    sensor.gateway = gateway
    sensor.save()
    stranger, _ = make_sensor("CLAMP-999")
    body = {"messages": [message(sensor.code, ts=recent(1)), message(stranger.code, ts=recent(2))]}
    outcome = post(client, body, f"Gateway GW-01:{secret}").json()
    assert (outcome["stored"], outcome["rejected"]) == (1, 1)
    assert outcome["errors"][0] == {
        "message": 1,
        "reason": "authentication",
        "detail": "gateway GW-01 does not serve sensor CLAMP-999",
    }


@pytest.mark.parametrize("key", ["", "Sensor CLAMP-KEY:wrong", "Sensor nocolon", "Gateway NOPE:x"])
def test_a_request_without_a_valid_key_is_refused_and_kept(client, sensor_secret, key):
    response = post(client, {"messages": [message("CLAMP-KEY", ts=recent(1))]}, key)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Sensor")
    kept = RejectedMessage.objects.get()
    assert (kept.reason, kept.source) == ("authentication", "https")
    assert "CLAMP-KEY" in kept.payload
    assert Reading.objects.count() == 0


@pytest.mark.parametrize("body", ["{not json", '{"readings": []}', "[1]"])
def test_a_body_that_is_not_a_batch_is_refused_and_kept(client, sensor_secret, body):
    sensor, secret = sensor_secret
    response = client.post(
        URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Sensor {sensor.code}:{secret}"
    )
    assert response.status_code == 400
    assert RejectedMessage.objects.get().payload == body


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    assert "/api/v1/monitoring/readings/" in schema["paths"]
