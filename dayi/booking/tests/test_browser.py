"""Booking machine time in a real browser at desktop and phone width: the user selects free
time on the calendar, the form fills itself, the booking lands in "my bookings"; the manager
accepts it from the queue."""

import pytest
from django.urls import reverse

from dayi.booking.models import Order
from tests.browser import log_in, no_horizontal_scroll

from .test_views import next_open_day

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


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
    page.locator("#booking-form button[name=book]").click()
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


def test_the_pages_of_the_flow_fit_a_phone(page, live_server, bookable, trained, manager):
    """Sample order with its quote, the order page with the manager's forms and a report, the
    fee and weekly-booking pages: no horizontal scroll at either width."""
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from dayi.booking.configuration import save_fee_standard
    from dayi.booking.documents import upload_document
    from dayi.booking.services import accept_order, start_service

    from .conftest import pdf_bytes

    base = live_server.url
    save_fee_standard(actor=manager, instrument=bookable, mode="sample_testing", data={"per_sample": Decimal("100")})
    log_in(page, base, trained.username)
    page.goto(base + reverse("booking:samples", args=[bookable.pk]))
    page.fill("#id_sample_count", "2")
    page.fill("#id_test_items", "形貌\n成分")
    page.fill("#id_sample_description", "陶瓷片，10 mm")
    page.locator("#id_disposal_0").check()
    page.fill("#id_purpose", "新材料研发")
    page.locator("button[name=preview]").click()
    page.locator("#quote").wait_for()
    assert "200.00" in page.locator("#quote").inner_text() and no_horizontal_scroll(page)
    page.locator("button[name=submit]").click()
    page.wait_for_url("**/booking/orders/*/")
    order = Order.objects.get()
    accept_order(actor=manager, order=order)
    start_service(actor=manager, order=order)
    for path in (reverse("booking:recurring", args=[bookable.pk]), reverse("booking:feeds")):
        page.goto(base + path)
        assert no_horizontal_scroll(page)

    page.context.clear_cookies()
    log_in(page, base, manager.username)
    page.goto(base + reverse("booking:order", args=[order.pk]))
    page.locator("#complete-form").wait_for()
    assert no_horizontal_scroll(page)
    page.fill("#id_final_fee", "180")
    page.fill("#id_fee_reason", "少测一项")
    page.locator("#complete-form button").click()
    page.wait_for_url("**" + reverse("booking:order", args=[order.pk]))
    assert Order.objects.get().final_fee == Decimal("180.00")
    upload_document(
        actor=manager,
        order=Order.objects.get(),
        kind="report",
        uploaded=SimpleUploadedFile("报告.pdf", pdf_bytes(), "application/pdf"),
    )
    page.goto(base + reverse("booking:order", args=[order.pk]))
    assert "报告.pdf" in page.content() and no_horizontal_scroll(page)
    for path in (reverse("booking:fees", args=[bookable.pk]), reverse("booking:queue")):
        page.goto(base + path)
        assert no_horizontal_scroll(page)
