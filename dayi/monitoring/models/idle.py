"""Idle rules of DOMAIN.md §6: instruments not powered on for long, and sensors gone silent."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class IdleRuleSettings(models.Model):
    """The idle thresholds of one region; a region without its own row takes its nearest
    ancestor's, and the defaults apply when no ancestor has one."""

    region = models.OneToOneField(
        "accounts.Region", on_delete=models.CASCADE, related_name="idle_rules", verbose_name=_("region")
    )
    remind_after_days = models.PositiveIntegerField(
        _("remind after (days)"), default=30, validators=[MinValueValidator(1)]
    )
    internal_after_days = models.PositiveIntegerField(
        _("internal transfer candidate after (days)"), default=90, validators=[MinValueValidator(1)]
    )
    departmental_after_days = models.PositiveIntegerField(
        _("departmental transfer candidate after (days)"), default=180, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("idle rule settings")
        verbose_name_plural = _("idle rule settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(remind_after_days__lt=F("internal_after_days"))
                & Q(internal_after_days__lt=F("departmental_after_days")),
                name="idle_thresholds_increase",
            ),
        ]

    def __str__(self):
        return f"{self.region}: {self.remind_after_days}/{self.internal_after_days}/{self.departmental_after_days}"


class IdleCase(models.Model):
    """One idle period of one instrument, from the reminder until it closes: the operator accepted
    the unit's explanation, or the instrument was powered on again."""

    class Step(models.TextChoices):
        REMINDED = "reminded", _("reminded")
        INTERNAL = "internal", _("internal transfer candidate")
        DEPARTMENTAL = "departmental", _("departmental transfer candidate")

    class Explanation(models.TextChoices):
        NONE = "none", _("not explained")
        SUBMITTED = "submitted", _("explanation awaiting review")
        ACCEPTED = "accepted", _("explanation accepted")
        REJECTED = "rejected", _("explanation rejected")

    class Closure(models.TextChoices):
        ACCEPTED = "accepted", _("explanation accepted")
        POWERED_ON = "powered_on", _("powered on again")

    instrument = models.ForeignKey(
        "catalog.Instrument", on_delete=models.PROTECT, related_name="idle_cases", verbose_name=_("instrument")
    )
    idle_since = models.DateTimeField(_("idle since"))
    step = models.CharField(_("step"), max_length=16, choices=Step.choices, default=Step.REMINDED)
    opened_on = models.DateField(_("reminded on"))
    internal_on = models.DateField(_("internal transfer candidate since"), null=True, blank=True)
    departmental_on = models.DateField(_("departmental transfer candidate since"), null=True, blank=True)
    explanation_status = models.CharField(
        _("explanation"), max_length=16, choices=Explanation.choices, default=Explanation.NONE
    )
    explanation = models.TextField(_("explanation"), blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    explained_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("operator's note"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closure = models.CharField(_("closed because"), max_length=16, choices=Closure.choices, blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("idle case")
        verbose_name_plural = _("idle cases")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument"], condition=Q(closed_at__isnull=True), name="one_open_idle_case"
            ),
        ]

    def __str__(self):
        return f"{self.instrument} · {self.get_step_display()}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class OfflineNotice(models.Model):
    """The unit was told once that this sensor has been silent since `silent_since`; a sensor
    that comes back and falls silent again starts a new episode, and a new notice."""

    sensor = models.ForeignKey(
        "monitoring.Sensor", on_delete=models.CASCADE, related_name="offline_notices", verbose_name=_("sensor")
    )
    silent_since = models.DateTimeField(_("silent since"))
    notified_at = models.DateTimeField(_("notified at"))

    class Meta:
        ordering = ["-notified_at"]
        verbose_name = _("offline notice")
        verbose_name_plural = _("offline notices")
        constraints = [
            models.UniqueConstraint(fields=["sensor", "silent_since"], name="one_notice_per_offline_episode")
        ]

    def __str__(self):
        return f"{self.sensor} {self.silent_since:%Y-%m-%d %H:%M}"
