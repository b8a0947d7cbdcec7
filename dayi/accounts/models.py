"""People, organisations, roles and the region tree (DOMAIN.md §1)."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A node of province → city → county/district, keyed by its administrative division code.

    `path` holds the codes from the root down ("320000/320800/320812/") so that a whole
    subtree is one indexed prefix query: an authority sees exactly its subtree.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province")
        CITY = 2, _("city")
        COUNTY = 3, _("county / district / park")

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    path = models.CharField(max_length=128, db_index=True, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent else "") + self.code + "/"
        super().save(*args, **kwargs)

    def subtree(self):
        return Region.objects.filter(path__startswith=self.path)

    @property
    def full_name(self):
        names = []
        node = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))


class Organisation(models.Model):
    """A unit: owner of instruments, user of them, third-party operator, or several at once.

    A university both owns instruments and sends its researchers to other units' instruments,
    so the roles are flags on one record rather than separate tables.
    """

    class Category(models.TextChoices):
        UNIVERSITY = "university", _("university")
        INSTITUTE = "institute", _("research institute")
        TEST_CENTRE = "test_centre", _("testing centre")
        ENTERPRISE = "enterprise", _("enterprise")
        HOSPITAL = "hospital", _("hospital")
        PLATFORM = "platform", _("innovation platform")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=128, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=32, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[RegexValidator(r"^[0-9A-HJ-NPQRTUWXY]{18}$", _("An 18-character unified social credit code."))],
    )
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("region"))
    is_management_unit = models.BooleanField(_("management unit (owns instruments)"), default=False)
    is_user_organisation = models.BooleanField(_("user organisation"), default=True)
    is_third_party_operator = models.BooleanField(_("third-party operator"), default=False)
    is_tech_sme = models.BooleanField(_("technology-based SME (科技型中小企业)"), default=False)
    is_small_micro = models.BooleanField(_("small or micro enterprise (小微企业)"), default=False)
    is_startup_team = models.BooleanField(_("innovation and start-up team (创新创业团队)"), default=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["is_management_unit", "name"])]

    def __str__(self):
        return self.name


phone_validator = RegexValidator(r"^1[3-9]\d{9}$", _("Enter an 11-digit mainland mobile number."))


class User(AbstractUser):
    """A person. Logs in with username, phone or email (see backends.py)."""

    phone = models.CharField(_("mobile phone"), max_length=11, blank=True, validators=[phone_validator])
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation"),
    )
    display_name = models.CharField(_("name"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="user_phone_unique"),
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="user_email_unique"),
        ]

    def __str__(self):
        return self.display_name or self.username


class Role(models.TextChoices):
    """The roles of DOMAIN.md §1 that need a grant; a visitor is anyone not logged in and
    every registered person is a user."""

    UNIT_ADMIN = "unit_admin", _("unit administrator")
    INSTRUMENT_MANAGER = "instrument_manager", _("instrument manager")
    OPERATOR = "operator", _("platform operator")
    AUTHORITY = "authority", _("authority")
    EXPERT = "expert", _("expert")


class RoleGrant(models.Model):
    """One role held by one person, scoped to an organisation (unit roles) or a region (authority)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("organisation")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region"))
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["unit_admin", "instrument_manager"]) | Q(organisation__isnull=False),
                name="unit_role_needs_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(role="authority") | Q(region__isnull=False),
                name="authority_role_needs_region",
            ),
        ]

    def __str__(self):
        scope = self.organisation or self.region or ""
        return f"{self.user} · {self.get_role_display()} {scope}".strip()
