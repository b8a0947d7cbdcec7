"""From raw messages to stored readings: parse, check, store once, move the sessions on.

Every refusal becomes a RejectedMessage with its reason and raw payload; one bad message or
reading never stops the others in the batch.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from . import conf, daily, tracking
from .message import MessageError, ReadingIn, encode, parse
from .models import RejectedMessage, Sensor
from .sessions import Point
from .storage import insert_readings

Reason = RejectedMessage.Reason


@dataclass(frozen=True)
class Envelope:
    """One message as it arrived. `topic_sensor`: the code in the MQTT topic (the broker has
    authenticated the publisher for that topic); `device`: the Sensor or Gateway that
    authenticated the HTTPS request; neither for the in-process simulator."""

    payload: object
    source: str
    topic: str = ""
    topic_sensor: str | None = None
    device: object = None


@dataclass
class Outcome:
    stored: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"stored": self.stored, "duplicates": self.duplicates, "rejected": self.rejected, "errors": self.errors}


class _Batch:
    def __init__(self, envelopes, now):
        self.now = now
        self.outcome = Outcome()
        self.rejections = []
        self.accepted = {}  # (sensor_id, ts) -> (row, Point), first delivery wins
        self.parsed = []
        for index, envelope in enumerate(envelopes):
            try:
                self.parsed.append((index, envelope, parse(envelope.payload, now=now)))
            except MessageError as error:
                self.reject(index, None, envelope, error, envelope.payload)
        codes = {message.sensor for _, _, message in self.parsed}
        self.sensors = {
            sensor.code: sensor for sensor in Sensor.objects.filter(code__in=codes).prefetch_related("bindings")
        }

    def reject(self, index, position, envelope, error, payload, sensor_code=""):
        self.outcome.rejected += 1
        entry = {"message": index, "reason": error.reason, "detail": error.detail}
        if position is not None:
            entry["reading"] = position
        self.outcome.errors.append(entry)
        self.rejections.append(
            RejectedMessage(
                source=envelope.source,
                reason=error.reason,
                detail=error.detail[:300],
                sensor_code=sensor_code[:64],
                topic=envelope.topic[:200],
                payload=_raw(payload)[: conf.max_payload_bytes()],
            )
        )

    def check(self):
        for index, envelope, message in self.parsed:
            sensor = self.sensors.get(message.sensor)
            refusal = _refusal(sensor, message.sensor, envelope)
            if refusal:
                self.reject(index, None, envelope, refusal, envelope.payload, message.sensor)
                continue
            bindings = list(sensor.bindings.all())
            for position, item in enumerate(message.items):
                if isinstance(item, MessageError):
                    self.reject(index, position, envelope, item, item.item, message.sensor)
                    continue
                instrument_id = tracking.instrument_at(bindings, item.ts)
                if instrument_id is None:
                    error = MessageError(Reason.UNBOUND, f"{message.sensor} measured no instrument at {item.ts}")
                    self.reject(index, position, envelope, error, encode(item), message.sensor)
                    continue
                self.accept(sensor, instrument_id, item)

    def accept(self, sensor, instrument_id, reading: ReadingIn):
        key = (sensor.id, reading.ts)
        if key in self.accepted:
            self.outcome.duplicates += 1
            return
        row = (sensor.id, instrument_id, reading.ts, reading.seq, reading.current_ma, reading.power_w, reading.status)
        self.accepted[key] = (row, Point(reading.ts, reading.current_ma, reading.power_w))


def _refusal(sensor, code, envelope) -> MessageError | None:
    if sensor is None:
        return MessageError(Reason.UNKNOWN_SENSOR, f"no sensor with code {code!r}")
    if not sensor.is_active:
        return MessageError(Reason.AUTHENTICATION, f"sensor {code} is deactivated")
    if envelope.topic_sensor is not None and envelope.topic_sensor != code:
        detail = f"message for {code} published on the topic of {envelope.topic_sensor}"
        return MessageError(Reason.AUTHENTICATION, detail)
    device = envelope.device
    if isinstance(device, Sensor) and device.pk != sensor.pk:
        return MessageError(Reason.AUTHENTICATION, f"sensor {device.code} may not send readings of {code}")
    if device is not None and not isinstance(device, Sensor) and sensor.gateway_id != device.pk:
        return MessageError(Reason.AUTHENTICATION, f"gateway {device.code} does not serve sensor {code}")
    return None


def _raw(payload) -> str:
    if isinstance(payload, bytes):
        return payload.decode("utf-8", errors="replace")
    if isinstance(payload, str):
        return payload
    return json.dumps(payload, ensure_ascii=False, default=str)


def ingest(envelopes: list[Envelope], *, now=None) -> Outcome:
    """Store the readings of a batch of messages once each and keep every refusal; one transaction."""
    batch = _Batch(envelopes, now or timezone.now())
    batch.check()
    with transaction.atomic():
        RejectedMessage.objects.bulk_create(batch.rejections)
        inserted = insert_readings([row for row, _ in batch.accepted.values()])
        batch.outcome.stored = len(inserted)
        batch.outcome.duplicates += len(batch.accepted) - len(inserted)
        fresh = defaultdict(list)
        for key in inserted:
            fresh[key[0]].append(batch.accepted[key][1])
        by_id = {sensor.id: sensor for sensor in batch.sensors.values()}
        changed = tracking.advance_many({by_id[sensor_id]: points for sensor_id, points in fresh.items()})
        daily.refresh_daily(changed)
    return batch.outcome


def reject_request(*, source: str, reason: str, detail: str, payload) -> None:
    """Keep a request refused as a whole (bad credentials, body not JSON)."""
    RejectedMessage.objects.create(
        source=source, reason=reason, detail=detail[:300], payload=_raw(payload)[: conf.max_payload_bytes()]
    )
