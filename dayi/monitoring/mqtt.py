"""The MQTT side: a consumer that stores what sensors publish, and a publisher with flow control.

The consumer keeps a persistent session (fixed client id, clean_session False) at QoS 1 and
acknowledges a message only after its batch is committed: a consumer that stops mid-batch
gets the unacknowledged messages again on restart, and idempotent storage makes the second
delivery harmless. The broker must queue enough for an absent consumer: see
deploy/mosquitto/dayi.conf (max_queued_messages).

Several consumers share the stream through a shared subscription ($share/<group>/…): the
broker gives each message to one member of the group, round robin. Mosquitto 2.0 counts a
member whose persistent session is offline as a member still: its turn of messages is queued
in its session, and the messages it had not acknowledged stay there too, so a member that
restarts under the same client id gets all of them and nothing is lost. A member that will
not come back must be retired (`retire`), or its queue waits for it forever.
"""

import gc
import logging
import os
import queue
import threading
import time
from collections import deque
from dataclasses import dataclass

import paho.mqtt.client as mqtt
from django.db import OperationalError, close_old_connections, connection

from . import conf
from .ingest import Envelope, ingest
from .models import RejectedMessage

log = logging.getLogger(__name__)

DEADLOCK = "40P01"
RETRIES = 3


def readings_topic(code: str, root: str | None = None) -> str:
    return f"{root or conf.mqtt_topic_root()}/sensors/{code}/readings"


def shared_topic(group: str, root: str | None = None) -> str:
    return f"$share/{group}/{readings_topic('+', root)}"


def sensor_of_topic(topic: str, root: str) -> str | None:
    prefix, suffix = f"{root}/sensors/", "/readings"
    if topic.startswith(prefix) and topic.endswith(suffix):
        code = topic[len(prefix) : -len(suffix)]
        return code if code and "/" not in code else None
    return None


@dataclass
class Totals:
    messages: int = 0
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0


class Consumer:
    def __init__(self, *, client_id: str, group=None, host=None, port=None, root=None, batch_size=500, batch_wait=0.2):
        self.host, self.port = host or conf.mqtt_host(), port or conf.mqtt_port()
        self.root = root or conf.mqtt_topic_root()
        self.client_id = client_id
        self.topic = shared_topic(group, self.root) if group else readings_topic("+", self.root)
        self.batch_size, self.batch_wait = batch_size, batch_wait
        self.inbox = queue.Queue()
        self.subscribed = threading.Event()
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=client_id,
            clean_session=False,
            protocol=mqtt.MQTTv311,
            manual_ack=True,
        )
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            log.error("MQTT connection refused: %s", reason_code)
            return
        # The session keeps the subscription; subscribing again also covers a broker that lost it.
        client.subscribe(self.topic, qos=1)

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties):
        self.subscribed.set()

    def _on_message(self, client, userdata, message):
        self.inbox.put(message)

    def _take(self) -> list:
        try:
            batch = [self.inbox.get(timeout=self.batch_wait)]
        except queue.Empty:
            return []
        deadline = time.monotonic() + self.batch_wait
        while len(batch) < self.batch_size:
            try:
                batch.append(self.inbox.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                break
        return batch

    def run(self, *, stop: threading.Event | None = None, idle_exit: float | None = None) -> Totals:
        """Consume until `stop` is set or, with `idle_exit`, until nothing came for that many seconds."""
        self.client.connect(self.host, self.port, keepalive=30)
        self.client.loop_start()
        try:
            if not self.subscribed.wait(timeout=10):
                raise ConnectionError(f"no subscription on MQTT broker {self.host}:{self.port}")
            return self._consume(stop or threading.Event(), idle_exit)
        finally:
            self.client.loop_stop()
            self.client.disconnect()

    def retire(self, *, idle_exit: float = 2.0) -> Totals:
        """Leave the shared subscription for good: unsubscribe, so that the broker sends this
        member no more, store what its session still holds, then drop the session."""
        unsubscribed = threading.Event()
        self.client.on_connect = lambda client, *_: client.unsubscribe(self.topic)
        self.client.on_unsubscribe = lambda *_: unsubscribed.set()
        self.client.connect(self.host, self.port, keepalive=30)
        self.client.loop_start()
        try:
            if not unsubscribed.wait(timeout=10):
                raise ConnectionError(f"could not unsubscribe on MQTT broker {self.host}:{self.port}")
            totals = self._consume(threading.Event(), idle_exit)
        finally:
            self.client.loop_stop()
            self.client.disconnect()
        # Everything is acknowledged: a clean connection under the same id ends the session.
        ender = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=self.client_id, clean_session=True)
        ender.connect(self.host, self.port)
        ender.disconnect()
        return totals

    def _consume(self, stop, idle_exit) -> Totals:
        totals = Totals()
        quiet_since = time.monotonic()
        while not stop.is_set():
            batch = self._take()
            if not batch:
                if idle_exit is not None and time.monotonic() - quiet_since >= idle_exit:
                    break
                continue
            self._store(batch, totals)
            quiet_since = time.monotonic()
        return totals

    def _store(self, batch, totals):
        if not connection.in_atomic_block:
            # A long-running consumer outlives connections the database has dropped.
            close_old_connections()
        envelopes = [
            Envelope(
                payload=message.payload,
                source=RejectedMessage.Source.MQTT,
                topic=message.topic,
                topic_sensor=sensor_of_topic(message.topic, self.root) or "",
            )
            for message in batch
        ]
        outcome = _ingest_retrying(envelopes)
        # Acknowledged only now that the batch is committed: a crash before this line means redelivery.
        for message in batch:
            self.client.ack(message.mid, message.qos)
        totals.messages += len(batch)
        totals.stored += outcome.stored
        totals.duplicates += outcome.duplicates
        totals.rejected += outcome.rejected


