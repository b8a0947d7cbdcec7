from datetime import date, time

import pytest

from dayi.audit.models import AuditEntry
from dayi.booking.availability import first_open_day
from dayi.booking.configuration import add_closure, save_rules, set_opening_hours
from dayi.booking.models import Notification, Order
from dayi.booking.services import accept_order, book_slot, cancel_order, reject_order
from dayi.core.errors import DomainError, PermissionDenied
from dayi.workcalendar.models import CalendarDay

from .conftest import NOW, at, default_rules

WEDNESDAY = date(2026, 6, 3)
Status = Order.Status


def book(instrument, user, start, end, **kwargs):
    return book_slot(
        actor=user, instrument=instrument, starts_at=start, ends_at=end, purpose="材料表征", now=NOW, **kwargs
    )


def refusal(instrument, user, start, end):
    with pytest.raises(DomainError) as caught:
        book(instrument, user, start, end)
    return caught.value.message


def test_a_booking_waits_for_approval_then_is_scheduled(bookable, trained, manager):
    order = book(bookable, trained, at(WEDNESDAY, 9), at(WEDNESDAY, 11))
    assert order.status == Status.SUBMITTED and order.is_external
    assert order.organisation == trained.organisation
    assert Notification.objects.filter(recipient=manager, order=order).exists()
    accept_order(actor=manager, order=order)
    order.refresh_from_db()
    assert order.status == Status.SCHEDULED
    actions = list(AuditEntry.objects.filter(target_type="booking.order").values_list("action", flat=True))
    assert set(actions) == {"order.submitted", "order.accepted", "order.scheduled"}
    assert Notification.objects.filter(recipient=trained, order=order).count() == 2


def test_without_approval_a_booking_is_scheduled_at_once(make_bookable, researcher, unit_admin):
    from dayi.booking.configuration import grant_qualification

    instrument = make_bookable(rules={"needs_approval": False})
    grant_qualification(actor=unit_admin, instrument=instrument, user=researcher)
    assert book(instrument, researcher, at(WEDNESDAY, 9), at(WEDNESDAY, 10)).status == Status.SCHEDULED


def test_a_held_slot_cannot_be_booked_again(bookable, trained, make_user, unit_admin):
    from dayi.booking.configuration import grant_qualification

    book(bookable, trained, at(WEDNESDAY, 9), at(WEDNESDAY, 11))
    other = make_user("other", organisation=trained.organisation)
    grant_qualification(actor=unit_admin, instrument=bookable, user=other)
    assert "刚被" in refusal(bookable, other, at(WEDNESDAY, 10), at(WEDNESDAY, 12))
    assert book(bookable, other, at(WEDNESDAY, 11), at(WEDNESDAY, 12)).status == Status.SUBMITTED


def test_a_rejected_slot_is_free_again(bookable, trained, manager):
    order = book(bookable, trained, at(WEDNESDAY, 9), at(WEDNESDAY, 11))
    with pytest.raises(DomainError):
        reject_order(actor=manager, order=order, reason=" ")
    reject_order(actor=manager, order=order, reason="当天设备校准")
    assert Order.objects.get(pk=order.pk).decision_reason == "当天设备校准"
    assert book(bookable, trained, at(WEDNESDAY, 9), at(WEDNESDAY, 11)).status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("start", "end", "rule"),
    [
        (at(WEDNESDAY, 11), at(WEDNESDAY, 9), "时间"),
        (at(date(2026, 5, 29), 9), at(date(2026, 5, 29), 10), "时间"),
        (at(date(2026, 6, 1), 14), at(date(2026, 6, 1), 15), "提前预约"),
        (at(date(2026, 7, 8), 9), at(date(2026, 7, 8), 10), "可预约天数"),
        (at(WEDNESDAY, 9, 10), at(WEDNESDAY, 10), "时间粒度"),
        (at(WEDNESDAY, 9), at(WEDNESDAY, 9), "时间"),
        (at(date(2026, 6, 6), 9), at(date(2026, 6, 6), 10), "开放时间"),
        (at(WEDNESDAY, 11), at(WEDNESDAY, 14), "开放时间"),
    ],
)
def test_each_rule_refuses_with_its_name(bookable, trained, start, end, rule):
    message = refusal(bookable, trained, start, end)
    assert rule in message and "规则" in message
    assert not Order.objects.exists()


