"""The figures of the workspace page (dayi.web): a user's orders, a unit's orders, income and
external share, the operator's overview with overdue complaints. Each is a fixed number of
grouped queries, whatever the number of orders."""

from decimal import Decimal

from django.core.cache import cache
from django.db.models import Avg, Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from dayi.accounts.models import Organisation
from dayi.accounts.permissions import scope_of
from dayi.booking.models import ACTIVE_STATES, Order

from . import selectors
from .models import ASPECTS, Complaint, Outcome, Review

Status = Order.Status
# Income counts once the order is paid; a reviewed order was paid before it was rated.
PAID_STATES = (Status.SETTLED, Status.REVIEWED)
SERVED_STATES = (Status.COMPLETED, Status.REPORT_ISSUED, Status.SETTLED, Status.REVIEWED)
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def _money(expression_filter):
    return Coalesce(Sum("final_fee", filter=expression_filter), Value(ZERO), output_field=MONEY)


def _share(part, whole):
    return (Decimal(part) / Decimal(whole) * 100).quantize(Decimal("0.1")) if whole else None


def user_summary(user, *, year: int) -> dict:
    orders = Order.objects.filter(user=user, created_at__year=year)
    figures = orders.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(status__in=ACTIVE_STATES)),
        served=Count("id", filter=Q(status__in=SERVED_STATES)),
        spent=_money(Q(status__in=PAID_STATES)),
    )
    figures["awaiting_review"] = list(selectors.awaiting_review(user)[:5])
    figures["open_complaints"] = Complaint.objects.filter(user_open_complaints(user)).count()
    figures["year"] = year
    return figures


def user_open_complaints(user):
    return Q(complainant=user) & ~Q(status=Complaint.Status.CLOSED)


def _mean_rating(row):
    """Every review rates every aspect, so the mean of the aspects' means is the mean rating."""
    means = [row.get(f"rating_{name}") for name, _label in ASPECTS]
    if not means or means[0] is None:
        return None
    return round(sum(means) / len(means), 1)


def unit_summaries(user, *, year: int) -> list[dict]:
    """One row per unit the person runs: orders, income of paid orders, external share (by
    orders served and by income), mean rating, open complaints, outcomes."""
    unit_ids = scope_of(user).managed_unit_ids
    if not unit_ids:
        return []
    # Orders hang off instruments; aggregate them by owner in one query.
    by_unit = (
        Order.objects.filter(instrument__owner_id__in=unit_ids, created_at__year=year)
        .values(unit=F("instrument__owner_id"))
        .annotate(
            orders=Count("id"),
            active=Count("id", filter=Q(status__in=ACTIVE_STATES)),
            served=Count("id", filter=Q(status__in=SERVED_STATES)),
            external_served=Count("id", filter=Q(status__in=SERVED_STATES, is_external=True)),
            income=_money(Q(status__in=PAID_STATES)),
            external_income=_money(Q(status__in=PAID_STATES, is_external=True)),
            **{f"rating_{name}": Avg(f"review__{name}") for name, _label in ASPECTS},
        )
    )
    figures = {row["unit"]: row for row in by_unit}
    complaints = dict(
        Complaint.objects.filter(unit_id__in=unit_ids)
        .exclude(status=Complaint.Status.CLOSED)
        .values("unit")
        .annotate(n=Count("id"))
        .values_list("unit", "n")
    )
    outcomes = dict(
        Outcome.objects.filter(order__instrument__owner_id__in=unit_ids)
        .values("order__instrument__owner")
        .annotate(n=Count("id"))
        .values_list("order__instrument__owner", "n")
    )
    summaries = []
    for unit in Organisation.objects.filter(pk__in=unit_ids).order_by("name"):
        row = figures.get(unit.pk, {})
        served_count = row.get("served", 0)
        income = row.get("income", ZERO)
        summaries.append(
            {
                "unit": unit,
                "orders": row.get("orders", 0),
                "active": row.get("active", 0),
                "served": served_count,
                "income": income,
                "external_share": _share(row.get("external_served", 0), served_count),
                "external_income_share": _share(row.get("external_income", ZERO), income),
                "rating": _mean_rating(row),
                "open_complaints": complaints.get(unit.pk, 0),
                "outcomes": outcomes.get(unit.pk, 0),
            }
        )
    return summaries


# The year's order figures scan every order of the year (≈1 s at a million orders): shared
# through the cache for a few minutes; the complaint figures stay live.
OVERVIEW_CACHE_SECONDS = 300


def _platform_year(year: int) -> dict:
    figures = Order.objects.filter(created_at__year=year).aggregate(
        orders=Count("id"),
        served=Count("id", filter=Q(status__in=SERVED_STATES)),
        external_served=Count("id", filter=Q(status__in=SERVED_STATES, is_external=True)),
        income=_money(Q(status__in=PAID_STATES)),
    )
    figures["external_share"] = _share(figures.pop("external_served"), figures["served"])
    figures["reviews"] = Review.objects.filter(created_at__year=year).count()
    return figures


def operator_overview(*, year: int, today) -> dict:
    figures = cache.get_or_set(f"feedback:platform-year:{year}", lambda: _platform_year(year), OVERVIEW_CACHE_SECONDS)
    complaints = Complaint.objects.aggregate(
        open=Count("id", filter=~Q(status=Complaint.Status.CLOSED)),
        overdue=Count("id", filter=Q(status=Complaint.Status.OPEN, answer_due__lt=today)),
        escalated=Count("id", filter=Q(escalated_at__isnull=False) & ~Q(status=Complaint.Status.CLOSED)),
    )
    return {
        **figures,
        **complaints,
        "overdue_list": list(selectors.overdue_complaints(today=today)[:10]),
        "year": year,
    }
