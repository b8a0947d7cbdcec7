"""Measured hours inside orders: which running and in-use time fell inside which booked slot.

An order counts once it was served (in service or any later step short of cancellation) and
has a slot (`starts_at`–`ends_at`; a sample-testing order without one cannot be matched). The
booking rules forbid two active slots overlapping on one instrument, so each second of a
session falls in at most one order. External service hours are the effective (in-use)
hours inside orders of external users; the sharing rate is external service hours over
running hours (DOMAIN.md §7).
"""

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from dayi.booking.models import Order

from .models import UsageSession

SERVED = (
    Order.Status.IN_SERVICE,
    Order.Status.COMPLETED,
    Order.Status.REPORT_ISSUED,
    Order.Status.SETTLED,
    Order.Status.REVIEWED,
)
MEASURED_KINDS = (UsageSession.Kind.RUNNING, UsageSession.Kind.IN_USE)


@dataclass
class OrderMatch:
    order_id: int
    is_external: bool
    starts_at: datetime
    ends_at: datetime
    seconds: dict = field(default_factory=lambda: dict.fromkeys(MEASURED_KINDS, 0.0))


@dataclass
class ServiceTotals:
    running_s: float = 0.0
    in_use_s: float = 0.0
    internal_in_use_s: float = 0.0
    external_in_use_s: float = 0.0
    orders: list = field(default_factory=list)

    @property
    def external_service_hours(self) -> float:
        return round(self.external_in_use_s / 3600, 1)

    @property
    def internal_service_hours(self) -> float:
        return round(self.internal_in_use_s / 3600, 1)

    @property
    def sharing_rate(self) -> float | None:
        """External service hours over running hours; None when the instrument never ran."""
        return None if not self.running_s else round(self.external_in_use_s / self.running_s, 4)


def _overlap(a_start, a_end, b_start, b_end) -> float:
    return max(0.0, (min(a_end, b_end) - max(a_start, b_start)).total_seconds())


def service_totals(instrument_ids, start: datetime, end: datetime) -> dict[int, ServiceTotals]:
    """{instrument id: ServiceTotals} over [start, end): measured running and in-use time, and
    how much of the in-use time fell in internal and in external orders. `instrument_ids`: a
    list, or a queryset of ids (then each query takes it as a subquery: no id list however many)."""
    totals = defaultdict(ServiceTotals)
    sessions = defaultdict(lambda: {kind: [] for kind in MEASURED_KINDS})
    rows = UsageSession.objects.filter(
        instrument_id__in=instrument_ids, kind__in=MEASURED_KINDS, started_at__lt=end, ended_at__gt=start
    ).values_list("instrument_id", "kind", "started_at", "ended_at")
    for instrument_id, kind, s, e in rows.order_by("started_at"):
        s, e = max(s, start), min(e, end)
        sessions[instrument_id][kind].append((s, e))
        if kind == UsageSession.Kind.RUNNING:
            totals[instrument_id].running_s += (e - s).total_seconds()
        else:
            totals[instrument_id].in_use_s += (e - s).total_seconds()
    ends = {iid: {kind: [e for _, e in spans] for kind, spans in kinds.items()} for iid, kinds in sessions.items()}
    orders = Order.objects.filter(
        instrument_id__in=instrument_ids,
        status__in=SERVED,
        starts_at__isnull=False,
        ends_at__isnull=False,
        starts_at__lt=end,
        ends_at__gt=start,
    ).values_list("pk", "instrument_id", "is_external", "starts_at", "ends_at")
    for pk, instrument_id, is_external, o_start, o_end in orders.order_by("starts_at"):
        match = OrderMatch(pk, is_external, o_start, o_end)
        o_start, o_end = max(o_start, start), min(o_end, end)
        for kind, spans in sessions.get(instrument_id, {}).items():
            # Sessions of one kind never overlap: skip those ending before the order starts.
            for s, e in spans[bisect_left(ends[instrument_id][kind], o_start) :]:
                if s >= o_end:
                    break
                match.seconds[kind] += _overlap(s, e, o_start, o_end)
        in_use = match.seconds[UsageSession.Kind.IN_USE]
        if is_external:
            totals[instrument_id].external_in_use_s += in_use
        else:
            totals[instrument_id].internal_in_use_s += in_use
        totals[instrument_id].orders.append(match)
    return {instrument_id: totals[instrument_id] for instrument_id in list(instrument_ids)}
