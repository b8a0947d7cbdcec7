"""Rule sets: the money rules of one region for one period, as data (DOMAIN.md §5).

Regions differ and the rules change every year, so no amount, rate or cap lives in code: a
rule set is drafted by the platform operator, approved by an authority, and from then on only
superseded by a newer version, never edited.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 6, "decimal_places": 4}


class RuleSet(models.Model):
    class Kind(models.TextChoices):
        VOUCHER = "voucher", _("innovation voucher")
        SUBSIDY = "subsidy", _("testing subsidy")
        REWARD = "reward", _("owner-unit sharing reward")
        INSURANCE = "insurance", _("sharing insurance subsidy")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        SUPERSEDED = "superseded", _("superseded")

    region = models.ForeignKey(
        "accounts.Region", on_delete=models.PROTECT, related_name="rule_sets", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    version = models.PositiveIntegerField(_("version"), default=1)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Empty: until superseded."))
    source = models.TextField(_("source"), help_text=_("The policy document and article the numbers come from."))
    budget_total = models.DecimalField(
        _("budget for the period (yuan)"), null=True, blank=True, help_text=_("Empty: no budget line."), **MONEY
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("supersedes")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["region__path", "kind", "-valid_from", "-version"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")), name="ruleset_period"
            ),
            models.CheckConstraint(
                condition=Q(budget_total__isnull=True) | Q(budget_total__gte=0), name="ruleset_budget_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"

    def covers(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Rule(models.Model):
    """One payout rule: who is eligible, what counts, the tiered rates and the caps."""

    class Pays(models.TextChoices):
        VOUCHER_DEDUCTION = "voucher_deduction", _("voucher deduction")
        SUBSIDY = "subsidy", _("subsidy")
        REWARD = "reward", _("reward")
        INSURANCE_SUBSIDY = "insurance_subsidy", _("insurance subsidy")

    class Location(models.TextChoices):
        ANY = "any", _("any instrument")
        IN_REGION = "in_region", _("instrument in the region")
        OUT_OF_REGION = "out_of_region", _("instrument outside the region")

    class Relation(models.TextChoices):
        ANY = "any", _("internal or external")
        EXTERNAL = "external", _("external users only")
        INTERNAL = "internal", _("internal users only")

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules", verbose_name=_("rule set"))
    name = models.CharField(_("name"), max_length=120)
    pays = models.CharField(_("what it pays"), max_length=20, choices=Pays.choices)
    categories = models.JSONField(
        _("organisation categories"), default=list, blank=True, help_text=_("Empty: any category.")
    )
    flags = models.JSONField(
        _("organisation flags (any of)"),
        default=list,
        blank=True,
        help_text=_("is_tech_sme, is_small_micro, is_startup_team; empty: no flag needed."),
    )
    location = models.CharField(_("instrument location"), max_length=16, choices=Location.choices, default="any")
    relation = models.CharField(_("users"), max_length=10, choices=Relation.choices, default="any")
    only_without_local_match = models.BooleanField(
        _("only when no instrument in the region fits"),
        default=False,
        help_text=_(
            "For an instrument outside the region: refused while a public, shared instrument of the same "
            "national class is in the region."
        ),
    )
    fee_types = models.JSONField(
        _("fee types that count"), default=list, blank=True, help_text=_("Empty: every fee type.")
    )
    excluded_purposes = models.JSONField(_("excluded service purposes"), default=list, blank=True)
    grade = models.CharField(
        _("unit grade required"), max_length=12, blank=True, help_text=_("For insurance subsidies: excellent, good.")
    )
    base_cap = models.DecimalField(
        _("most of the base that counts (yuan)"),
        null=True,
        blank=True,
        help_text=_("E.g. the premium ceiling."),
        **MONEY,
    )
    cap_per_order = models.DecimalField(_("cap per order (yuan)"), null=True, blank=True, **MONEY)
    cap_per_instrument = models.DecimalField(_("cap per instrument (yuan)"), null=True, blank=True, **MONEY)
    cap_per_organisation = models.DecimalField(_("cap per organisation (yuan)"), null=True, blank=True, **MONEY)
    cap_per_year = models.DecimalField(_("cap per organisation per year (yuan)"), null=True, blank=True, **MONEY)
    province_share = models.DecimalField(_("province share"), default=1, **RATE)
    city_share = models.DecimalField(_("city share"), default=0, **RATE)
    min_city_match = models.DecimalField(
        _("city matches at least this many times the province"), null=True, blank=True, **RATE
    )
    note = models.TextField(_("condition in words"), blank=True)

    class Meta:
        ordering = ["rule_set", "id"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self):
        return self.name

    CAP_FIELDS = ("base_cap", "cap_per_order", "cap_per_instrument", "cap_per_organisation", "cap_per_year")


class Band(models.Model):
    """Rate over one amount band: `rate` of the part of the base between lower and upper."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="bands", verbose_name=_("rule"))
    lower = models.DecimalField(_("from (yuan)"), **MONEY)
    upper = models.DecimalField(_("up to (yuan)"), null=True, blank=True, help_text=_("Empty: no upper end."), **MONEY)
    rate = models.DecimalField(_("rate"), **RATE)

    class Meta:
        ordering = ["rule", "lower"]
        verbose_name = _("band")
        verbose_name_plural = _("bands")

    def __str__(self):
        return f"{self.lower}–{self.upper or '∞'} @ {self.rate}"