def test_length_limits(make_bookable, researcher, unit_admin):
    from dayi.booking.configuration import grant_qualification

    instrument = make_bookable(rules={"min_minutes": 60, "max_minutes": 120})
    grant_qualification(actor=unit_admin, instrument=instrument, user=researcher)
    assert "最短时长" in refusal(instrument, researcher, at(WEDNESDAY, 9), at(WEDNESDAY, 9, 30))
    assert "最长时长" in refusal(instrument, researcher, at(WEDNESDAY, 8), at(WEDNESDAY, 11))


def test_training_is_required_for_self_operation(bookable, researcher):
    assert "培训" in refusal(bookable, researcher, at(WEDNESDAY, 9), at(WEDNESDAY, 10))


def test_internal_and_external_users(make_bookable, researcher, make_user, unit, unit_admin):
    from dayi.booking.configuration import grant_qualification

    instrument = make_bookable(rules={"allow_external": False, "training_required": False})
    assert "可预约对象" in refusal(instrument, researcher, at(WEDNESDAY, 9), at(WEDNESDAY, 10))
    colleague = make_user("colleague", organisation=unit)
    order = book(instrument, colleague, at(WEDNESDAY, 9), at(WEDNESDAY, 10))
    assert not order.is_external
    internal_only = make_bookable(sharing_mode="internal", rules={"training_required": False})
    grant_qualification(actor=unit_admin, instrument=internal_only, user=researcher)
    assert "可预约对象" in refusal(internal_only, researcher, at(WEDNESDAY, 9), at(WEDNESDAY, 10))


def test_an_instrument_without_machine_time_or_rules_is_not_bookable(make_bookable, make_instrument, trained):
    no_machine_time = make_bookable(offers_machine_time=False)
    assert "机时预约" in refusal(no_machine_time, trained, at(WEDNESDAY, 9), at(WEDNESDAY, 10))
    draft = make_instrument(offers_machine_time=True)
    assert "机时预约" in refusal(draft, trained, at(WEDNESDAY, 9), at(WEDNESDAY, 10))


def test_official_holidays_close_the_instrument_and_make_up_days_open_it(make_bookable, researcher, unit_admin):
    from dayi.booking.configuration import grant_qualification

    instrument = make_bookable(rules={"max_days_ahead": 366})
    grant_qualification(actor=unit_admin, instrument=instrument, user=researcher)
    assert "开放时间" in refusal(instrument, researcher, at(date(2026, 10, 1), 9), at(date(2026, 10, 1), 10))
    assert book(instrument, researcher, at(date(2026, 10, 10), 9), at(date(2026, 10, 10), 10))
    CalendarDay.objects.create(date=date(2026, 6, 10), kind=CalendarDay.Kind.HOLIDAY, name="测试假日")
    assert "开放时间" in refusal(instrument, researcher, at(date(2026, 6, 10), 9), at(date(2026, 6, 10), 10))


def test_a_date_in_a_year_the_calendar_package_does_not_know(make_bookable, researcher, unit_admin):
    from dayi.booking.configuration import grant_qualification

    instrument = make_bookable(rules={"max_days_ahead": 366})
    grant_qualification(actor=unit_admin, instrument=instrument, user=researcher)
    now = at(date(2026, 12, 20), 9)
    order = book_slot(
        actor=researcher,
        instrument=instrument,
        starts_at=at(date(2027, 1, 4), 9),
        ends_at=at(date(2027, 1, 4), 10),
        purpose="年初测试",
        now=now,
    )
    assert order.status == Status.SUBMITTED


