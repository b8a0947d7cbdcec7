"""Outcomes built on a service (成果): papers that should acknowledge the platform [002 §九],
patents, standards and products; they count for the evaluation's "outcomes of use"."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.Model):
    class Kind(models.TextChoices):
        PAPER = "paper", _("paper")
        PATENT = "patent", _("patent")
        STANDARD = "standard", _("standard")
        PRODUCT = "product", _("product")

    order = models.ForeignKey(
        "booking.Order", on_delete=models.PROTECT, related_name="outcomes", verbose_name=_("order")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="outcomes", verbose_name=_("recorded by")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    reference = models.CharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_("Journal and DOI, patent number, standard number or product model."),
    )
    achieved_on = models.DateField(_("date"), help_text=_("Publication, grant, issue or launch date."))
    acknowledges_platform = models.BooleanField(_("acknowledges the platform"), default=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-achieved_on", "-id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self):
        return self.title
