"""What a unit decides about booking one instrument: when it is open and who may book how."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class BookingRules(models.Model):
    """The unit's rules for machine time on one instrument (no row: not bookable)."""

    instrument = models.OneToOneField(
        "catalog.Instrument", on_delete=models.CASCADE, related_name="booking_rules", verbose_name=_("instrument")
    )
    min_minutes = models.PositiveIntegerField(
        _("minimum length (minutes)"), default=30, validators=[MinValueValidator(5)]
    )
    max_minutes = models.PositiveIntegerField(
        _("maximum length (minutes)"), default=480, validators=[MinValueValidator(5)]
    )
    granularity_minutes = models.PositiveIntegerField(
        _("slot granularity (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text=_("Bookings start and end on multiples of this many minutes."),
    )
    max_days_ahead = models.PositiveIntegerField(
        _("bookable up to (days ahead)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    lead_hours = models.PositiveIntegerField(
        _("lead time (hours)"), default=24, help_text=_("How long before the start a booking must be made.")
    )
    needs_approval = models.BooleanField(_("the instrument manager approves each booking"), default=True)
    cancel_deadline_hours = models.PositiveIntegerField(_("cancellation deadline (hours before the start)"), default=24)
    training_required = models.BooleanField(
        _("self-operation needs training"),
        default=True,
        help_text=_("Only people qualified on this instrument may book machine time."),
    )
    allow_internal = models.BooleanField(_("members of the owning unit may book"), default=True)
    allow_external = models.BooleanField(_("external users may book"), default=True)
    closed_on_holidays = models.BooleanField(
        _("follow the official calendar"),
        default=True,
        help_text=_("Closed on public holidays; open on make-up working days with Monday's hours."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("booking rules")
        verbose_name_plural = _("booking rules")
        constraints = [
            models.CheckConstraint(condition=Q(min_minutes__lte=F("max_minutes")), name="booking_rules_min_le_max"),
        ]

    def __str__(self):
        return str(self.instrument)


class OpeningHours(models.Model):
    """One opening window of the weekly pattern; a day may have several (morning, afternoon)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    instrument = models.ForeignKey(
        "catalog.Instrument", on_delete=models.CASCADE, related_name="opening_windows", verbose_name=_("instrument")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="opening_hours_opens_first")]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """A period when the instrument cannot be booked: closed days, maintenance, an outage."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("closed")
        MAINTENANCE = "maintenance", _("maintenance")
        OUTAGE = "outage", _("outage")

    instrument = models.ForeignKey(
        "catalog.Instrument", on_delete=models.CASCADE, related_name="closures", verbose_name=_("instrument")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.MAINTENANCE)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="closure_starts_first")]
        indexes = [models.Index(fields=["instrument", "ends_at"], name="closure_instrument_end_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"


class Qualification(models.Model):
    """The person was trained on this instrument and may operate it themselves."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("user")
    )
    instrument = models.ForeignKey(
        "catalog.Instrument", on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("instrument")
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [models.UniqueConstraint(fields=["user", "instrument"], name="qualification_unique")]

    def __str__(self):
        return f"{self.user} · {self.instrument}"
