"""What the readings mean: running sessions, in-use periods, offline gaps, hours per day."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class UsageSession(models.Model):
    """A period derived from readings. RUNNING: powered on; IN_USE: above the in-use threshold
    (effective working time, inside a running period); OFFLINE: the sensor was silent.
    An open session is still going on and is rewritten as readings arrive."""

    class Kind(models.TextChoices):
        RUNNING = "running", _("running")
        IN_USE = "in_use", _("in use")
        OFFLINE = "offline", _("offline")

    sensor = models.ForeignKey("monitoring.Sensor", on_delete=models.PROTECT, related_name="sessions")
    instrument = models.ForeignKey("catalog.Instrument", on_delete=models.PROTECT, related_name="usage_sessions")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    is_open = models.BooleanField(_("still going on"), default=False)

    class Meta:
        ordering = ["started_at"]
        verbose_name = _("usage session")
        verbose_name_plural = _("usage sessions")
        constraints = [
            models.CheckConstraint(condition=Q(ended_at__gte=F("started_at")), name="session_ends_after_start"),
        ]
        indexes = [
            models.Index(fields=["instrument", "kind", "started_at"], name="session_instrument_kind"),
            models.Index(fields=["sensor", "ended_at"], name="session_sensor_end"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}–{self.ended_at:%H:%M}"

    @property
    def seconds(self) -> float:
        return (self.ended_at - self.started_at).total_seconds()


class DailyUsage(models.Model):
    """Hours of one instrument on one local (Asia/Shanghai) day, summed from its sessions."""

    instrument = models.ForeignKey("catalog.Instrument", on_delete=models.PROTECT, related_name="daily_usage")
    day = models.DateField(_("day"))
    running_seconds = models.PositiveIntegerField(_("running time (s)"), default=0)
    in_use_seconds = models.PositiveIntegerField(_("effective working time (s)"), default=0)
    offline_seconds = models.PositiveIntegerField(_("sensor offline (s)"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["instrument", "day"]
        verbose_name = _("daily usage")
        verbose_name_plural = _("daily usage")
        constraints = [models.UniqueConstraint(fields=["instrument", "day"], name="daily_usage_unique")]

    def __str__(self):
        return f"{self.instrument} {self.day}"

    @property
    def in_use_hours(self) -> float:
        return round(self.in_use_seconds / 3600, 2)

    @property
    def running_hours(self) -> float:
        return round(self.running_seconds / 3600, 2)


class HoursCorrection(models.Model):
    """The unit's correction of one day's effective working hours, with its reason. The measured
    figure stays in DailyUsage; pages and reports show both, and sums use the corrected one."""

    instrument = models.ForeignKey(
        "catalog.Instrument", on_delete=models.PROTECT, related_name="hours_corrections", verbose_name=_("instrument")
    )
    day = models.DateField(_("day"))
    in_use_seconds = models.PositiveIntegerField(
        _("corrected effective working time (s)"), validators=[MaxValueValidator(86_400)]
    )
    reason = models.CharField(_("reason"), max_length=300)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("corrected by")
    )
    corrected_at = models.DateTimeField(_("corrected at"))

    class Meta:
        ordering = ["instrument", "day"]
        verbose_name = _("hours correction")
        verbose_name_plural = _("hours corrections")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "day"], name="one_correction_per_day"),
            models.CheckConstraint(condition=Q(in_use_seconds__lte=86_400), name="correction_within_a_day"),
        ]

    def __str__(self):
        return f"{self.instrument} {self.day}"

    @property
    def in_use_hours(self) -> float:
        return round(self.in_use_seconds / 3600, 2)
