"""Orders for the one-stop service (一指办) and the in-platform inbox."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Order(models.Model):
    """One request for service on one instrument. Machine time holds a time slot; the slot is
    held from submission until the order is completed, rejected or cancelled (ACTIVE_STATES), and the
    database refuses two active slots that overlap on one instrument (migration 0002)."""

    class Mode(models.TextChoices):
        MACHINE_TIME = "machine_time", _("machine time")
        SAMPLE_TESTING = "sample_testing", _("sample testing")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        SCHEDULED = "scheduled", _("scheduled")
        IN_SERVICE = "in_service", _("in service")
        COMPLETED = "completed", _("completed")
        REPORT_ISSUED = "report_issued", _("report issued")
        SETTLED = "settled", _("settled")
        REVIEWED = "reviewed", _("reviewed")
        CANCELLED = "cancelled", _("cancelled")
        NO_SHOW = "no_show", _("no-show")

    class Hazard(models.TextChoices):
        NONE = "none", _("no hazard")
        CHEMICAL = "chemical", _("toxic, corrosive or flammable chemicals")
        BIOLOGICAL = "biological", _("biological material")
        RADIOACTIVE = "radioactive", _("radioactive material")
        OTHER = "other", _("other hazard")

    class Disposal(models.TextChoices):
        RETURN = "return", _("return the samples to me")
        DISPOSE = "dispose", _("the unit disposes of the samples")

    class ServicePurpose(models.TextChoices):
        """What the service is for; rewards exclude duty, horizontal-project and statutory
        testing (DOMAIN.md §5), and evaluation counts research and enterprise R&D."""

        RESEARCH = "research", _("scientific research")
        ENTERPRISE_RND = "enterprise_rnd", _("enterprise R&D")
        PUBLIC_INTEREST = "public_interest", _("public-interest research")
        TEACHING = "teaching", _("teaching")
        DUTY_TESTING = "duty_testing", _("duty testing")
        HORIZONTAL_PROJECT = "horizontal_project", _("horizontal-project testing")
        STATUTORY = "statutory", _("mandatory or statutory testing")
        OTHER = "other", _("other")

    instrument = models.ForeignKey(
        "catalog.Instrument", on_delete=models.PROTECT, related_name="orders", verbose_name=_("instrument")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("user organisation"),
    )
    mode = models.CharField(_("service mode"), max_length=16, choices=Mode.choices, default=Mode.MACHINE_TIME)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    starts_at = models.DateTimeField(_("start"), null=True, blank=True)
    ends_at = models.DateTimeField(_("end"), null=True, blank=True)
    is_external = models.BooleanField(
        _("external user"), help_text=_("Not a member of the owning unit; decides rewards and evaluation later.")
    )
    purpose = models.CharField(_("purpose of use"), max_length=200)
    service_purpose = models.CharField(
        _("service purpose"), max_length=20, choices=ServicePurpose.choices, default=ServicePurpose.RESEARCH
    )
    quoted_fee = models.DecimalField(_("quoted fee (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    final_fee = models.DecimalField(_("final fee (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    fee_working = models.TextField(_("how the fee was computed"), blank=True)
    fee_reason = models.TextField(_("why the final fee differs from the quote"), blank=True)
    sample_count = models.PositiveIntegerField(_("number of samples"), null=True, blank=True)
    test_items = models.TextField(_("test items"), blank=True)
    sample_description = models.TextField(_("sample description"), blank=True)
    hazard = models.CharField(_("hazard declaration"), max_length=12, choices=Hazard.choices, blank=True)
    hazard_details = models.TextField(_("hazard details"), blank=True)
    disposal = models.CharField(_("after testing"), max_length=8, choices=Disposal.choices, blank=True)
    series = models.ForeignKey(
        "booking.RecurringSeries",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("recurring booking"),
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    note = models.TextField(_("note to the instrument manager"), blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.CheckConstraint(
                condition=~Q(mode="machine_time")
                | Q(starts_at__isnull=False, ends_at__isnull=False, starts_at__lt=F("ends_at")),
                name="order_machine_time_has_a_slot",
            ),
            models.CheckConstraint(
                condition=~Q(mode="sample_testing") | Q(sample_count__gte=1),
                name="order_sample_testing_has_samples",
            ),
            models.CheckConstraint(
                condition=Q(quoted_fee__isnull=True) | Q(quoted_fee__gte=0), name="order_quoted_fee_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(final_fee__isnull=True) | Q(final_fee__gte=0), name="order_final_fee_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["instrument", "starts_at"], name="order_instrument_start_idx"),
            models.Index(fields=["user", "-created_at"], name="order_user_idx"),
            models.Index(fields=["instrument", "status"], name="order_instrument_status_idx"),
        ]

    def __str__(self):
        return _("Order %(number)s") % {"number": self.pk}

    @property
    def holds_slot(self):
        return self.status in ACTIVE_STATES


# The states that hold a machine-time slot: the database constraint (migrations 0002, 0004) uses
# the same list. A slot stays held while the user is at the instrument (in service); once the
# order is completed the rest of the slot is free again.
ACTIVE_STATES = (Order.Status.SUBMITTED, Order.Status.ACCEPTED, Order.Status.SCHEDULED, Order.Status.IN_SERVICE)


class Notification(models.Model):
    """A message in a person's in-platform inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications", verbose_name=_("order")
    )
    message = models.CharField(_("message"), max_length=300)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx")]

    def __str__(self):
        return self.message
