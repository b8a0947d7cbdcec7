"""Through the real Mosquitto broker on 127.0.0.1:1883: skipped when it is not running, except
under CI=true, where a missing broker fails."""

import io
import json
import os
import socket
import uuid
from datetime import timedelta

import paho.mqtt.client as mqtt
import pytest
from django.utils import timezone

from dayi.monitoring import conf
from dayi.monitoring.models import Reading, RejectedMessage
from dayi.monitoring.mqtt import Consumer, Publisher, readings_topic, sensor_of_topic

from .conftest import message

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker():
    try:
        socket.create_connection((conf.mqtt_host(), conf.mqtt_port()), timeout=2).close()
    except OSError:
        reason = (
            f"no MQTT broker on {conf.mqtt_host()}:{conf.mqtt_port()} (start mosquitto -c deploy/mosquitto/dayi.conf)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def session_id(broker):
    client_id = f"dayi-test-{uuid.uuid4().hex[:12]}"
    yield client_id
    # Drop the persistent session on the broker.
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True)
    client.connect(conf.mqtt_host(), conf.mqtt_port())
    client.disconnect()


def test_the_sensor_code_is_read_from_its_topic():
    assert sensor_of_topic("dayi/sensors/CLAMP-1/readings", "dayi") == "CLAMP-1"
    assert sensor_of_topic("dayi/sensors/a/b/readings", "dayi") is None
    assert sensor_of_topic("other/sensors/CLAMP-1/readings", "dayi") is None


def test_readings_published_while_the_consumer_is_away_are_stored_once_each(sensor, session_id):
    root = f"dayi-test-{uuid.uuid4().hex[:8]}"
    # First run: the broker opens the persistent session and its subscription.
    Consumer(client_id=session_id, root=root).run(idle_exit=0.5)

    start = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    payloads = [json.dumps(message(ts=start + timedelta(minutes=i), seq=i)).encode() for i in range(50)]
    publisher = Publisher(window=20)
    for payload in [*payloads, payloads[0], payloads[7]]:
        publisher.publish(readings_topic(sensor.code, root), payload)
    publisher.publish(readings_topic("OTHER", root), payloads[1])
    publisher.close()

    totals = Consumer(client_id=session_id, root=root, batch_size=16).run(idle_exit=1.5)

    assert (totals.messages, totals.stored, totals.duplicates, totals.rejected) == (53, 50, 2, 1)
    assert Reading.objects.filter(sensor=sensor).count() == 50
    assert RejectedMessage.objects.get().reason == "authentication"

    # Nothing is left unacknowledged: a third run receives nothing.
    assert Consumer(client_id=session_id, root=root).run(idle_exit=0.5).messages == 0


@pytest.fixture
def members(broker):
    """Two members of a fresh shared-subscription group on a fresh topic root, subscribed (their
    persistent sessions opened) before anything is published; sessions dropped after."""
    tag = uuid.uuid4().hex[:10]
    group, root = f"dayi-test-{tag}", f"dayi-test-{tag}"
    ids = [f"dayi-test-{tag}-{n}" for n in (1, 2)]
    for member in ids:
        Consumer(client_id=member, group=group, root=root).run(idle_exit=0.3)
    yield group, root, ids
    for client_id in ids:
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=True)
        client.connect(conf.mqtt_host(), conf.mqtt_port())
        client.disconnect()


def _publish(sensor, root, payloads):
    publisher = Publisher(window=20)
    for payload in payloads:
        publisher.publish(readings_topic(sensor.code, root), payload)
    publisher.close()


def _readings(start, count, first=0):
    return [json.dumps(message(ts=start + timedelta(minutes=i), seq=i)).encode() for i in range(first, first + count)]


def test_two_ingesters_on_a_shared_subscription_store_every_reading_exactly_once(sensor, members):
    group, root, (one, two) = members
    start = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    payloads = _readings(start, 60)
    # Delivered twice: the second copy may reach the other member.
    _publish(sensor, root, [*payloads, payloads[0], payloads[1], payloads[30], payloads[59]])

    # The second member is away while the first works: its turn waits in its session.
    first = Consumer(client_id=one, group=group, root=root, batch_size=8).run(idle_exit=1.0)
    second = Consumer(client_id=two, group=group, root=root, batch_size=8).run(idle_exit=1.0)

    assert first.messages > 0 and second.messages > 0
    assert first.messages + second.messages == 64
    assert (first.stored + second.stored, first.duplicates + second.duplicates) == (60, 4)
    assert Reading.objects.filter(sensor=sensor).count() == 60
    assert not RejectedMessage.objects.exists()


def test_a_retired_ingester_hands_over_what_it_held_and_gets_nothing_more(sensor, members):
    group, root, (one, two) = members
    start = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    _publish(sensor, root, _readings(start, 10))

    retired = Consumer(client_id=two, group=group, root=root).retire(idle_exit=1.0)
    _publish(sensor, root, _readings(start, 10, first=10))
    remaining = Consumer(client_id=one, group=group, root=root).run(idle_exit=1.0)

    assert retired.messages == 5
    assert remaining.messages == 15
    assert Reading.objects.filter(sensor=sensor).count() == 20
    assert Consumer(client_id=two, root=root).run(idle_exit=0.5).messages == 0


@pytest.mark.django_db(transaction=True)
def test_ingest_mqtt_runs_two_member_processes_that_together_store_each_reading_once(sensor, broker):
    from django.core.management import call_command

    tag = uuid.uuid4().hex[:10]
    options = {"client_id": f"dayi-test-{tag}", "group": f"dayi-test-{tag}", "root": f"dayi-test-{tag}"}
    out = io.StringIO()
    call_command("ingest_mqtt", processes=2, idle_exit=0.5, stdout=out, **options)  # opens both sessions
    start = timezone.now().replace(microsecond=0) - timedelta(hours=2)
    payloads = _readings(start, 80)
    _publish(sensor, options["root"], [*payloads, *payloads[:10]])
    try:
        call_command("ingest_mqtt", processes=2, idle_exit=2.0, stdout=out, **options)
    finally:
        for n in (1, 2):
            client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"{options['client_id']}-{n}")
            client.connect(conf.mqtt_host(), conf.mqtt_port())
            client.disconnect()

    assert Reading.objects.filter(sensor=sensor).count() == 80
    assert not RejectedMessage.objects.exists()
