"""Reads of monitoring data, each limited to what the person may see: a unit its own
instruments, an authority its region, the operator everything."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.accounts.permissions import scope_of
from dayi.catalog.models import Instrument
from dayi.core.errors import PermissionDenied
from dayi.core.workdays import add_working_days

from . import conf
from .models import DailyUsage, IdleCase, Reading, SensorBinding, UsageSession

LIVE_STATES = ("in_use", "on", "off", "offline")


def install_deadline(instrument: Instrument) -> date | None:
    """The sensor is due within 30 working days of network entry [002 §一, 003 §2]."""
    if instrument.approved_at is None:
        return None
    days = getattr(settings, "DAYI_SENSOR_INSTALL_WORKING_DAYS", 30)
    return add_working_days(timezone.localdate(instrument.approved_at), days)


def install_is_overdue(instrument: Instrument, today: date | None = None) -> bool:
    """No sensor by the deadline: either none yet and the deadline has passed, or the first came late."""
    deadline = install_deadline(instrument)
    if deadline is None:
        return False
    first = instrument.sensor_bindings.order_by("bound_from").values_list("bound_from", flat=True).first()
    if first is not None:
        return timezone.localdate(first) > deadline
    return (today or timezone.localdate()) > deadline


def monitored_instruments(user):
    """The instruments whose monitoring this person may see; anyone else is refused."""
    scope = scope_of(user)
    if scope.is_operator:
        return Instrument.objects.all()
    if not (scope.managed_unit_ids or scope.authority_region_paths):
        raise PermissionDenied(_("Monitoring is open to units, authorities and the platform operator."))
    condition = Q(owner_id__in=scope.managed_unit_ids)
    if scope.authority_region_paths:
        condition |= scope.region_filter("region")
    return Instrument.objects.filter(condition)


def live_status(user, *, state: str = "", now: datetime | None = None):
    """The sensors now bound to the person's instruments, each annotated `live`: in_use, on,
    off or offline (silent past its offline moment, or never heard from)."""
    now = now or timezone.now()
    silent = Q(sensor__state__isnull=True) | Q(sensor__state__offline_after__isnull=True)
    silent |= Q(sensor__state__offline_after__lt=now)
    bindings = (
        SensorBinding.objects.filter(bound_to__isnull=True, instrument__in=monitored_instruments(user))
        .select_related("sensor__state", "instrument__owner")
        .annotate(
            live=Case(When(silent, then=Value("offline")), default=F("sensor__state__level"), output_field=CharField())
        )
        .order_by("instrument__owner__name", "instrument__name", "pk")
    )
    if state in LIVE_STATES:
        bindings = bindings.filter(live=state)
    return bindings


def live_counts(user, *, now=None) -> dict:
    counts = dict.fromkeys(LIVE_STATES, 0)
    for row in live_status(user, now=now).order_by().values("live").annotate(n=Count("pk")):
        counts[row["live"]] = row["n"]
    counts["all"] = sum(counts.values())
    return counts


def instrument_for_monitoring(user, pk) -> Instrument:
    instruments = monitored_instruments(user).select_related("owner")
    return get_object_or_404(instruments, pk=pk)


def day_bounds(day: date):
    tz = timezone.get_default_timezone()
    return datetime.combine(day, time(), tz), datetime.combine(day + timedelta(days=1), time(), tz)


def day_of_instrument(instrument: Instrument, day: date) -> dict:
    """Power over one local day, its sessions and its hours, for the day chart."""
    start, end = day_bounds(day)
    readings = Reading.objects.filter(instrument=instrument, ts__gte=start, ts__lt=end).order_by("ts")
    points = [
        [timezone.localtime(ts).isoformat(), power, current]
        for ts, power, current in readings.values_list("ts", "power_w", "current_ma")
    ]
    sessions = UsageSession.objects.filter(instrument=instrument, started_at__lt=end, ended_at__gt=start)
    usage = DailyUsage.objects.filter(instrument=instrument, day=day).first()
    return {
        "points": points,
        "sessions": [
            {
                "kind": s.kind,
                "label": s.get_kind_display(),
                "start": timezone.localtime(max(s.started_at, start)).isoformat(),
                "end": timezone.localtime(min(s.ended_at, end)).isoformat(),
                "open": s.is_open,
            }
            for s in sessions.order_by("started_at")
        ],
        "usage": usage,
    }


def offline_cutoff(now: datetime) -> datetime:
    return now - timedelta(minutes=conf.offline_notice_minutes())


def offline_bindings(user=None, *, now: datetime | None = None):
    """Sensors bound now and silent longer than the offline notice time, each annotated with
    `silent_since` (its last reading, or its binding when it never sent one here). Without a
    user: all of them, for the notice job."""
    silent_since = Greatest(Coalesce("sensor__state__last_reading_at", "bound_from"), "bound_from")
    bindings = SensorBinding.objects.filter(bound_to__isnull=True, sensor__is_active=True)
    if user is not None:
        bindings = bindings.filter(instrument__in=monitored_instruments(user))
    return (
        bindings.annotate(silent_since=silent_since)
        .filter(silent_since__lt=offline_cutoff(now or timezone.now()))
        .select_related("sensor", "instrument__owner")
        .order_by("silent_since", "pk")
    )


def idle_cases(user, *, view: str = "open"):
    """The idle cases of the person's instruments: `open` (all steps), one step, `review`
    (explanations waiting for the operator) or `closed`."""
    cases = IdleCase.objects.filter(instrument__in=monitored_instruments(user)).select_related(
        "instrument__owner", "instrument__region", "explained_by"
    )
    if view == "closed":
        return cases.filter(closed_at__isnull=False).order_by("-closed_at", "-pk")
    cases = cases.filter(closed_at__isnull=True).order_by("idle_since", "pk")
    if view == "review":
        return cases.filter(explanation_status=IdleCase.Explanation.SUBMITTED)
    if view in IdleCase.Step.values:
        return cases.filter(step=view)
    return cases


@dataclass
class Coverage:
    """Networked instruments (in the network, not scrapped), those with a sensor bound now, and
    those whose sensor works (reported within its offline allowance)."""

    label: str
    networked: int
    bound: int
    working: int
    unit_id: int | None = None

    @property
    def share(self) -> float | None:
        return None if not self.networked else self.working / self.networked

    @property
    def percent(self) -> str:
        return "–" if self.share is None else f"{self.share:.0%}"

    @property
    def meets_target(self) -> bool:
        return self.share is not None and self.share >= conf.coverage_target()


def coverage(user, *, now: datetime | None = None) -> tuple[Coverage, list[Coverage]]:
    """Sensor coverage of the person's networked instruments: the total and one row per unit."""
    now = now or timezone.now()
    bound = SensorBinding.objects.filter(instrument=OuterRef("pk"), bound_to__isnull=True)
    rows = (
        monitored_instruments(user)
        .filter(entry_status=Instrument.EntryStatus.APPROVED)
        .exclude(usage_status=Instrument.UsageStatus.SCRAPPED)
        .alias(
            has_sensor=Exists(bound),
            works=Exists(bound.filter(sensor__is_active=True, sensor__state__offline_after__gte=now)),
        )
        .order_by()
        .values("owner_id", "owner__name")
        .annotate(
            networked=Count("pk"),
            bound=Count("pk", filter=Q(has_sensor=True)),
            working=Count("pk", filter=Q(works=True)),
        )
        .order_by("owner__name")
    )
    units = [Coverage(r["owner__name"], r["networked"], r["bound"], r["working"], r["owner_id"]) for r in rows]
    total = Coverage(
        _("All"),
        sum(u.networked for u in units),
        sum(u.bound for u in units),
        sum(u.working for u in units),
    )
    return total, units
