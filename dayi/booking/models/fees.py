"""What a service costs: the unit's published fee standard per instrument and service mode, and
the preferential classes that the unit and the platform grant (DOMAIN.md §4)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .orders import Order

MONEY = {"max_digits": 12, "decimal_places": 2, "default": Decimal("0.00"), "validators": [MinValueValidator(0)]}


class FeeStandard(models.Model):
    """Machine time costs start-up + hours × per hour; sample testing costs start-up +
    samples × (per sample + test items × per item)."""

    instrument = models.ForeignKey(
        "catalog.Instrument", on_delete=models.CASCADE, related_name="fee_standards", verbose_name=_("instrument")
    )
    mode = models.CharField(_("service mode"), max_length=16, choices=Order.Mode.choices)
    per_hour = models.DecimalField(_("per hour (yuan)"), **MONEY)
    per_sample = models.DecimalField(_("per sample (yuan)"), **MONEY)
    per_item = models.DecimalField(_("per test item of a sample (yuan)"), **MONEY)
    startup = models.DecimalField(_("start-up fee per order (yuan)"), **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("fee standard")
        verbose_name_plural = _("fee standards")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "mode"], name="fee_standard_one_per_mode"),
            models.CheckConstraint(
                condition=Q(per_hour__gte=0, per_sample__gte=0, per_item__gte=0, startup__gte=0),
                name="fee_standard_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.instrument} · {self.get_mode_display()}"


class Preference(models.Model):
    """A preferential rate for one class of user: set by a unit for its own instruments, or by
    the platform (no unit) for all. An order gets the single largest discount it qualifies for;
    discounts do not stack."""

    class Kind(models.TextChoices):
        SMALL_MICRO = "small_micro", _("small and micro enterprises (小微企业)")
        STARTUP_TEAM = "startup_team", _("innovation and start-up teams (创新创业团队)")
        PUBLIC_INTEREST = "public_interest", _("public-interest research")
        INTERNAL = "internal", _("internal users")

    unit = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fee_preferences",
        verbose_name=_("unit (empty: the whole platform)"),
    )
    kind = models.CharField(_("preferential class"), max_length=16, choices=Kind.choices)
    discount_percent = models.DecimalField(
        _("discount (per cent off)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("preferential rate")
        verbose_name_plural = _("preferential rates")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="preference_one_per_unit_kind"),
            models.UniqueConstraint(fields=["kind"], condition=Q(unit__isnull=True), name="preference_one_platform"),
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0, discount_percent__lte=100), name="preference_percent_range"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} −{self.discount_percent}%"