def _ingest_retrying(envelopes):
    """Members of a group can lock the same sensors' rows; PostgreSQL then ends one of the
    transactions as a deadlock. Nothing of it was committed or acknowledged: do it again."""
    attempt = 1
    while True:
        try:
            return ingest(envelopes)
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != DEADLOCK or attempt == RETRIES:
                raise
            log.warning("deadlock with another ingester, batch retried")
            attempt += 1


def tune_gc() -> None:
    """For an ingester process, once started. It makes a few short-lived objects per reading,
    so the collector's default (a pass every 700 allocations, each walking every object of
    Django and the app) cost about a tenth of its CPU; frozen start-up objects and rarer
    passes leave the cycles it may still make to be collected all the same."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def watch_parent(stop: threading.Event, *, every: float = 1.0) -> None:
    """Set `stop` when the process that started this one is gone (a member outliving a killed
    supervisor would hold its client id and its turn of messages)."""
    parent = os.getppid()

    def watch():
        while not stop.wait(every):
            if os.getppid() != parent:
                stop.set()

    threading.Thread(target=watch, daemon=True).start()


class Publisher:
    """QoS 1 publishing that waits when too many messages are unacknowledged: paho silently
    stops sending once about 65,000 are in flight (ENGINEERING.md, "MQTT")."""

    def __init__(self, *, host=None, port=None, client_id="", window=1000):
        self.window = window
        self.pending = deque()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv311)
        self.client.max_inflight_messages_set(min(window, 65_000))
        self.client.connect(host or conf.mqtt_host(), port or conf.mqtt_port(), keepalive=30)
        self.client.loop_start()

    def publish(self, topic: str, payload: bytes) -> None:
        if len(self.pending) >= self.window:
            self._drain(self.window // 2)
        info = self.client.publish(topic, payload, qos=1)
        if info.rc != mqtt.MQTT_ERR_SUCCESS:
            raise ConnectionError(f"MQTT publish failed: {mqtt.error_string(info.rc)}")
        self.pending.append(info)

    def _drain(self, keep: int) -> None:
        while len(self.pending) > keep:
            info = self.pending.popleft()
            info.wait_for_publish(timeout=30)
            if not info.is_published():
                raise ConnectionError("the MQTT broker acknowledged nothing for 30 s")

    def close(self) -> None:
        self._drain(0)
        self.client.loop_stop()
        self.client.disconnect()
