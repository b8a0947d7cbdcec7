"""Writes to the sensor registry (register sensors and gateways, issue secrets, bind and
re-bind, thresholds) and the unit's corrections of effective hours."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.accounts.permissions import scope_of
from dayi.audit import services as audit
from dayi.catalog.models import Instrument
from dayi.core.errors import DomainError, PermissionDenied

from .credentials import hash_secret, matches, new_secret
from .models import DailyUsage, Gateway, HoursCorrection, Sensor, SensorBinding
from .models.registry import code_validator

THRESHOLD_FIELDS = ("on_current_ma", "on_power_w", "in_use_current_ma", "in_use_power_w")
SENSOR_FIELDS = ("device_model", "sampling_interval_s", "install_date", "gateway", *THRESHOLD_FIELDS)


def _require_unit_admin(actor, organisation_id):
    if not scope_of(actor).can_administer_unit(organisation_id):
        raise PermissionDenied(_("You may only manage the sensors of your own unit."))


def _check_code(model, code):
    try:
        code_validator(code)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="code") from error
    if model.objects.filter(code=code).exists():
        raise DomainError(_("The code %(code)s is already taken.") % {"code": code}, field="code")


@transaction.atomic
def register_sensor(*, actor, owner, code: str, **fields) -> tuple[Sensor, str]:
    """A new sensor of `owner`; returns it with its secret, which is shown this once only."""
    _require_unit_admin(actor, owner.pk)
    unknown = set(fields) - set(SENSOR_FIELDS)
    if unknown:
        raise DomainError(f"unknown sensor fields: {', '.join(sorted(unknown))}")
    _check_code(Sensor, code)
    secret = new_secret()
    sensor = Sensor(code=code, owner=owner, secret_hash=hash_secret(secret), **fields)
    if sensor.on_current_ma is None and sensor.on_power_w is None:
        raise DomainError(_("Give an 'on' threshold for current or for power."), field="on_current_ma")
    if sensor.in_use_current_ma is None and sensor.in_use_power_w is None:
        raise DomainError(_("Give an 'in use' threshold for current or for power."), field="in_use_power_w")
    sensor.save()
    audit.record(actor=actor, action="sensor.registered", target=sensor, changes={"owner": [None, str(owner)]})
    return sensor, secret


@transaction.atomic
def rotate_sensor_secret(*, actor, sensor: Sensor) -> str:
    _require_unit_admin(actor, sensor.owner_id)
    secret = new_secret()
    Sensor.objects.filter(pk=sensor.pk).update(secret_hash=hash_secret(secret))
    sensor.secret_hash = hash_secret(secret)
    audit.record(actor=actor, action="sensor.secret_rotated", target=sensor)
    return secret


@transaction.atomic
def register_gateway(*, actor, owner, code: str, name: str = "") -> tuple[Gateway, str]:
    _require_unit_admin(actor, owner.pk)
    _check_code(Gateway, code)
    secret = new_secret()
    gateway = Gateway.objects.create(code=code, name=name, owner=owner, secret_hash=hash_secret(secret))
    audit.record(actor=actor, action="gateway.registered", target=gateway, changes={"owner": [None, str(owner)]})
    return gateway, secret


@transaction.atomic
def bind_sensor(*, actor, sensor: Sensor, instrument: Instrument, at=None) -> SensorBinding:
    """Sensor now measures `instrument`; its previous binding (and the instrument's previous
    sensor) end at `at`, so the history says which sensor measured what, when."""
    at = at or timezone.now()
    _require_unit_admin(actor, sensor.owner_id)
    if not scope_of(actor).is_operator and instrument.owner_id != sensor.owner_id:
        raise PermissionDenied(_("A unit binds its sensors to its own instruments only."))
    if instrument.usage_status == Instrument.UsageStatus.SCRAPPED:
        raise DomainError(_("A scrapped instrument gets no sensor."))
    current = _open_bindings(sensor=sensor, instrument=instrument)
    for binding in current:
        if binding.bound_from >= at:
            raise DomainError(_("A new binding must start after the current one began."))
    before = ", ".join(str(b) for b in current) or None
    for binding in current:
        binding.bound_to = at
        binding.save(update_fields=["bound_to"])
    binding = SensorBinding.objects.create(sensor=sensor, instrument=instrument, bound_from=at)
    audit.record(
        actor=actor, action="instrument.sensor_bound", target=instrument, changes={"sensor": [before, sensor.code]}
    )
    return binding


@transaction.atomic
def unbind_sensor(*, actor, sensor: Sensor, at=None, reason: str = "") -> None:
    """The sensor was removed (instrument scrapped, sensor faulty): end its open binding."""
    at = at or timezone.now()
    _require_unit_admin(actor, sensor.owner_id)
    for binding in _open_bindings(sensor=sensor):
        if binding.bound_from >= at:
            raise DomainError(_("A binding cannot end before it began."))
        binding.bound_to = at
        binding.save(update_fields=["bound_to"])
        audit.record(
            actor=actor,
            action="instrument.sensor_unbound",
            target=binding.instrument,
            changes={"sensor": [sensor.code, None]},
            reason=reason,
        )


@transaction.atomic
def update_sensor(*, actor, sensor: Sensor, **fields) -> Sensor:
    """Change the model, sampling interval or thresholds. New thresholds apply to readings
    stored from now on; sessions already derived stay as they were measured."""
    _require_unit_admin(actor, sensor.owner_id)
    unknown = set(fields) - set(SENSOR_FIELDS)
    if unknown:
        raise DomainError(f"unknown sensor fields: {', '.join(sorted(unknown))}")
    sensor = Sensor.objects.select_for_update().get(pk=sensor.pk)
    changes = audit.changed_fields({name: getattr(sensor, name) for name in fields}, fields)
    for name, value in fields.items():
        setattr(sensor, name, value)
    if sensor.on_current_ma is None and sensor.on_power_w is None:
        raise DomainError(_("Give an 'on' threshold for current or for power."), field="on_current_ma")
    if sensor.in_use_current_ma is None and sensor.in_use_power_w is None:
        raise DomainError(_("Give an 'in use' threshold for current or for power."), field="in_use_power_w")
    if changes:
        sensor.save()
        audit.record(actor=actor, action="sensor.updated", target=sensor, changes=changes)
    return sensor


@transaction.atomic
def correct_hours(*, actor, instrument: Instrument, day: date, in_use_hours: Decimal, reason: str) -> HoursCorrection:
    """The unit sets one day's effective working hours; the measured figure is kept beside it."""
    _require_unit_admin(actor, instrument.owner_id)
    reason = reason.strip()
    if len(reason) < 5:
        raise DomainError(_("Say why the measured hours are wrong (at least 5 characters)."), field="reason")
    if not Decimal(0) <= in_use_hours <= Decimal(24):
        raise DomainError(_("A day has between 0 and 24 effective hours."), field="in_use_hours")
    if day > timezone.localdate():
        raise DomainError(_("Hours of a day that has not come yet cannot be corrected."), field="day")
    seconds = int(in_use_hours * 3600)
    measured = (
        DailyUsage.objects.filter(instrument=instrument, day=day).values_list("in_use_seconds", flat=True).first()
    )
    previous = HoursCorrection.objects.select_for_update().filter(instrument=instrument, day=day).first()
    before = previous.in_use_seconds if previous else measured
    correction, _created = HoursCorrection.objects.update_or_create(
        instrument=instrument,
        day=day,
        defaults={"in_use_seconds": seconds, "reason": reason, "corrected_by": actor, "corrected_at": timezone.now()},
    )
    audit.record(
        actor=actor,
        action="instrument.hours_corrected",
        target=instrument,
        changes={
            "day": day.isoformat(),
            "in_use_hours": [_hours(before), _hours(seconds)],
            "measured": _hours(measured),
        },
        reason=reason,
    )
    return correction


