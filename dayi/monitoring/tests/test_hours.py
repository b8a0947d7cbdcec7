"""Hours per day, month and year; corrections with a reason, audited; sessions inside orders;
the reported-against-measured flag; sensor coverage."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from dayi.audit.models import AuditEntry
from dayi.booking.models import Order
from dayi.catalog.models import Instrument, YearlyUsage
from dayi.core.errors import DomainError, PermissionDenied
from dayi.monitoring import hours, selectors
from dayi.monitoring.matching import service_totals
from dayi.monitoring.models import HoursCorrection, SensorBinding, SensorState
from dayi.monitoring.services import bind_sensor, correct_hours, register_sensor

from .conftest import SHANGHAI, add_session

pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


D1, D2, D3 = date(2025, 3, 2), date(2025, 3, 3), date(2025, 4, 1)


@pytest.fixture
def measured(sensor, approved_instrument):
    """Running 8–18 with 6 h in use on two March days, and 2 h in use on 1 April 2025."""
    for day in (D1, D2):
        add_session(sensor, approved_instrument, "running", at(day, 8), at(day, 18))
        add_session(sensor, approved_instrument, "in_use", at(day, 9), at(day, 15))
    add_session(sensor, approved_instrument, "running", at(D3, 9), at(D3, 12))
    add_session(sensor, approved_instrument, "in_use", at(D3, 10), at(D3, 12))
    return approved_instrument


def test_hours_by_day_month_and_year(measured):
    iid = measured.pk
    days = hours.hours([iid], period="day", first=date(2025, 1, 1), last=date(2025, 12, 31))[iid]
    assert [(r.period, r.running_hours, r.effective_hours) for r in days] == [
        (D1, 10, 6),
        (D2, 10, 6),
        (D3, 3, 2),
    ]
    months = hours.hours([iid], period="month", first=date(2025, 1, 1), last=date(2025, 12, 31))[iid]
    assert [(r.period, r.running_hours, r.effective_hours) for r in months] == [
        (date(2025, 3, 1), 20, 12),
        (date(2025, 4, 1), 3, 2),
    ]
    (year,) = hours.hours([iid], period="year", first=date(2025, 1, 1), last=date(2025, 12, 31))[iid]
    assert (year.period, year.running_hours, year.effective_hours) == (date(2025, 1, 1), 23, 14)
    twelve = hours.months_of_year(iid, 2025)
    assert len(twelve) == 12 and twelve[0].effective_hours == 0 and twelve[2].effective_hours == 12


def test_a_correction_counts_is_shown_beside_the_measured_figure_and_is_audited(measured, unit_admin):
    correct_hours(actor=unit_admin, instrument=measured, day=D1, in_use_hours=Decimal("8.5"), reason="传感器夹错线")
    (march,) = [r for r in hours.months_of_year(measured.pk, 2025) if r.period == date(2025, 3, 1)]
    assert (march.measured_hours, march.effective_hours, march.corrected_days) == (12, 14.5, 1)
    entry = AuditEntry.objects.get(action="instrument.hours_corrected")
    assert entry.reason == "传感器夹错线"
    assert entry.changes == {"day": "2025-03-02", "in_use_hours": ["6.00", "8.50"], "measured": "6.00"}

    correct_hours(actor=unit_admin, instrument=measured, day=D1, in_use_hours=Decimal("7"), reason="再次核对记录")
    assert HoursCorrection.objects.get().in_use_seconds == 7 * 3600
    assert AuditEntry.objects.filter(action="instrument.hours_corrected").latest("pk").changes["in_use_hours"] == [
        "8.50",
        "7.00",
    ]


def test_a_day_without_measurement_can_be_corrected(measured, unit_admin):
    correct_hours(
        actor=unit_admin, instrument=measured, day=date(2025, 5, 6), in_use_hours=Decimal(3), reason="传感器断电"
    )
    (may,) = [r for r in hours.months_of_year(measured.pk, 2025) if r.period == date(2025, 5, 1)]
    assert (may.measured_hours, may.effective_hours) == (0, 3)


@pytest.mark.parametrize(
    ("value", "reason", "field"),
    [
        (Decimal(25), "合理的原因", "in_use_hours"),
        (Decimal(-1), "合理的原因", "in_use_hours"),
        (Decimal(2), "短", "reason"),
    ],
)
def test_a_correction_needs_a_reason_and_a_possible_figure(measured, unit_admin, value, reason, field):
    with pytest.raises(DomainError) as refused:
        correct_hours(actor=unit_admin, instrument=measured, day=D1, in_use_hours=value, reason=reason)
    assert refused.value.field == field
    assert not HoursCorrection.objects.exists()


def test_another_unit_cannot_correct(measured, other_unit_admin):
    with pytest.raises(PermissionDenied):
        correct_hours(
            actor=other_unit_admin, instrument=measured, day=D1, in_use_hours=Decimal(1), reason="不是我的仪器"
        )


@pytest.fixture
def orders(measured, make_user):
    customer = make_user("customer")

    def order(start, end, *, external, status=Order.Status.COMPLETED):
        return Order.objects.create(
            instrument=measured,
            user=customer,
            mode=Order.Mode.MACHINE_TIME,
            status=status,
            starts_at=start,
            ends_at=end,
            is_external=external,
            purpose="测试",
        )

    return {
        "external": order(at(D1, 8), at(D1, 12), external=True),  # 3 h in use inside (9–12)
        "internal": order(at(D1, 13), at(D1, 17), external=False),  # 2 h in use inside (13–15)
        "cancelled": order(at(D2, 8), at(D2, 18), external=True, status=Order.Status.CANCELLED),
        "outside": order(at(D2, 19), at(D2, 21), external=True),  # nothing measured
    }


def test_sessions_are_matched_to_the_orders_they_fall_in(orders, measured):
    start, end = hours.year_bounds(2025)
    totals = service_totals([measured.pk], start, end)[measured.pk]
    by_order = {m.order_id: m.seconds for m in totals.orders}
    assert orders["cancelled"].pk not in by_order
    assert by_order[orders["external"].pk] == {"running": 4 * 3600, "in_use": 3 * 3600}
    assert by_order[orders["internal"].pk] == {"running": 4 * 3600, "in_use": 2 * 3600}
    assert by_order[orders["outside"].pk] == {"running": 0, "in_use": 0}
    assert (totals.external_service_hours, totals.internal_service_hours) == (3, 2)
    assert totals.sharing_rate == round(3 / 23, 4)


def test_a_session_across_the_edge_of_the_period_counts_only_its_part_inside(orders, measured):
    start, end = at(D1, 10), at(D1, 11)
    totals = service_totals([measured.pk], start, end)[measured.pk]
    assert (totals.running_s, totals.external_in_use_s) == (3600, 3600)


@override_settings(DAYI_MONITORING_REPORTED_TOLERANCE=0.2)
def test_reported_hours_far_from_the_measured_ones_are_flagged(orders, measured, sensor):
    SensorBinding.objects.filter(sensor=sensor).update(bound_from=at(date(2024, 12, 1), 0))
    YearlyUsage.objects.create(
        instrument=measured,
        year=2025,
        running_hours=Decimal("24"),
        service_hours=Decimal("14"),
        external_service_hours=Decimal("30"),
    )
    comparison = hours.compare_reported([measured.pk], 2025)[measured.pk]
    assert comparison.measured_whole_year
    assert (comparison.measured_running, comparison.measured_effective, comparison.measured_external) == (23, 14, 3)
    assert comparison.differences == ["external_service_hours"]
    flags = hours.flagged(Instrument.objects.filter(pk=measured.pk), 2025)
    assert [(c.instrument_id, c.instrument_name) for c in flags] == [(measured.pk, measured.name)]


def test_the_flags_cover_every_reported_instrument_in_a_fixed_number_of_queries(make_instrument, unit, unit_admin):
    made = []

    def reported_far_from_measured(count):
        for _ in range(count):
            n = len(made)
            instrument = make_instrument(name=f"质谱仪 {n:03d}")
            sensor, _secret = register_sensor(actor=unit_admin, owner=unit, code=f"FLAG-{n:03d}")
            bind_sensor(actor=unit_admin, sensor=sensor, instrument=instrument, at=at(date(2024, 12, 1), 0))
            add_session(sensor, instrument, "running", at(D1, 8), at(D1, 18))
            YearlyUsage.objects.create(instrument=instrument, year=2025, running_hours=Decimal("900"))
            made.append(instrument.pk)

    def counted():
        with CaptureQueriesContext(connection) as queries:
            flags = hours.flagged(Instrument.objects.filter(owner=unit), 2025)
        return sorted(c.instrument_id for c in flags), len(queries)

    reported_far_from_measured(2)
    few, few_queries = counted()
    reported_far_from_measured(10)
    many, many_queries = counted()

    assert few == made[:2] and many == made
    assert many_queries == few_queries


def test_no_flag_when_the_sensor_came_during_the_year(orders, measured):
    YearlyUsage.objects.create(instrument=measured, year=2025, running_hours=Decimal("2000"))
    comparison = hours.compare_reported([measured.pk], 2025)[measured.pk]
    assert not comparison.measured_whole_year and not comparison.flagged


def test_coverage_counts_networked_instruments_with_a_working_sensor(
    sensor, approved_instrument, make_instrument, unit_admin, operator, other_unit_admin
):
    from dayi.lifecycle.services import approve_entry, submit_for_entry

    second = make_instrument(name="液相色谱仪", inventory_number="INV-2")
    submit_for_entry(actor=unit_admin, instrument=second)
    approve_entry(actor=operator, instrument=second)
    make_instrument(name="草稿仪器", inventory_number="INV-3")  # not in the network: not counted
    now = at(date(2026, 3, 2), 12)
    SensorState.objects.create(sensor=sensor, offline_after=now + timedelta(minutes=2))

    total, units = selectors.coverage(unit_admin, now=now)
    assert (total.networked, total.bound, total.working, total.percent) == (2, 1, 1, "50%")
    assert not total.meets_target
    assert [(u.label, u.working) for u in units] == [(approved_instrument.owner.name, 1)]

    total, _ = selectors.coverage(unit_admin, now=now + timedelta(minutes=3))  # the sensor fell silent
    assert total.working == 0
    total, units = selectors.coverage(other_unit_admin, now=now)
    assert total.networked == 0 and units == []