def test_a_closure_blocks_and_cancels_bookings_with_notice(bookable, trained, unit_admin):
    order = book(bookable, trained, at(WEDNESDAY, 9), at(WEDNESDAY, 11))
    _closure, cancelled = add_closure(
        actor=unit_admin,
        instrument=bookable,
        kind="maintenance",
        starts_at=at(WEDNESDAY, 8),
        ends_at=at(WEDNESDAY, 12),
        reason="更换灯丝",
    )
    assert cancelled == [order]
    assert Order.objects.get(pk=order.pk).status == Status.CANCELLED
    assert Notification.objects.filter(recipient=trained, message__contains="更换灯丝").exists()
    assert "停用" in refusal(bookable, trained, at(WEDNESDAY, 9), at(WEDNESDAY, 10))


def test_the_user_cancels_before_the_deadline_only(bookable, trained, manager):
    early = book(bookable, trained, at(WEDNESDAY, 9), at(WEDNESDAY, 10))
    accept_order(actor=manager, order=early)
    cancel_order(actor=trained, order=early, now=NOW)
    assert Order.objects.get(pk=early.pk).status == Status.CANCELLED
    late = book(bookable, trained, at(WEDNESDAY, 9), at(WEDNESDAY, 10))
    accept_order(actor=manager, order=late)
    with pytest.raises(DomainError) as caught:
        cancel_order(actor=trained, order=late, now=at(date(2026, 6, 2), 10))
    assert "取消期限" in caught.value.message
    with pytest.raises(DomainError):
        cancel_order(actor=manager, order=late, reason="")
    cancel_order(actor=manager, order=late, reason="设备故障")
    with pytest.raises(DomainError):
        cancel_order(actor=manager, order=late, reason="再次取消")


def test_only_the_running_unit_decides_and_transitions_keep_their_order(bookable, trained, other_unit_admin, manager):
    order = book(bookable, trained, at(WEDNESDAY, 9), at(WEDNESDAY, 10))
    with pytest.raises(PermissionDenied):
        accept_order(actor=other_unit_admin, order=order)
    with pytest.raises(PermissionDenied):
        accept_order(actor=trained, order=order)
    with pytest.raises(PermissionDenied):
        cancel_order(actor=other_unit_admin, order=order, reason="无权")
    accept_order(actor=manager, order=order)
    with pytest.raises(DomainError):
        reject_order(actor=manager, order=order, reason="晚了")
    assert Order.objects.get(pk=order.pk).status == Status.SCHEDULED


def test_rules_and_hours_are_edited_by_the_unit_only(bookable, other_unit_admin, manager):
    with pytest.raises(PermissionDenied):
        save_rules(actor=other_unit_admin, instrument=bookable, data=default_rules())
    with pytest.raises(DomainError):
        save_rules(actor=manager, instrument=bookable, data=default_rules(min_minutes=600, max_minutes=60))
    with pytest.raises(DomainError):
        set_opening_hours(
            actor=manager,
            instrument=bookable,
            windows=[(0, time(8), time(12)), (0, time(11), time(14))],
        )
    save_rules(actor=manager, instrument=bookable, data=default_rules(lead_hours=2))
    bookable.booking_rules.refresh_from_db()
    assert bookable.booking_rules.lead_hours == 2
    entry = AuditEntry.objects.filter(action="booking.rules_changed", actor=manager).get()
    assert entry.changes == {"lead_hours": [24, 2]}


def test_the_calendar_opens_on_the_first_day_with_bookable_time(bookable):
    rules = bookable.booking_rules
    rules.lead_hours = 2
    friday, saturday, monday = date(2026, 6, 5), date(2026, 6, 6), date(2026, 6, 8)
    assert first_open_day(bookable, rules, at(WEDNESDAY, 7)) == WEDNESDAY
    assert first_open_day(bookable, rules, at(friday, 15)) == friday
    assert first_open_day(bookable, rules, at(friday, 16)) == monday
    assert first_open_day(bookable, rules, at(saturday, 0, 30)) == monday
    rules.max_days_ahead = 1
    assert first_open_day(bookable, rules, at(saturday, 0, 30)) == saturday
