"""The sensor registry: which sensor measures which instrument, since when, with which thresholds."""

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# Codes appear in MQTT topics (dayi/sensors/<code>/readings) and in Authorization headers,
# so they keep to characters that need no escaping in either.
code_validator = RegexValidator(r"^[A-Za-z0-9_-]{3,32}$", _("3 to 32 letters, digits, '-' or '_'."))


class Gateway(models.Model):
    """A box that forwards the readings of several sensors over HTTPS when they cannot speak MQTT."""

    code = models.CharField(_("code"), max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=64, blank=True)
    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="gateways", verbose_name=_("unit")
    )
    secret_hash = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("gateway")
        verbose_name_plural = _("gateways")

    def __str__(self):
        return self.code


class Sensor(models.Model):
    """A current clamp or smart socket. Thresholds: a reading counts as "on" when the current or
    the power reaches its "on" threshold, and as "in use" (effective working time) when either
    reaches its "in use" threshold; a blank threshold is not checked (a clamp that only measures
    current). At 220 V, 50 mA is about 11 W and 40 W about 180 mA."""

    code = models.CharField(_("code"), max_length=32, unique=True, validators=[code_validator])
    owner = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="sensors", verbose_name=_("unit")
    )
    gateway = models.ForeignKey(
        Gateway, on_delete=models.SET_NULL, null=True, blank=True, related_name="sensors", verbose_name=_("gateway")
    )
    secret_hash = models.CharField(max_length=64, editable=False)
    device_model = models.CharField(_("model"), max_length=64, blank=True)
    sampling_interval_s = models.PositiveIntegerField(
        _("sampling interval (s)"), default=60, validators=[MinValueValidator(1)]
    )
    on_current_ma = models.FloatField(_("on: current (mA)"), null=True, blank=True, default=50)
    on_power_w = models.FloatField(_("on: power (W)"), null=True, blank=True, default=10)
    in_use_current_ma = models.FloatField(_("in use: current (mA)"), null=True, blank=True, default=180)
    in_use_power_w = models.FloatField(_("in use: power (W)"), null=True, blank=True, default=40)
    install_date = models.DateField(_("install date"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sensor")
        verbose_name_plural = _("sensors")
        constraints = [
            models.CheckConstraint(
                condition=Q(on_current_ma__isnull=False) | Q(on_power_w__isnull=False),
                name="sensor_has_on_threshold",
            ),
            models.CheckConstraint(
                condition=Q(in_use_current_ma__isnull=False) | Q(in_use_power_w__isnull=False),
                name="sensor_has_in_use_threshold",
            ),
            models.CheckConstraint(condition=Q(sampling_interval_s__gte=1), name="sensor_interval_positive"),
        ]

    def __str__(self):
        return self.code


class SensorBinding(models.Model):
    """Sensor S measured instrument I from `bound_from` until `bound_to` (open: still does).

    A sensor moved to another instrument closes its binding and opens a new one, so old
    readings keep the instrument they measured."""

    sensor = models.ForeignKey(Sensor, on_delete=models.PROTECT, related_name="bindings", verbose_name=_("sensor"))
    instrument = models.ForeignKey(
        "catalog.Instrument", on_delete=models.PROTECT, related_name="sensor_bindings", verbose_name=_("instrument")
    )
    bound_from = models.DateTimeField(_("bound from"))
    bound_to = models.DateTimeField(_("bound until"), null=True, blank=True)

    class Meta:
        ordering = ["sensor", "-bound_from"]
        verbose_name = _("sensor binding")
        verbose_name_plural = _("sensor bindings")
        constraints = [
            models.CheckConstraint(
                condition=Q(bound_to__isnull=True) | Q(bound_to__gt=F("bound_from")), name="binding_ends_after_start"
            ),
            models.UniqueConstraint(fields=["sensor"], condition=Q(bound_to__isnull=True), name="one_open_binding"),
            # One sensor per instrument at a time: two would count the same hours twice.
            models.UniqueConstraint(
                fields=["instrument"], condition=Q(bound_to__isnull=True), name="one_sensor_per_instrument"
            ),
        ]
        indexes = [models.Index(fields=["instrument", "bound_from"])]

    def __str__(self):
        return f"{self.sensor} → {self.instrument}"

    def covers(self, moment) -> bool:
        return self.bound_from <= moment and (self.bound_to is None or moment < self.bound_to)
