"""Innovation vouchers (创新券): applications, grants, payments with real-time deduction, the
append-only ledger and the owner units' redemption batches."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .rules import MONEY, RuleSet

# SQLite keeps decimals as floating point, where 1500.00 + 1499.99 need not equal 2999.99 to the
# last bit: the parts must add up to within half a fen, which on whole-fen amounts is exactly.
HALF_FEN = Decimal("0.005")


def adds_up(total: str, *parts: str) -> Q:
    summed = sum((F(part) for part in parts[1:]), F(parts[0]))
    return Q(**{f"{total}__gte": summed - HALF_FEN}) & Q(**{f"{total}__lte": summed + HALF_FEN})


class VoucherApplication(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        GRANTED = "granted", _("granted")
        REJECTED = "rejected", _("rejected")

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="voucher_applications"
    )
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+", verbose_name=_("voucher scheme"))
    amount_requested = models.DecimalField(_("amount requested (yuan)"), **MONEY)
    purpose = models.TextField(_("what the vouchers are for"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    decision_reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("voucher application")
        verbose_name_plural = _("voucher applications")
        constraints = [models.CheckConstraint(condition=Q(amount_requested__gt=0), name="voucher_application_positive")]

    def __str__(self):
        return _("Voucher application %(number)s") % {"number": self.pk}


class VoucherGrant(models.Model):
    """An approved amount of vouchers. `remaining` is the account balance; the database refuses
    it below zero or above the amount, so no race can overdraw a grant."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        EXPIRED = "expired", _("expired")

    application = models.OneToOneField(
        VoucherApplication, on_delete=models.PROTECT, null=True, blank=True, related_name="grant"
    )
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="voucher_grants")
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="grants")
    amount = models.DecimalField(_("amount granted (yuan)"), **MONEY)
    province_part = models.DecimalField(_("province part (yuan)"), **MONEY)
    city_part = models.DecimalField(_("city part (yuan)"), **MONEY)
    remaining = models.DecimalField(_("remaining (yuan)"), **MONEY)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_to", "-id"]
        verbose_name = _("voucher grant")
        verbose_name_plural = _("voucher grants")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_amount_positive"),
            models.CheckConstraint(
                condition=Q(remaining__gte=-HALF_FEN) & Q(remaining__lte=F("amount") + HALF_FEN),
                name="grant_remaining_in_range",
            ),
            models.CheckConstraint(
                condition=Q(province_part__gte=0, city_part__gte=0) & adds_up("amount", "province_part", "city_part"),
                name="grant_parts_sum",
            ),
            models.CheckConstraint(condition=Q(valid_to__gte=F("valid_from")), name="grant_validity"),
        ]

    def __str__(self):
        return _("Voucher grant %(number)s") % {"number": self.pk}


class AnnualUsage(models.Model):
    """What one organisation drew from one scheme in one year, against the scheme's yearly cap.
    The check constraint is the last line of defence; the service locks this row first."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    used = models.DecimalField(default=0, **MONEY)
    cap = models.DecimalField(null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("yearly usage")
        verbose_name_plural = _("yearly usage")
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "organisation", "year"], name="annual_usage_unique"),
            models.CheckConstraint(
                condition=Q(used__gte=-HALF_FEN) & (Q(cap__isnull=True) | Q(used__lte=F("cap") + HALF_FEN)),
                name="annual_usage_in_cap",
            ),
        ]

    def __str__(self):
        return f"{self.rule_set_id}/{self.organisation_id}/{self.year}: {self.used}"


class RedemptionBatch(models.Model):
    """An owner unit's claim for the voucher parts of its settled orders: submitted → approved →
    paid (or rejected, which frees the payments for a new batch)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        PAID = "paid", _("paid")
        REJECTED = "rejected", _("rejected")

    unit = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="redemption_batches")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    total = models.DecimalField(_("total (yuan)"), **MONEY)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("redemption batch")
        verbose_name_plural = _("redemption batches")

    def __str__(self):
        return _("Redemption batch %(number)s") % {"number": self.pk}


class Payment(models.Model):
    """The payment of one order: the voucher part deducted at once, the user paying the rest."""

    class Status(models.TextChoices):
        PAID = "paid", _("paid")
        REFUNDED = "refunded", _("refunded")

    order = models.ForeignKey("booking.Order", on_delete=models.PROTECT, related_name="payments")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    grant = models.ForeignKey(VoucherGrant, on_delete=models.PROTECT, null=True, blank=True, related_name="payments")
    fee = models.DecimalField(_("fee (yuan)"), **MONEY)
    voucher_amount = models.DecimalField(_("paid by voucher (yuan)"), **MONEY)
    province_part = models.DecimalField(_("province part (yuan)"), default=0, **MONEY)
    city_part = models.DecimalField(_("city part (yuan)"), default=0, **MONEY)
    paid_by_user = models.DecimalField(_("paid by the user (yuan)"), **MONEY)
    working = models.TextField(_("working"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PAID)
    batch = models.ForeignKey(RedemptionBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="payments")
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    paid_at = models.DateTimeField(_("paid at"))
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)

    class Meta:
        ordering = ["-paid_at", "-id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(fields=["order"], condition=Q(status="paid"), name="one_payment_per_order"),
            models.CheckConstraint(
                condition=Q(voucher_amount__gte=0, paid_by_user__gte=0)
                & adds_up("fee", "voucher_amount", "paid_by_user"),
                name="payment_parts_sum",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="payment_unit_status_idx")]

    def __str__(self):
        return _("Payment of order %(number)s") % {"number": self.order_id}


class AppendOnly(models.Model):
    """Entries are written once; a correction is a new entry."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("ledger entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("ledger entries are append-only")


class LedgerEntry(AppendOnly):
    """One movement on a grant's account; the sum of a grant's entries is its `remaining`."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("granted")
        DEDUCTION = "deduction", _("deducted at payment")
        REFUND = "refund", _("returned by refund")
        EXPIRY = "expiry", _("released at expiry")

    grant = models.ForeignKey(VoucherGrant, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("amount (yuan)"), help_text=_("Positive adds to the balance."), **MONEY)
    balance_after = models.DecimalField(_("balance after (yuan)"), **MONEY)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="entries")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("working"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["grant", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self):
        return f"{self.grant_id} {self.kind} {self.amount}"
