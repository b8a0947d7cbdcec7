"""Complaints to the platform operator, with a closed-loop record: filed → answered (first
answer due within 3 working days [001 §一.2]) → confirmed by the complainant or reopened;
overdue ones are escalated to the authority of the unit's region."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Complaint(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("waiting for an answer")
        ANSWERED = "answered", _("answered, waiting for confirmation")
        CLOSED = "closed", _("closed")

    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("complainant")
    )
    order = models.ForeignKey(
        "booking.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("order"),
    )
    unit = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="complaints", verbose_name=_("unit")
    )
    subject = models.CharField(_("subject"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    filed_at = models.DateTimeField(_("filed at"))
    answer_due = models.DateField(_("answer due"))
    first_answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    statement_requested_at = models.DateTimeField(_("unit's statement requested at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        "accounts.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalated to the authority of"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="complaint_closed_has_time"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "answer_due"], name="complaint_queue_idx"),
            models.Index(fields=["unit", "-filed_at"], name="complaint_unit_idx"),
            models.Index(fields=["complainant", "-filed_at"], name="complaint_user_idx"),
        ]

    def __str__(self):
        return _("Complaint %(number)s") % {"number": self.pk}


class ComplaintEntry(models.Model):
    """One step of the record, in order: what was said and done, by whom, when."""

    class Kind(models.TextChoices):
        FILED = "filed", _("complaint filed")
        STATEMENT_REQUESTED = "statement_requested", _("unit's statement requested")
        STATEMENT = "statement", _("unit's statement")
        ANSWER = "answer", _("operator's answer")
        CONFIRMED = "confirmed", _("confirmed as resolved")
        REOPENED = "reopened", _("reopened")
        ESCALATED = "escalated", _("escalated")

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="entries", verbose_name=_("complaint")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    text = models.TextField(_("text"), blank=True, max_length=4000)
    created_at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("complaint record entry")
        verbose_name_plural = _("complaint record entries")

    def __str__(self):
        return f"{self.complaint_id} · {self.get_kind_display()}"
