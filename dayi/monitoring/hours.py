"""Hours per instrument per day, month and year, the unit's corrections beside the measured
figures, and the comparison with the hours units report (catalog YearlyUsage).

Effective hours are the in-use time (the national definition); running hours are the time
powered on. A corrected day counts its corrected effective hours; the measured ones are
always kept and shown too.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Min
from django.utils import timezone

from dayi.catalog.models import YearlyUsage

from . import conf
from .matching import service_totals
from .models import DailyUsage, HoursCorrection, SensorBinding

PERIODS = ("day", "month", "year")


@dataclass
class Hours:
    period: date  # the day, or the first day of the month or year
    running_s: int = 0
    in_use_s: int = 0
    offline_s: int = 0
    effective_s: int = 0  # in use, with the unit's corrections
    corrected_days: int = 0

    @property
    def running_hours(self) -> float:
        return round(self.running_s / 3600, 2)

    @property
    def measured_hours(self) -> float:
        return round(self.in_use_s / 3600, 2)

    @property
    def effective_hours(self) -> float:
        return round(self.effective_s / 3600, 2)

    @property
    def offline_hours(self) -> float:
        return round(self.offline_s / 3600, 2)

    @property
    def is_corrected(self) -> bool:
        return self.corrected_days > 0

    def as_dict(self) -> dict:
        return {
            "period": self.period,
            "running_hours": self.running_hours,
            "measured_effective_hours": self.measured_hours,
            "effective_hours": self.effective_hours,
            "offline_hours": self.offline_hours,
            "corrected_days": self.corrected_days,
        }


def _key(day: date, period: str) -> date:
    if period == "year":
        return date(day.year, 1, 1)
    if period == "month":
        return day.replace(day=1)
    return day


def hours(instrument_ids, *, period: str = "month", first: date, last: date) -> dict[int, list[Hours]]:
    """{instrument id: [Hours per period, in order]} for the local days first..last."""
    if period not in PERIODS:
        raise ValueError(period)
    rows = defaultdict(dict)

    def cell(instrument_id, day):
        key = _key(day, period)
        if key not in rows[instrument_id]:
            rows[instrument_id][key] = Hours(key)
        return rows[instrument_id][key]

    measured = {}
    daily = DailyUsage.objects.filter(instrument_id__in=instrument_ids, day__gte=first, day__lte=last)
    for instrument_id, day, running, in_use, offline in daily.values_list(
        "instrument_id", "day", "running_seconds", "in_use_seconds", "offline_seconds"
    ):
        row = cell(instrument_id, day)
        row.running_s += running
        row.in_use_s += in_use
        row.offline_s += offline
        row.effective_s += in_use
        measured[instrument_id, day] = in_use
    corrections = HoursCorrection.objects.filter(instrument_id__in=instrument_ids, day__gte=first, day__lte=last)
    for instrument_id, day, seconds in corrections.values_list("instrument_id", "day", "in_use_seconds"):
        row = cell(instrument_id, day)
        row.effective_s += seconds - measured.get((instrument_id, day), 0)
        row.corrected_days += 1
    return {iid: [by_key[k] for k in sorted(by_key)] for iid, by_key in rows.items()}


def months_of_year(instrument_id: int, year: int) -> list[Hours]:
    """Twelve rows, empty months included, for the months chart."""
    found = {
        row.period: row
        for row in hours([instrument_id], first=date(year, 1, 1), last=date(year, 12, 31)).get(instrument_id, [])
    }
    return [found.get(date(year, month, 1), Hours(date(year, month, 1))) for month in range(1, 13)]


def year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    return datetime.combine(date(year, 1, 1), time(), tz), datetime.combine(date(year + 1, 1, 1), time(), tz)


def _measured_whole_year(instrument_ids, year: int) -> set[int]:
    """Instruments whose first sensor was bound by the start of the year: only their measured
    hours cover the year the unit reports."""
    start, _end = year_bounds(year)
    first = (
        SensorBinding.objects.filter(instrument_id__in=instrument_ids)
        .values("instrument_id")
        .annotate(first=Min("bound_from"))
    )
    return {row["instrument_id"] for row in first if row["first"] <= start}


@dataclass
class Comparison:
    instrument_id: int
    year: int
    measured_whole_year: bool
    reported_running: Decimal | None
    measured_running: float
    reported_service: Decimal | None
    measured_effective: float
    reported_external: Decimal | None
    measured_external: float
    sharing_rate: float | None
    tolerance: float

    def _differs(self, reported, measured) -> bool:
        if reported is None or not self.measured_whole_year:
            return False
        reported = float(reported)
        if measured == 0:
            return reported > 0
        return abs(reported - measured) / measured > self.tolerance

    @property
    def differences(self) -> list[str]:
        """The reported figures that differ from the measured ones by more than the tolerance."""
        pairs = {
            "running_hours": (self.reported_running, self.measured_running),
            "service_hours": (self.reported_service, self.measured_effective),
            "external_service_hours": (self.reported_external, self.measured_external),
        }
        return [name for name, (reported, measured) in pairs.items() if self._differs(reported, measured)]

    @property
    def flagged(self) -> bool:
        return bool(self.differences)


def compare_reported(instrument_ids, year: int) -> dict[int, Comparison]:
    """Reported (YearlyUsage) against measured hours of one year, per instrument, in a fixed
    number of queries: `instrument_ids` is a list, or a queryset of ids that every query
    takes as a subquery."""
    start, end = year_bounds(year)
    whole = _measured_whole_year(instrument_ids, year)
    services = service_totals(instrument_ids, start, end)
    effective = {
        iid: rows[0].effective_s if rows else 0
        for iid, rows in hours(instrument_ids, period="year", first=date(year, 1, 1), last=date(year, 12, 31)).items()
    }
    reported = {
        row.instrument_id: row for row in YearlyUsage.objects.filter(instrument_id__in=instrument_ids, year=year)
    }
    tolerance = conf.reported_hours_tolerance()
    result = {}
    for iid in services:
        report = reported.get(iid)
        service = services[iid]
        result[iid] = Comparison(
            instrument_id=iid,
            year=year,
            measured_whole_year=iid in whole,
            reported_running=report.running_hours if report else None,
            measured_running=round(service.running_s / 3600, 1),
            reported_service=report.service_hours if report else None,
            measured_effective=round(effective.get(iid, 0) / 3600, 1),
            reported_external=report.external_service_hours if report else None,
            measured_external=service.external_service_hours,
            sharing_rate=service.sharing_rate,
            tolerance=tolerance,
        )
    return result


def flagged(instruments, year: int) -> list[Comparison]:
    """Of `instruments` (a queryset), those whose reported hours of the year are flagged, each
    with `instrument_name`; all of them, in a fixed number of queries."""
    reported = YearlyUsage.objects.filter(year=year, instrument__in=instruments).values_list("instrument_id", flat=True)
    flags = [c for c in compare_reported(reported, year).values() if c.flagged]
    names = dict(instruments.filter(pk__in=reported).values_list("pk", "name"))
    for flag in flags:
        flag.instrument_name = names.get(flag.instrument_id, "")
    return sorted(flags, key=lambda flag: (flag.instrument_name, flag.instrument_id))
