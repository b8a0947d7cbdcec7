"""Booking machine time in a real browser at desktop and phone width: the user selects free
time on the calendar, the form fills itself, the booking lands in "my bookings"; the manager
accepts it from the queue."""

import pytest
from django.urls import reverse

from dayi.booking.models import Order
from tests.browser import no_horizontal_scroll

from .test_views import next_open_day

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "pw-Dayi-2026"


def log_in(page, base, username):
    page.goto(base + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/dashboard/")


def test_book_on_the_calendar_and_the_manager_accepts(page, live_server, bookable, trained, manager):
    base = live_server.url
    day = next_open_day()
    log_in(page, base, trained.username)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base + reverse("booking:instrument", args=[bookable.pk]))
    page.locator("#calendar .fc-timegrid").wait_for()
    page.locator("#calendar .fc-bg-event").first.wait_for()
    assert no_horizontal_scroll(page) and not errors
    page.fill("#id_starts_at", f"{day:%Y-%m-%d}T09:00")
    page.fill("#id_ends_at", f"{day:%Y-%m-%d}T10:00")
    page.fill("#id_purpose", "观察涂层截面")
    page.locator("#booking-form button").click()
    page.wait_for_url("**" + reverse("booking:mine"))
    assert "预约已提交" in page.content()
    assert no_horizontal_scroll(page)

    page.context.clear_cookies()
    log_in(page, base, manager.username)
    page.goto(base + reverse("booking:queue"))
    assert no_horizontal_scroll(page)
    page.locator("button[name=action][value=accept]").click()
    page.wait_for_url("**" + reverse("booking:queue"))
    assert Order.objects.get().status == Order.Status.SCHEDULED
    page.goto(base + reverse("booking:settings", args=[bookable.pk]))
    assert no_horizontal_scroll(page)
