"""The pages of the flow: quotes before ordering, sample orders, the order page's actions, fee
settings and preferential rates, weekly bookings, the queue, the Chinese calendar."""

from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from dayi.booking.configuration import grant_qualification, save_fee_standard
from dayi.booking.models import FeeStandard, Order, Preference
from dayi.booking.services import book_slot

from .conftest import at
from .test_views import form_data, next_open_day


@pytest.fixture
def priced(bookable, unit_admin):
    save_fee_standard(
        actor=unit_admin,
        instrument=bookable,
        mode="machine_time",
        data={"per_hour": Decimal("300"), "startup": Decimal("0")},
    )
    save_fee_standard(
        actor=unit_admin,
        instrument=bookable,
        mode="sample_testing",
        data={"per_sample": Decimal("100"), "per_item": Decimal("20")},
    )
    return bookable


def test_the_quote_is_shown_before_booking(client, priced, trained):
    client.force_login(trained)
    day = next_open_day()
    response = client.post(reverse("booking:instrument", args=[priced.pk]), {**form_data(day), "preview": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and "报价" in html and "300.00" in html
    assert not Order.objects.exists()
    client.post(reverse("booking:instrument", args=[priced.pk]), {**form_data(day), "book": "1"})
    assert Order.objects.get().quoted_fee == Decimal("300.00")


def test_a_taken_slot_offers_the_waiting_list(client, bookable, trained, make_user, unit_admin):
    day = next_open_day()
    book_slot(actor=trained, instrument=bookable, starts_at=at(day, 9), ends_at=at(day, 10), purpose="先")
    late = make_user("late", organisation=trained.organisation)
    grant_qualification(actor=unit_admin, instrument=bookable, user=late)
    client.force_login(late)
    url = reverse("booking:instrument", args=[bookable.pk])
    assert 'id="wait"' in client.post(url, {**form_data(day), "book": "1"}).content.decode()
    assert client.post(url, {**form_data(day), "wait": "1"}).status_code == 302
    assert late.waiting_entries.count() == 1


def test_the_sample_page_quotes_then_orders(client, priced, trained):
    client.force_login(trained)
    url = reverse("booking:samples", args=[priced.pk])
    data = {
        "sample_count": "2",
        "test_items": "形貌\n成分",
        "sample_description": "陶瓷片",
        "hazard": "none",
        "disposal": "return",
        "purpose": "研发",
        "service_purpose": "enterprise_rnd",
    }
    preview = client.post(url, {**data, "preview": "1"}).content.decode()
    assert "280.00" in preview and not Order.objects.exists()  # 2 × (100 + 2 × 20)
    missing = client.post(url, {**data, "hazard": "chemical", "submit": "1"})
    assert missing.status_code == 200 and "危险" in missing.content.decode() and "陶瓷片" in missing.content.decode()
    response = client.post(url, {**data, "submit": "1"})
    order = Order.objects.get()
    assert response.url == reverse("booking:order", args=[order.pk]) and order.quoted_fee == Decimal("280.00")


def test_the_manager_runs_the_order_from_its_page(client, bookable, trained, manager):
    day = next_open_day()
    order = book_slot(actor=trained, instrument=bookable, starts_at=at(day, 9), ends_at=at(day, 10), purpose="测")
    client.force_login(manager)
    client.post(reverse("booking:decide", args=[order.pk]), {"action": "accept"})
    client.post(reverse("booking:act", args=[order.pk, "start"]))
    assert Order.objects.get(pk=order.pk).status == Order.Status.IN_SERVICE
    page = client.get(reverse("booking:order", args=[order.pk])).content.decode()
    assert 'id="complete-form"' in page
    refused = client.post(reverse("booking:complete", args=[order.pk]), {"final_fee": "-5"})
    assert refused.status_code == 400 and "低于零" in refused.content.decode()
    client.post(reverse("booking:complete", args=[order.pk]), {"final_fee": "88.50"})
    assert Order.objects.get(pk=order.pk).final_fee == Decimal("88.50")
    client.post(reverse("booking:act", args=[order.pk, "settle"]))
    assert Order.objects.get(pk=order.pk).status == Order.Status.SETTLED
    client.force_login(trained)
    assert client.post(reverse("booking:act", args=[order.pk, "start"])).status_code in (302, 403)
    assert client.get(reverse("booking:order", args=[order.pk])).status_code == 200


def test_strangers_do_not_see_an_order(client, bookable, trained, make_user, other_unit_admin):
    day = next_open_day()
    order = book_slot(actor=trained, instrument=bookable, starts_at=at(day, 9), ends_at=at(day, 10), purpose="测")
    for person in (make_user("stranger"), other_unit_admin):
        client.force_login(person)
        assert client.get(reverse("booking:order", args=[order.pk])).status_code == 404


def test_fee_settings_and_preferences(client, bookable, manager, unit_admin, operator, other_unit_admin):
    client.force_login(manager)
    url = reverse("booking:fees", args=[bookable.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"machine_time-per_hour": "250", "sample_testing-per_sample": "80"})
    assert response.status_code == 302
    assert FeeStandard.objects.get(instrument=bookable, mode="machine_time").per_hour == Decimal("250")
    negative = client.post(url, {"machine_time-per_hour": "-1"})
    assert negative.status_code == 400
    assert client.get(reverse("booking:preferences", args=[bookable.owner_id])).status_code == 403
    client.force_login(unit_admin)
    client.post(reverse("booking:preferences", args=[bookable.owner_id]), {"small_micro": "30"})
    assert Preference.objects.get(unit=bookable.owner).discount_percent == Decimal("30")
    client.force_login(other_unit_admin)
    assert client.get(reverse("booking:preferences", args=[bookable.owner_id])).status_code == 403
    assert client.get(reverse("booking:platform_preferences")).status_code == 403
    client.force_login(operator)
    client.post(reverse("booking:platform_preferences"), {"startup_team": "50"})
    assert Preference.objects.get(unit=None).kind == "startup_team"


def test_weekly_booking_page(client, bookable, trained):
    client.force_login(trained)
    day = next_open_day()
    response = client.post(
        reverse("booking:recurring", args=[bookable.pk]),
        {
            "weekday": day.weekday(),
            "starts": "09:00",
            "ends": "10:00",
            "first_day": day.isoformat(),
            "last_day": day.isoformat(),
            "purpose": "每周",
            "service_purpose": "research",
        },
    )
    assert response.status_code == 200 and "每周的结果" in response.content.decode()
    assert Order.objects.filter(series__isnull=False).count() == 1


def test_the_queue_shows_today_and_the_week(client, bookable, trained, manager):
    day = next_open_day()
    order = book_slot(actor=trained, instrument=bookable, starts_at=at(day, 9), ends_at=at(day, 10), purpose="测")
    client.force_login(manager)
    client.post(reverse("booking:decide", args=[order.pk]), {"action": "accept"})
    html = client.get(reverse("booking:queue")).content.decode()
    assert "今天" in html and "未来六天" in html
    if (day - timezone.localdate()).days <= 6:
        assert reverse("booking:order", args=[order.pk]) in html


def test_the_calendar_speaks_chinese(client, bookable):
    html = client.get(reverse("booking:instrument", args=[bookable.pk])).content.decode()
    assert "vendor/fullcalendar-locales/zh-cn.global.min.js" in html and '"locale": "zh-cn"' in html
    assert finders.find("vendor/fullcalendar-locales/zh-cn.global.min.js")
