"""Testing subsidies for enterprises, yearly sharing rewards for owner units, and sharing
insurance (共享保) with its subsidy by the unit's grade."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .rules import MONEY, RuleSet


class SubsidyApplication(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="subsidy_applications"
    )
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("subsidy scheme"))
    year = models.PositiveSmallIntegerField(_("year of the fees"))
    counted_fees = models.DecimalField(_("fees that count (yuan)"), default=0, **MONEY)
    amount = models.DecimalField(_("subsidy (yuan)"), default=0, **MONEY)
    working = models.TextField(_("working"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    decision_reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("subsidy application")
        verbose_name_plural = _("subsidy applications")

    def __str__(self):
        return _("Subsidy application %(number)s") % {"number": self.pk}


class SubsidyItem(models.Model):
    """One fee claimed: an order done on the platform, or an uploaded invoice for a test done
    elsewhere. An order is claimed at most once while its application is not rejected."""

    application = models.ForeignKey(SubsidyApplication, on_delete=models.CASCADE, related_name="items")
    order = models.ForeignKey("booking.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    invoice_file = models.FileField(_("invoice"), upload_to="funding/invoices/%Y/", blank=True)
    provider = models.CharField(_("testing provider"), max_length=128, blank=True)
    service_purpose = models.CharField(_("service purpose"), max_length=20, blank=True)
    amount = models.DecimalField(_("fee (yuan)"), **MONEY)
    counted = models.BooleanField(_("counts"), default=True)
    reason = models.CharField(_("why it does not count"), max_length=200, blank=True)
    active = models.BooleanField(default=True, help_text=_("False once the application is rejected."))

    class Meta:
        verbose_name = _("subsidy item")
        verbose_name_plural = _("subsidy items")
        constraints = [
            models.UniqueConstraint(
                fields=["order"], condition=Q(order__isnull=False, active=True), name="order_subsidised_once"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="subsidy_item_positive"),
            models.CheckConstraint(
                condition=Q(order__isnull=False) | ~Q(invoice_number=""), name="subsidy_item_has_evidence"
            ),
        ]

    def __str__(self):
        return self.invoice_number or _("Order %(number)s") % {"number": self.order_id}


class RewardRun(models.Model):
    """The owner-unit sharing rewards of one year under one rule set: computed, then approved by
    the authority."""

    class Status(models.TextChoices):
        COMPUTED = "computed", _("computed")
        APPROVED = "approved", _("approved")

    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="reward_runs")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.COMPUTED)
    total = models.DecimalField(_("total (yuan)"), default=0, **MONEY)
    basis = models.TextField(_("rule applied"), blank=True, help_text=_("Heads every line's working."))
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    computed_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("reward run")
        verbose_name_plural = _("reward runs")

    def __str__(self):
        return f"{self.rule_set} · {self.year}"


class RewardLine(models.Model):
    run = models.ForeignKey(RewardRun, on_delete=models.CASCADE, related_name="lines")
    unit = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    instrument = models.ForeignKey("catalog.Instrument", on_delete=models.PROTECT, related_name="+")
    external_fees = models.DecimalField(_("external service fees (yuan)"), **MONEY)
    excluded_fees = models.DecimalField(_("excluded fees (yuan)"), **MONEY)
    amount = models.DecimalField(_("reward (yuan)"), **MONEY)
    working = models.TextField(_("working"))

    class Meta:
        ordering = ["run", "unit", "instrument"]
        indexes = [models.Index(fields=["run", "unit"], name="reward_line_unit_idx")]

    def __str__(self):
        return f"{self.instrument_id}: {self.amount}"


class UnitGrade(models.Model):
    """A unit's evaluation grade for a year, entered by the operator until the evaluation app
    produces it."""

    unit = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.CharField(_("grade"), max_length=12)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="unit_grade_unique")]

    def __str__(self):
        return f"{self.unit_id} {self.year} {self.grade}"


class InsurancePolicy(models.Model):
    unit = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    instrument = models.ForeignKey("catalog.Instrument", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("policy year"))
    insurer = models.CharField(_("insurer"), max_length=128)
    premium = models.DecimalField(_("premium (yuan)"), **MONEY)
    cover = models.DecimalField(_("cover (yuan)"), **MONEY)
    subsidy = models.DecimalField(_("subsidy (yuan)"), default=0, **MONEY)
    working = models.TextField(_("working"), blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "instrument"]
        verbose_name = _("sharing insurance policy")
        verbose_name_plural = _("sharing insurance policies")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "year"], name="one_policy_per_instrument_year"),
            models.CheckConstraint(condition=Q(premium__gt=0, cover__gt=0), name="policy_amounts_positive"),
        ]

    def __str__(self):
        return f"{self.instrument_id} {self.year}"
