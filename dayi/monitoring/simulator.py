"""Simulated sensors for the demo city and the benchmark.

Each instrument gets a believable day: off at night, switched on in working hours, in use in
blocks of a quarter hour, with measuring noise. The pattern is a pure function of (seed,
instrument, time), so a second run produces the same readings and idempotent storage keeps
them once.
"""

import random
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from dayi.audit import services as audit
from dayi.catalog.models import Instrument

from .credentials import hash_secret, new_secret
from .message import ReadingIn
from .models import Sensor, SensorBinding

SLOT = timedelta(minutes=15)
VOLTS = 220.0
SIM_PREFIX = "SIM-"
MAX_BACKFILL_DAYS = 30


def _slot_random(seed, sensor_id, moment) -> random.Random:
    slot = int(moment.timestamp() // SLOT.total_seconds())
    return random.Random(f"{seed}:{sensor_id}:{slot}")  # noqa: S311 - simulated watts, not secrets


def power_at(seed: int, sensor_id: int, moment: datetime) -> float:
    """Watts drawn at `moment`: mostly off at night, busy in working hours, noisy always."""
    local = timezone.localtime(moment)
    busy = random.Random(f"{seed}:{sensor_id}").uniform(0.2, 0.9)  # noqa: S311
    hour = local.hour + local.minute / 60
    working = local.weekday() < 5 and 8 <= hour < 18
    slot = _slot_random(seed, sensor_id, moment)
    draw = slot.random()
    noise = random.Random(f"{seed}:{sensor_id}:{moment.timestamp()}").gauss(0, 1)  # noqa: S311
    if working and draw < busy:
        return max(0.0, slot.uniform(150, 900) + noise * 8)
    if (working and draw < busy + 0.15) or (not working and draw < 0.05):
        return max(0.0, slot.uniform(15, 30) + noise)  # switched on, idling
    return max(0.0, 1.5 + noise * 0.5)


def reading(seed: int, sensor: Sensor, moment: datetime) -> ReadingIn:
    power = round(power_at(seed, sensor.id, moment), 1)
    return ReadingIn(
        sensor=sensor.code,
        ts=moment,
        seq=int(moment.timestamp()) // sensor.sampling_interval_s,
        current_ma=round(power / VOLTS * 1000, 1),
        power_w=power,
    )


def ticks(sensor: Sensor, start: datetime, end: datetime):
    """Sampling moments of the sensor in [start, end), on multiples of its interval."""
    step = sensor.sampling_interval_s
    first = (int(start.timestamp()) + step - 1) // step * step
    moment = datetime.fromtimestamp(first, UTC)
    while moment < end:
        yield moment
        moment += timedelta(seconds=step)


@transaction.atomic
def ensure_demo_sensors(limit: int | None = None) -> list[Sensor]:
    """A simulated sensor bound to every instrument in the network that has none yet; the
    sensors the simulator drives are those whose code starts with SIM-."""
    bound = SensorBinding.objects.filter(bound_to__isnull=True).values("instrument_id")
    missing = (
        Instrument.objects.filter(entry_status=Instrument.EntryStatus.APPROVED).exclude(pk__in=bound).order_by("pk")
    )
    if limit is not None:
        existing = Sensor.objects.filter(code__startswith=SIM_PREFIX).count()
        missing = missing[: max(0, limit - existing)]
    now = timezone.now()
    for instrument in missing:
        sensor = Sensor.objects.create(
            code=f"{SIM_PREFIX}{instrument.pk:06d}",
            owner_id=instrument.owner_id,
            secret_hash=hash_secret(new_secret()),
            device_model="simulator",
            install_date=timezone.localdate(now),
        )
        SensorBinding.objects.create(
            sensor=sensor, instrument=instrument, bound_from=now - timedelta(days=MAX_BACKFILL_DAYS)
        )
        audit.record(
            actor=None,
            action="instrument.sensor_bound",
            target=instrument,
            changes={"sensor": [None, sensor.code]},
            reason="demo simulator",
        )
    sensors = Sensor.objects.filter(code__startswith=SIM_PREFIX, is_active=True).order_by("code")
    return list(sensors[:limit] if limit is not None else sensors)
