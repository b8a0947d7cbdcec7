"""Around the single booking: weekly series, the waiting list for taken slots, and the secret
addresses of a person's calendar feeds."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class RecurringSeries(models.Model):
    """The same weekly slot over a date range (a semester); each occurrence is booked on its own
    and its result kept, so a person sees which weeks were booked and why others were not."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_series", verbose_name=_("user")
    )
    instrument = models.ForeignKey(
        "catalog.Instrument", on_delete=models.CASCADE, related_name="booking_series", verbose_name=_("instrument")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    purpose = models.CharField(_("purpose of use"), max_length=200)
    results = models.JSONField(_("result of each occurrence"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recurring booking")
        verbose_name_plural = _("recurring bookings")
        constraints = [
            models.CheckConstraint(condition=Q(starts__lt=F("ends")), name="series_starts_first"),
            models.CheckConstraint(condition=Q(first_day__lte=F("last_day")), name="series_first_day_first"),
        ]

    def __str__(self):
        return f"{self.instrument} · {self.first_day}–{self.last_day}"


class WaitingEntry(models.Model):
    """Someone who wants a slot that is taken; told once when any part of it frees up."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waiting_entries", verbose_name=_("user")
    )
    instrument = models.ForeignKey(
        "catalog.Instrument", on_delete=models.CASCADE, related_name="waiting_entries", verbose_name=_("instrument")
    )
    starts_at = models.DateTimeField(_("start"))
    ends_at = models.DateTimeField(_("end"))
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(_("told at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting list")
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="waiting_starts_first"),
            models.UniqueConstraint(
                fields=["user", "instrument", "starts_at", "ends_at"],
                condition=Q(notified_at__isnull=True),
                name="waiting_once_per_slot",
            ),
        ]
        indexes = [models.Index(fields=["instrument", "starts_at"], name="waiting_instrument_start_idx")]

    def __str__(self):
        return f"{self.user} · {self.instrument} · {self.starts_at:%Y-%m-%d %H:%M}"


def new_feed_token():
    return secrets.token_urlsafe(24)


class FeedToken(models.Model):
    """The secret in a person's calendar feed addresses; replacing it stops the old addresses."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_feed", verbose_name=_("user")
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)