@transaction.atomic
def withdraw_correction(*, actor, correction: HoursCorrection, reason: str = "") -> None:
    """Back to the measured figure."""
    _require_unit_admin(actor, correction.instrument.owner_id)
    audit.record(
        actor=actor,
        action="instrument.hours_correction_withdrawn",
        target=correction.instrument,
        changes={"day": correction.day.isoformat(), "in_use_hours": [_hours(correction.in_use_seconds), None]},
        reason=reason,
    )
    correction.delete()


def _hours(seconds) -> str | None:
    return None if seconds is None else f"{seconds / 3600:.2f}"


def _open_bindings(*, sensor, instrument=None):
    condition = SensorBinding.objects.filter(bound_to__isnull=True)
    if instrument is None:
        return list(condition.filter(sensor=sensor).select_for_update().select_related("instrument"))
    return list(
        (condition.filter(sensor=sensor) | condition.filter(instrument=instrument)).select_for_update().order_by("pk")
    )


def authenticate_device(kind: str, code: str, secret: str):
    """The active Sensor or Gateway whose secret this is, or None."""
    model = {"sensor": Sensor, "gateway": Gateway}.get(kind)
    if model is None:
        return None
    device = model.objects.filter(code=code, is_active=True).first()
    if device is None or not matches(secret, device.secret_hash):
        return None
    return device
