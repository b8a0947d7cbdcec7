"""The operator's own entries in the official calendar (DOMAIN.md §3: working days follow the
Chinese official calendar).

The `chinese-calendar` package knows the State Council's holiday notice only up to its release
year; the notice for the next year appears each autumn. An entry here overrides the package for
its date, so the operator can type in a new year's notice (or correct a day) without a release.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("public holiday (no work)")
        WORKDAY = "workday", _("make-up working day (调休上班)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=64, help_text=_("For example 春节 or 国庆节."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("official calendar day")
        verbose_name_plural = _("official calendar days")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name} ({self.get_kind_display()})"
