"""The instrument record: every field of DOMAIN.md §2, including those of the national
network platform (nrii), so that a record can be exchanged without loss."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .classification import Category, Discipline, InstrumentClass
from .theme import Theme

TEN_THOUSAND = Decimal("10000")
# The national platform's limits; a TextField's max_length alone only reaches the form widget.
SPECS_LIMIT, FUNCTIONS_LIMIT = 500, 300


class InstrumentQuerySet(models.QuerySet):
    def public(self):
        """What a visitor may see: approved by the operator and not confidential."""
        return self.filter(entry_status=Instrument.EntryStatus.APPROVED, is_confidential=False)


class Instrument(models.Model):
    class EntryStatus(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted for review")
        RETURNED = "returned", _("returned for changes")
        APPROVED = "approved", _("in the network")

    class Source(models.TextChoices):
        PURCHASED = "purchased", _("purchased")
        BUILT = "built", _("self-built")
        DONATED = "donated", _("donated")
        OTHER = "other", _("other")

    class Purpose(models.TextChoices):
        GENERAL = "general", _("general purpose")
        SPECIAL = "special", _("special purpose")

    class Funding(models.TextChoices):
        CENTRAL_FISCAL = "central_fiscal", _("central fiscal funds")
        LOCAL_FISCAL = "local_fiscal", _("local fiscal funds")
        OWN = "own", _("unit's own funds")
        OTHER = "other", _("other")

    class SharingMode(models.TextChoices):
        EXTERNAL = "external", _("open to external users")
        INTERNAL = "internal", _("internal sharing only")
        NONE = "none", _("not shared")

    class RunningStatus(models.TextChoices):
        NORMAL = "normal", _("normal")
        STANDBY = "standby", _("standby")
        REMOTE = "remote", _("in remote service")
        OCCASIONAL_FAULT = "occasional_fault", _("occasional faults")
        FREQUENT_FAULT = "frequent_fault", _("frequent faults")
        AWAITING_REPAIR = "awaiting_repair", _("awaiting repair")
        AWAITING_SCRAP = "awaiting_scrap", _("awaiting scrapping")

    class UsageStatus(models.TextChoices):
        IN_USE = "in_use", _("in use")
        UNDER_REPAIR = "under_repair", _("under repair")
        IDLE = "idle", _("idle")
        SCRAPPED = "scrapped", _("scrapped")

    # Identity
    name = models.CharField(_("Chinese name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="instruments",
        limit_choices_to={"is_management_unit": True},
        verbose_name=_("management unit"),
    )
    operator = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operated_instruments",
        limit_choices_to={"is_third_party_operator": True},
        verbose_name=_("third-party operator"),
    )
    inventory_number = models.CharField(_("inventory number"), max_length=64)
    is_pilot_scale = models.BooleanField(_("pilot-scale equipment (中试装置)"), default=False)

    # Classification
    instrument_class = models.ForeignKey(
        InstrumentClass,
        on_delete=models.PROTECT,
        related_name="instruments",
        limit_choices_to={"is_assignable": True},
        verbose_name=_("class code"),
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="instruments", editable=False
    )
    disciplines = models.ManyToManyField(Discipline, blank=True, verbose_name=_("disciplines"))
    themes = models.ManyToManyField(Theme, blank=True, related_name="instruments", verbose_name=_("themes"))

    # Origin and value
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.PURCHASED)
    customs_supervised = models.BooleanField(_("under customs supervision"), default=False)
    purpose = models.CharField(_("general or special purpose"), max_length=8, choices=Purpose.choices)
    model_number = models.CharField(_("model"), max_length=128, blank=True)
    manufacturer = models.CharField(_("manufacturer"), max_length=128, blank=True)
    country = CountryField(_("country of manufacture"), default="CN")
    original_value = models.DecimalField(
        _("original value (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    acceptance_date = models.DateField(_("acceptance date"), null=True, blank=True)
    funding = models.CharField(_("funding source"), max_length=16, choices=Funding.choices)

    # Description
    technical_specs = models.TextField(
        _("technical specifications"),
        max_length=SPECS_LIMIT,
        blank=True,
        validators=[MaxLengthValidator(SPECS_LIMIT)],
    )
    main_functions = models.TextField(
        _("main functions"),
        max_length=FUNCTIONS_LIMIT,
        blank=True,
        validators=[MaxLengthValidator(FUNCTIONS_LIMIT)],
    )
    service_content = models.TextField(_("service content"), blank=True)
    typical_outcomes = models.TextField(_("typical outcomes"), blank=True)

    # Sharing and service
    sharing_mode = models.CharField(
        _("sharing mode"), max_length=8, choices=SharingMode.choices, default=SharingMode.EXTERNAL
    )
    running_status = models.CharField(
        _("running status"), max_length=16, choices=RunningStatus.choices, default=RunningStatus.NORMAL
    )
    usage_status = models.CharField(_("status"), max_length=16, choices=UsageStatus.choices, default=UsageStatus.IN_USE)
    offers_machine_time = models.BooleanField(_("machine-time booking"), default=False)
    offers_sample_testing = models.BooleanField(_("sample testing"), default=True)
    offers_joint_rd = models.BooleanField(_("joint R&D"), default=False)
    offers_leasing = models.BooleanField(_("leasing"), default=False)
    fee_standard = models.TextField(_("fee standard"), blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    cma_certified = models.BooleanField(_("CMA certified"), default=False)
    cnas_accredited = models.BooleanField(_("CNAS accredited"), default=False)

    # Place and contact
    region = models.ForeignKey(
        "accounts.Region", on_delete=models.PROTECT, related_name="instruments", verbose_name=_("region")
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)

    # Network entry (入网)
    is_confidential = models.BooleanField(_("confidential (registered, not published)"), default=False)
    entry_status = models.CharField(
        _("network entry"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    entry_return_reason = models.TextField(_("reason for return"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("entered the network at"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["-approved_at", "-id"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.UniqueConstraint(fields=["owner", "inventory_number"], name="instrument_inventory_unique"),
            models.CheckConstraint(condition=Q(original_value__gte=0), name="instrument_value_not_negative"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("technical_specs"), SPECS_LIMIT), name="instrument_specs_length"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("main_functions"), FUNCTIONS_LIMIT), name="instrument_functions_length"
            ),
        ]
        indexes = [
            models.Index(fields=["entry_status", "is_confidential", "-approved_at"], name="instrument_public_idx"),
            models.Index(fields=["original_value"], name="instrument_value_idx"),
            # Browsing a category of the public catalogue (with a value band, region or unit)
            # is counted from this index alone; the rows themselves are wide.
            models.Index(
                fields=["category", "original_value"],
                include=["region", "owner"],
                condition=Q(entry_status="approved", is_confidential=False),
                name="instrument_public_category_idx",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def value_wan(self):
        """Original value in 万元 with 2 decimals, as the national platform records it."""
        return (self.original_value / TEN_THOUSAND).quantize(Decimal("0.01"))

    @property
    def is_public(self):
        return self.entry_status == self.EntryStatus.APPROVED and not self.is_confidential

    @property
    def is_fiscal(self):
        return self.funding in (self.Funding.CENTRAL_FISCAL, self.Funding.LOCAL_FISCAL)

    def service_modes(self):
        modes = [
            (self.offers_machine_time, _("machine-time booking")),
            (self.offers_sample_testing, _("sample testing")),
            (self.offers_joint_rd, _("joint R&D")),
            (self.offers_leasing, _("leasing")),
        ]
        return [label for offered, label in modes if offered]


class InstrumentPhoto(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="instruments/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=128, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or self.image.name


class YearlyUsage(models.Model):
    """The yearly running and service hours the national platform asks for; filled by the
    unit today and by the sensors once monitoring exists."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="yearly_usage")
    year = models.PositiveSmallIntegerField(_("year"))
    running_hours = models.DecimalField(_("running hours"), max_digits=7, decimal_places=1, default=0)
    service_hours = models.DecimalField(_("service hours"), max_digits=7, decimal_places=1, default=0)
    external_service_hours = models.DecimalField(_("external service hours"), max_digits=7, decimal_places=1, default=0)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("yearly usage")
        verbose_name_plural = _("yearly usage")
        constraints = [models.UniqueConstraint(fields=["instrument", "year"], name="yearly_usage_unique")]

    def __str__(self):
        return f"{self.instrument} {self.year}"
