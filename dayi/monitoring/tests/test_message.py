import json
from datetime import timedelta

import pytest

from dayi.monitoring.message import MessageError, ReadingIn, encode_batch, parse

from .conftest import T0, message

NOW = T0 + timedelta(minutes=1)


def reason_of(payload):
    with pytest.raises(MessageError) as caught:
        parse(payload, now=NOW)
    return caught.value.reason


def test_a_single_reading_parses_with_its_offset():
    parsed = parse(json.dumps(message()).encode(), now=NOW)
    [reading] = parsed.items
    assert parsed.sensor == "CLAMP-001"
    assert reading == ReadingIn("CLAMP-001", T0, 1, 500.0, 120.0, "")
    assert reading.ts.utcoffset() == timedelta(hours=8)


def test_a_batch_message_carries_many_readings_and_round_trips():
    readings = [ReadingIn("S-1", T0 + timedelta(minutes=i), i, 60.0 + i, None, "ok") for i in range(3)]
    assert parse(encode_batch("S-1", readings), now=NOW + timedelta(hours=1)).items == readings


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"\xff\xfe", "malformed"),
        (b"{not json", "malformed"),
        (b"[1, 2]", "malformed"),
        (json.dumps(message(v=2)), "version"),
        (json.dumps({k: v for k, v in message().items() if k != "v"}), "version"),
        (json.dumps(message(extra_field=1)), "malformed"),
        (json.dumps(message(sensor="")), "malformed"),
        (json.dumps({"v": 1, "sensor": "S", "readings": []}), "malformed"),
        (json.dumps({"v": 1, "sensor": "S", "readings": [{}], "ts": T0.isoformat()}), "malformed"),
    ],
)
def test_a_message_that_cannot_be_read_is_refused_with_a_reason(payload, reason):
    assert reason_of(payload) == reason


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"ts": "2026-03-02T08:00:00"}, "malformed"),  # no offset
        ({"ts": "yesterday"}, "malformed"),
        ({"ts": 1772409600}, "malformed"),
        ({"seq": -1}, "malformed"),
        ({"seq": "7"}, "malformed"),
        ({"seq": True}, "malformed"),
        ({"current_ma": "high"}, "malformed"),
        ({"current_ma": None, "power_w": None}, "malformed"),
        ({"status": "x" * 33}, "malformed"),
        ({"current_ma": -1}, "out_of_range"),
        ({"power_w": 1e9}, "out_of_range"),
        ({"ts": (T0 + timedelta(hours=1)).isoformat()}, "out_of_range"),
        ({"ts": (T0 - timedelta(days=401)).isoformat()}, "out_of_range"),
    ],
)
def test_a_bad_reading_is_refused_alone_with_a_reason(changes, reason):
    parsed = parse(json.dumps(message(**changes)), now=NOW)
    [error] = parsed.items
    assert isinstance(error, MessageError)
    assert error.reason == reason


def test_one_bad_reading_does_not_spoil_the_others_of_a_batch():
    batch = {"v": 1, "sensor": "S", "readings": [message(seq=1), message(seq=2, current_ma=-5)]}
    for item in batch["readings"]:
        del item["v"], item["sensor"]
    good, bad = parse(batch, now=NOW).items
    assert isinstance(good, ReadingIn)
    assert bad.reason == "out_of_range"
    assert bad.item["seq"] == 2


def test_nan_is_out_of_range():
    assert parse('{"v":1,"sensor":"S","ts":"2026-03-02T08:00:00+08:00","seq":1,"power_w":NaN}', now=NOW).items[
        0
    ].reason == ("out_of_range")
