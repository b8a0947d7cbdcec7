from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dayi.booking.configuration import grant_qualification
from dayi.booking.models import Closure, Order, Qualification
from dayi.booking.services import book_slot
from dayi.workcalendar.services import DayKind, day_kind

from .conftest import at


def next_open_day():
    """A weekday that is an ordinary working day, two to nine days from now."""
    day = timezone.localdate() + timedelta(days=2)
    while day.weekday() >= 5 or day_kind(day) != DayKind.ORDINARY:
        day += timedelta(days=1)
    return day


def form_data(day, start_hour=9, end_hour=10, purpose="观察涂层截面"):
    return {
        "starts_at": f"{day:%Y-%m-%d}T{start_hour:02d}:00",
        "ends_at": f"{day:%Y-%m-%d}T{end_hour:02d}:00",
        "purpose": purpose,
    }


def test_a_visitor_sees_the_calendar_and_is_asked_to_log_in(client, bookable):
    response = client.get(reverse("booking:instrument", args=[bookable.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "vendor/fullcalendar/index.global.min.js" in html and "登录后预约" in html


def test_availability_shows_open_windows_and_busy_slots_without_names(client, bookable, trained):
    day = next_open_day()
    book_slot(actor=trained, instrument=bookable, starts_at=at(day, 9), ends_at=at(day, 10), purpose="测试")
    url = reverse("booking:availability", args=[bookable.pk])
    events = client.get(url, {"start": f"{day:%Y-%m-%d}T00:00:00+08:00", "end": f"{day + timedelta(days=1)}"}).json()
    open_windows = [e for e in events if e.get("groupId") == "open"]
    assert [(e["start"][11:16], e["end"][11:16]) for e in open_windows] == [("08:00", "12:00"), ("13:30", "17:30")]
    busy = [e for e in events if e.get("groupId") != "open"]
    assert busy == [
        {"title": "已被预约", "start": busy[0]["start"], "end": busy[0]["end"], "classNames": ["dayi-busy"]}
    ]
    client.force_login(trained)
    assert "我的预约" in {e.get("title") for e in client.get(url, {"start": f"{day}", "end": f"{day}"}).json()}


def test_booking_through_the_page(client, bookable, trained):
    client.force_login(trained)
    day = next_open_day()
    response = client.post(reverse("booking:instrument", args=[bookable.pk]), form_data(day))
    assert response.status_code == 302 and response.url == reverse("booking:mine")
    order = Order.objects.get()
    assert order.user == trained and timezone.localtime(order.starts_at).hour == 9
    page = client.get(reverse("booking:mine")).content.decode()
    assert bookable.name in page and "已提交" in page


def test_a_refused_booking_names_the_rule_and_keeps_the_input(client, bookable, researcher):
    client.force_login(researcher)
    day = next_open_day()
    response = client.post(reverse("booking:instrument", args=[bookable.pk]), form_data(day, purpose="我的实验"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "自主操作培训" in html and 'value="我的实验"' in html and f"{day:%Y-%m-%d}T09:00" in html
    assert not Order.objects.exists()


def test_a_taken_slot_is_refused_on_the_page(client, bookable, trained, make_user, unit_admin):
    day = next_open_day()
    book_slot(actor=trained, instrument=bookable, starts_at=at(day, 9), ends_at=at(day, 11), purpose="先到")
    late = make_user("late", organisation=trained.organisation)
    grant_qualification(actor=unit_admin, instrument=bookable, user=late)
    client.force_login(late)
    response = client.post(reverse("booking:instrument", args=[bookable.pk]), form_data(day, 10, 11))
    assert "该时段刚被他人预约" in response.content.decode()


def test_the_manager_accepts_from_the_queue_and_the_user_is_told(client, bookable, trained, manager):
    day = next_open_day()
    order = book_slot(actor=trained, instrument=bookable, starts_at=at(day, 9), ends_at=at(day, 10), purpose="测试")
    client.force_login(manager)
    assert bookable.name in client.get(reverse("booking:queue")).content.decode()
    client.post(reverse("booking:decide", args=[order.pk]), {"action": "accept"})
    assert Order.objects.get(pk=order.pk).status == Order.Status.SCHEDULED
    client.force_login(trained)
    assert "已受理" in client.get(reverse("booking:inbox")).content.decode()


def test_a_rejection_needs_a_reason(client, bookable, trained, manager):
    day = next_open_day()
    order = book_slot(actor=trained, instrument=bookable, starts_at=at(day, 9), ends_at=at(day, 10), purpose="测试")
    client.force_login(manager)
    response = client.post(reverse("booking:decide", args=[order.pk]), {"action": "reject", "reason": ""}, follow=True)
    assert "请填写拒绝原因" in response.content.decode()
    client.post(reverse("booking:decide", args=[order.pk]), {"action": "reject", "reason": "样品不适合"})
    assert Order.objects.get(pk=order.pk).status == Order.Status.REJECTED


def test_the_queue_and_decisions_belong_to_the_running_unit(client, bookable, trained, other_unit_admin):
    day = next_open_day()
    order = book_slot(actor=trained, instrument=bookable, starts_at=at(day, 9), ends_at=at(day, 10), purpose="测试")
    client.force_login(trained)
    assert client.get(reverse("booking:queue")).status_code == 403
    client.force_login(other_unit_admin)
    assert bookable.name not in client.get(reverse("booking:queue")).content.decode()
    assert client.post(reverse("booking:decide", args=[order.pk]), {"action": "accept"}).status_code == 404
    assert client.get(reverse("booking:settings", args=[bookable.pk])).status_code == 403


def test_the_user_cancels_from_my_bookings(client, bookable, trained, make_user):
    day = next_open_day()
    order = book_slot(actor=trained, instrument=bookable, starts_at=at(day, 9), ends_at=at(day, 10), purpose="测试")
    stranger = make_user("stranger")
    client.force_login(stranger)
    assert client.post(reverse("booking:cancel", args=[order.pk])).status_code == 404
    client.force_login(trained)
    client.post(reverse("booking:cancel", args=[order.pk]))
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED


def test_the_manager_edits_rules_and_hours(client, bookable, manager):
    client.force_login(manager)
    url = reverse("booking:settings", args=[bookable.pk])
    page = client.get(url)
    assert page.status_code == 200 and "08:00-12:00, 13:30-17:30" in page.content.decode()
    data = {**page.context["rules_form"].initial, "day_0": "09:00-11:00", "day_5": "9:00~12:00", "lead_hours": "2"}
    data = {key: value for key, value in data.items() if value not in (False, None) and key != "id"}
    assert client.post(url, data).status_code == 302
    bookable.booking_rules.refresh_from_db()
    assert bookable.booking_rules.lead_hours == 2
    assert [str(w) for w in bookable.opening_windows.all()] == ["周一 09:00–11:00", "周六 09:00–12:00"]
    bad = client.post(url, {**data, "day_1": "早上八点"})
    assert bad.status_code == 400 and "早上八点" in bad.content.decode()


def test_a_closure_from_the_settings_page_cancels_bookings(client, bookable, trained, manager):
    day = next_open_day()
    order = book_slot(actor=trained, instrument=bookable, starts_at=at(day, 9), ends_at=at(day, 10), purpose="测试")
    client.force_login(manager)
    response = client.post(
        reverse("booking:closure_add", args=[bookable.pk]),
        {"kind": "outage", "starts_at": f"{day}T08:00", "ends_at": f"{day}T12:00", "reason": "真空泵故障"},
    )
    assert response.status_code == 302
    assert Closure.objects.filter(instrument=bookable).exists()
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED
    missing_reason = client.post(
        reverse("booking:closure_add", args=[bookable.pk]),
        {"kind": "outage", "starts_at": f"{day}T13:00", "ends_at": f"{day}T14:00", "reason": ""},
    )
    assert missing_reason.status_code == 400 and Closure.objects.count() == 1


@pytest.mark.parametrize("person", ["researcher", "13912345678"])
def test_the_manager_grants_training(client, bookable, researcher, manager, person):
    researcher.phone = "13912345678"
    researcher.save()
    client.force_login(manager)
    client.post(reverse("booking:qualification_grant", args=[bookable.pk]), {"person": person})
    assert Qualification.objects.filter(user=researcher, instrument=bookable).exists()
    unknown = client.post(reverse("booking:qualification_grant", args=[bookable.pk]), {"person": "nobody"})
    assert "找不到" in unknown.content.decode()
