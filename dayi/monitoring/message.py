"""The sensor message format, version 1 (documented in docs/monitoring.md), and its parser.

Pure: no database. The parser turns raw bytes into readings or a refusal with a reason, so
that ingestion can keep every refusal and go on with the rest of the stream.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import conf

VERSION = 1
READING_FIELDS = {"ts", "seq", "current_ma", "power_w", "status"}
MESSAGE_FIELDS = {"v", "sensor", "readings"} | READING_FIELDS


class MessageError(Exception):
    """A message or one of its readings is refused; `reason` is a RejectedMessage.Reason value."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class ReadingIn:
    sensor: str
    ts: datetime
    seq: int
    current_ma: float | None
    power_w: float | None
    status: str = ""


@dataclass(frozen=True)
class ParsedMessage:
    """A message's sensor code and, for each reading in it, a ReadingIn or the MessageError
    that refused that one reading (the others still count)."""

    sensor: str
    items: list  # of ReadingIn | MessageError, in message order


def decode(payload) -> dict:
    """Raw bytes/str (or an already-decoded object from a JSON batch) into a message object."""
    if isinstance(payload, dict):
        return payload
    if isinstance(payload, bytes):
        try:
            payload = payload.decode("utf-8")
        except UnicodeDecodeError as error:
            raise MessageError("malformed", "not UTF-8") from error
    if not isinstance(payload, str):
        raise MessageError("malformed", "a message is a JSON object")
    try:
        message = json.loads(payload)
    except ValueError as error:
        raise MessageError("malformed", f"not JSON: {error}") from error
    if not isinstance(message, dict):
        raise MessageError("malformed", "a message is a JSON object")
    return message


def parse(payload, *, now: datetime) -> ParsedMessage:
    """Validate one message; raises MessageError when the whole message must be refused."""
    message = decode(payload)
    if message.get("v") != VERSION:
        raise MessageError("version", f"format version {message.get('v')!r}; this platform reads v{VERSION}")
    unknown = set(message) - MESSAGE_FIELDS
    if unknown:
        raise MessageError("malformed", f"unknown fields: {', '.join(sorted(unknown))}")
    sensor = message.get("sensor")
    if not isinstance(sensor, str) or not sensor:
        raise MessageError("malformed", "'sensor' must be the sensor code")
    if "readings" in message:
        readings = message["readings"]
        if set(message) & READING_FIELDS or not isinstance(readings, list) or not readings:
            raise MessageError("malformed", "'readings' must be a non-empty list and replaces ts/seq/values")
    else:
        readings = [{key: message[key] for key in READING_FIELDS if key in message}]
    limits = Limits.at(now)
    return ParsedMessage(sensor=sensor, items=[_reading_or_error(sensor, item, now, limits) for item in readings])


@dataclass(frozen=True)
class Limits:
    """The accepted ranges, read from the settings once per message rather than per reading."""

    earliest: datetime
    latest: datetime
    max_current_ma: float
    max_power_w: float

    @classmethod
    def at(cls, now: datetime) -> "Limits":
        return cls(
            earliest=now - timedelta(days=conf.max_age_days()),
            latest=now + timedelta(seconds=conf.max_future_seconds()),
            max_current_ma=conf.max_current_ma(),
            max_power_w=conf.max_power_w(),
        )


def _reading_or_error(sensor, item, now, limits):
    try:
        return parse_reading(sensor, item, now=now, limits=limits)
    except MessageError as error:
        error.item = {"v": VERSION, "sensor": sensor, **item} if isinstance(item, dict) else item
        return error


def parse_reading(sensor: str, item, *, now: datetime, limits: Limits | None = None) -> ReadingIn:
    limits = limits or Limits.at(now)
    if not isinstance(item, dict):
        raise MessageError("malformed", "a reading is a JSON object")
    unknown = set(item) - READING_FIELDS
    if unknown:
        raise MessageError("malformed", f"unknown fields: {', '.join(sorted(unknown))}")
    ts = _timestamp(item.get("ts"))
    if ts > limits.latest:
        raise MessageError("out_of_range", f"ts {item['ts']} is in the future")
    if ts < limits.earliest:
        raise MessageError("out_of_range", f"ts {item['ts']} is too old")
    seq = item.get("seq")
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq < 2**63:
        raise MessageError("malformed", "'seq' must be a non-negative integer")
    current = _measurement(item, "current_ma", limits.max_current_ma)
    power = _measurement(item, "power_w", limits.max_power_w)
    if current is None and power is None:
        raise MessageError("malformed", "a reading needs current_ma or power_w")
    status = item.get("status", "")
    if not isinstance(status, str) or len(status) > 32:
        raise MessageError("malformed", "'status' must be text of at most 32 characters")
    return ReadingIn(sensor=sensor, ts=ts, seq=seq, current_ma=current, power_w=power, status=status)


def _timestamp(value) -> datetime:
    if not isinstance(value, str):
        raise MessageError("malformed", "'ts' must be an ISO 8601 time with its UTC offset")
    try:
        ts = datetime.fromisoformat(value)
    except ValueError as error:
        raise MessageError("malformed", f"'ts' is not ISO 8601: {value!r}") from error
    if ts.tzinfo is None:
        # A time without offset means different moments in different places: refuse it.
        raise MessageError("malformed", f"'ts' has no UTC offset: {value!r}")
    return ts


def _measurement(item, field, maximum):
    value = item.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise MessageError("malformed", f"'{field}' must be a number")
    if not 0 <= value <= maximum:
        raise MessageError("out_of_range", f"{field}={value} outside 0…{maximum:g}")
    return float(value)


def encode(reading: ReadingIn) -> dict:
    """The message for one reading, as a sensor (or the simulator) sends it."""
    message = {"v": VERSION, "sensor": reading.sensor, "ts": reading.ts.isoformat(), "seq": reading.seq}
    if reading.current_ma is not None:
        message["current_ma"] = reading.current_ma
    if reading.power_w is not None:
        message["power_w"] = reading.power_w
    if reading.status:
        message["status"] = reading.status
    return message


def encode_batch(sensor: str, readings: list[ReadingIn]) -> dict:
    """Several readings of one sensor in one message: fewer messages, far more readings per second."""
    items = []
    for reading in readings:
        item = encode(reading)
        del item["v"], item["sensor"]
        items.append(item)
    return {"v": VERSION, "sensor": sensor, "readings": items}
