"""Raw telemetry: readings as measured, messages refused, and each sensor's latest state."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Reading(models.Model):
    """One measurement. The key (sensor, ts) makes a reading delivered twice one row; it also
    holds the time column, which PostgreSQL's monthly partitioning needs in every unique key
    (migration 0003, dayi/monitoring/partitions.py). The key and the (instrument, ts) index
    serve every lookup, so the foreign keys carry no index of their own: each index costs
    ingestion speed."""

    pk = models.CompositePrimaryKey("sensor", "ts")
    sensor = models.ForeignKey("monitoring.Sensor", on_delete=models.PROTECT, related_name="+", db_index=False)
    instrument = models.ForeignKey("catalog.Instrument", on_delete=models.PROTECT, related_name="+", db_index=False)
    ts = models.DateTimeField(_("measured at"))
    seq = models.PositiveBigIntegerField(_("sequence number"))
    current_ma = models.FloatField(_("current (mA)"), null=True)
    power_w = models.FloatField(_("power (W)"), null=True)
    status = models.CharField(_("device status"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        indexes = [models.Index(fields=["instrument", "ts"], name="reading_instrument_ts")]

    def __str__(self):
        return f"{self.sensor_id} {self.ts:%Y-%m-%d %H:%M:%S}"


class RejectedMessage(models.Model):
    """A message or reading that was refused, kept with the reason so that nothing is lost silently."""

    class Reason(models.TextChoices):
        MALFORMED = "malformed", _("cannot be parsed")
        VERSION = "version", _("unsupported format version")
        UNKNOWN_SENSOR = "unknown_sensor", _("unknown sensor")
        AUTHENTICATION = "authentication", _("authentication failed")
        OUT_OF_RANGE = "out_of_range", _("value out of range")
        UNBOUND = "unbound", _("sensor not bound to an instrument at that time")

    class Source(models.TextChoices):
        MQTT = "mqtt", "MQTT"
        HTTPS = "https", "HTTPS"
        SIMULATOR = "simulator", _("simulator")

    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    sensor_code = models.CharField(_("sensor code"), max_length=64, blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    payload = models.TextField(_("raw payload"))

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("rejected message")
        verbose_name_plural = _("rejected messages")
        indexes = [models.Index(fields=["reason", "received_at"], name="rejected_reason_time")]

    def __str__(self):
        return f"{self.get_reason_display()} · {self.received_at:%Y-%m-%d %H:%M:%S}"


class SensorState(models.Model):
    """Where session derivation stands for one sensor, and what it measured last: the live page
    reads this row instead of scanning readings."""

    class Level(models.TextChoices):
        OFF = "off", _("off")
        ON = "on", _("on")
        IN_USE = "in_use", _("in use")

    sensor = models.OneToOneField("monitoring.Sensor", on_delete=models.CASCADE, primary_key=True, related_name="state")
    builder = models.JSONField(default=dict)
    level = models.CharField(max_length=8, choices=Level.choices, default=Level.OFF)
    last_reading_at = models.DateTimeField(null=True)
    last_current_ma = models.FloatField(null=True)
    last_power_w = models.FloatField(null=True)
    # last reading + a few sampling intervals: past it the sensor is offline (one indexed compare).
    offline_after = models.DateTimeField(null=True, db_index=True)

    class Meta:
        verbose_name = _("sensor state")
        verbose_name_plural = _("sensor states")

    def __str__(self):
        return f"{self.sensor_id} {self.level}"
