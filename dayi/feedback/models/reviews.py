"""A user's rating of one completed order (投诉评价, DOMAIN.md §4)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The aspects a user rates, 1 to 5 each; their mean is the order's overall rating.
ASPECTS = (
    ("attitude", _("service attitude")),
    ("timeliness", _("timeliness")),
    ("quality", _("quality of results")),
    ("value", _("value for money")),
)


def score_field(label):
    return models.PositiveSmallIntegerField(label, choices=[(n, str(n)) for n in range(1, 6)])


class Review(models.Model):
    """One per order (the order's own user, once it is completed). The national service record
    grades satisfaction in five words (非常满意 … 极差); `grade` maps the mean onto them."""

    order = models.OneToOneField(
        "booking.Order", on_delete=models.PROTECT, related_name="review", verbose_name=_("order")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("author")
    )
    attitude = score_field(_("service attitude"))
    timeliness = score_field(_("timeliness"))
    quality = score_field(_("quality of results"))
    value = score_field(_("value for money"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    attitude__range=(1, 5), timeliness__range=(1, 5), quality__range=(1, 5), value__range=(1, 5)
                ),
                name="review_scores_one_to_five",
            ),
        ]

    def __str__(self):
        return _("Review of order %(number)s") % {"number": self.order_id}

    @property
    def overall(self) -> Decimal:
        total = sum(getattr(self, name) for name, _label in ASPECTS)
        return (Decimal(total) / len(ASPECTS)).quantize(Decimal("0.1"))

    @property
    def grade(self):
        return grade_of(self.overall)


GRADES = (
    (Decimal("4.5"), _("very satisfied")),
    (Decimal("3.5"), _("satisfied")),
    (Decimal("2.5"), _("fair")),
    (Decimal("1.5"), _("poor")),
    (Decimal("0"), _("very poor")),
)


def grade_of(mean: Decimal):
    return next(label for floor, label in GRADES if mean >= floor)
