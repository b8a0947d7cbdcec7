"""Reads for the feedback pages, each limited to what the person may see."""

from django.db.models import Avg, BooleanField, Case, Count, Q, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.accounts.permissions import scope_of
from dayi.booking import services as booking
from dayi.booking.models import Order
from dayi.catalog.selectors import visible_instruments
from dayi.core.errors import PermissionDenied

from .models import ASPECTS, Complaint, Outcome, Review


def masked_name(user) -> str:
    """What a review shows of its author: the first character only (王** for 王小明)."""
    name = str(user)
    return f"{name[:1]}**"


# Reviews ------------------------------------------------------------------------------------


def instrument_for_reviews(user, pk):
    return get_object_or_404(visible_instruments(user), pk=pk)


def instrument_reviews(instrument):
    return Review.objects.filter(order__instrument=instrument).select_related("author")


def review_summary(instrument) -> dict:
    """Count, the mean of each aspect and the overall mean, one query."""
    figures = instrument_reviews(instrument).aggregate(
        count=Count("id"), **{name: Avg(name) for name, _label in ASPECTS}
    )
    count = figures.pop("count")
    aspects = [(label, figures[name]) for name, label in ASPECTS]
    overall = sum(value for _label, value in aspects) / len(aspects) if count else None
    return {"count": count, "aspects": aspects, "overall": overall}


# Orders -------------------------------------------------------------------------------------


def _run_by(user):
    units = scope_of(user).managed_unit_ids
    return Q(instrument__owner_id__in=units) | Q(instrument__operator_id__in=units)


def orders_seen_by(user):
    """The orders whose review and outcomes this person may read: their own, those on the
    instruments their unit runs, all for the operator."""
    queryset = Order.objects.select_related("instrument", "instrument__owner", "user")
    if scope_of(user).is_operator:
        return queryset
    return queryset.filter(Q(user=user) | _run_by(user))


def order_for_feedback(user, pk) -> Order:
    return get_object_or_404(orders_seen_by(user), pk=pk)


def awaiting_review(user):
    """The person's orders they can rate now."""
    return (
        Order.objects.filter(user=user, status__in=booking.REVIEWABLE_STATES, review__isnull=True)
        .select_related("instrument")
        .order_by("-updated_at", "-id")
    )


# Outcomes -----------------------------------------------------------------------------------


def order_outcomes(order):
    return Outcome.objects.filter(order=order)


def outcomes_seen_by(user):
    """Outcomes of the orders this person may read (the unit's and the operator's list)."""
    queryset = Outcome.objects.select_related("order__instrument__owner", "recorded_by")
    if scope_of(user).is_operator:
        return queryset
    return queryset.filter(Q(recorded_by=user) | Q(order__in=orders_seen_by(user).values("pk")))


# Complaints ---------------------------------------------------------------------------------

# What a list row shows; joining the orders and instruments too would make PostgreSQL join
# before it sorts and cuts the page (≈0.3 s for 8,000 open complaints instead of a few ms).
COMPLAINT_RELATIONS = ("unit", "complainant")


def _overdue_flag(today):
    return Case(
        When(status=Complaint.Status.OPEN, answer_due__lt=today, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _listed(condition, today=None):
    """Complaints with their `overdue` flag, newest first."""
    return (
        Complaint.objects.annotate(overdue=_overdue_flag(today or timezone.localdate()))
        .filter(condition)
        .select_related(*COMPLAINT_RELATIONS)
    )


def my_complaints(user, *, today=None):
    return _listed(Q(complainant=user), today)


def complaints_about_my_units(user, *, today=None):
    return _listed(Q(unit_id__in=scope_of(user).managed_unit_ids), today)


def escalated_in_my_region(user, *, today=None):
    scope = scope_of(user)
    if not scope.authority_region_paths:
        return Complaint.objects.none()
    return _listed(scope.region_filter("unit__region") & Q(escalated_at__isnull=False), today)


def complaints_seen_by(user, *, today=None):
    """Every complaint this person may read (the API's list)."""
    scope = scope_of(user)
    if scope.is_operator:
        return _listed(Q(), today)
    condition = Q(complainant=user) | Q(unit_id__in=scope.managed_unit_ids)
    if scope.authority_region_paths:
        condition |= scope.region_filter("unit__region") & Q(escalated_at__isnull=False)
    return _listed(condition, today)


def operator_queue(user, *, today=None):
    """Every complaint not closed: the overdue first, then by due date."""
    if not scope_of(user).is_operator:
        raise PermissionDenied(_("Only the platform operator sees the complaint queue."))
    return open_complaints_by_urgency(today=today)


def open_complaints_by_urgency(*, today=None):
    return _listed(~Q(status=Complaint.Status.CLOSED), today).order_by("-overdue", "answer_due", "filed_at", "id")


def overdue_complaints(*, today=None):
    today = today or timezone.localdate()
    return _listed(Q(status=Complaint.Status.OPEN, answer_due__lt=today), today).order_by(
        "answer_due", "filed_at", "id"
    )


def complaint_for(user, pk) -> Complaint:
    """The complainant, the operator, the unit it is about, and once escalated the authority of
    the unit's region may read a complaint."""
    scope = scope_of(user)
    complaint = get_object_or_404(
        Complaint.objects.select_related(*COMPLAINT_RELATIONS, "unit__region", "order__instrument", "escalated_to"),
        pk=pk,
    )
    allowed = (
        scope.is_operator
        or complaint.complainant_id == user.pk
        or complaint.unit_id in scope.managed_unit_ids
        or (complaint.escalated_at is not None and scope.can_see_region(complaint.unit.region))
    )
    if not allowed:
        raise PermissionDenied(_("You may not read this complaint."))
    return complaint


def complaint_record(complaint):
    return complaint.entries.select_related("author")
