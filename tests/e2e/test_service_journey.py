"""The one-stop service journey (一指办) in a real browser at desktop and phone width: a company
user finds an instrument and books a slot; the manager accepts, starts, completes and uploads the
test report; the user downloads it and rates the service; the user files a complaint, the
operator answers it, the user confirms it is resolved; the rating shows on the instrument page."""

import io
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfWriter

from dayi.accounts.models import Organisation, Role
from dayi.booking.configuration import RULE_FIELDS, grant_qualification, save_rules, set_opening_hours
from dayi.booking.models import BookingRules, Order
from dayi.feedback.models import Complaint, Review
from dayi.lifecycle.services import approve_entry, submit_for_entry
from dayi.workcalendar.services import DayKind, day_kind
from tests.browser import log_in, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def next_open_day():
    """An ordinary working weekday two or more days ahead: bookable under the default rules."""
    day = timezone.localdate() + timedelta(days=2)
    while day.weekday() >= 5 or day_kind(day) != DayKind.ORDINARY:
        day += timedelta(days=1)
    return day


def report_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return {"name": "report.pdf", "mimeType": "application/pdf", "buffer": buffer.getvalue()}


def submit(page, locator):
    with page.expect_navigation():
        page.locator(locator).click()


@pytest.fixture
def instrument(make_instrument, unit_admin, operator):
    instrument = make_instrument(name="场发射扫描电子显微镜", offers_machine_time=True)
    submit_for_entry(actor=unit_admin, instrument=instrument)
    approve_entry(actor=operator, instrument=instrument)
    instrument.refresh_from_db()
    rules = {f.name: f.default for f in BookingRules._meta.fields if f.name in RULE_FIELDS}
    save_rules(actor=unit_admin, instrument=instrument, data=rules)
    set_opening_hours(
        actor=unit_admin, instrument=instrument, windows=[(day, time(8, 0), time(17, 0)) for day in range(5)]
    )
    return instrument


@pytest.fixture
def company_user(make_user, qingjiangpu, instrument, unit_admin):
    company = Organisation.objects.create(
        name="淮安精工科技有限公司", category=Organisation.Category.ENTERPRISE, region=qingjiangpu, is_small_micro=True
    )
    user = make_user("jinggong", organisation=company, display_name="王工")
    grant_qualification(actor=unit_admin, instrument=instrument, user=user)
    return user


def test_find_book_serve_report_rate_and_complain(page, live_server, instrument, company_user, unit, make_user):
    manager = make_user("manager", role=Role.INSTRUMENT_MANAGER, organisation=unit)
    base = live_server.url
    day = next_open_day()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    # The company user finds the instrument and books an hour on it.
    log_in(page, base, company_user.username)
    page.goto(base + reverse("catalog:list") + "?q=场发射")
    page.locator("main a", has_text="场发射扫描电子显微镜").first.click()
    page.wait_for_url(f"**/instruments/{instrument.pk}/")
    page.locator("#reviews").wait_for()
    assert "暂无评价" in page.locator("#reviews").inner_text()
    submit(page, f"main a[href='{reverse('booking:instrument', args=[instrument.pk])}']")
    page.fill("#id_starts_at", f"{day:%Y-%m-%d}T09:00")
    page.fill("#id_ends_at", f"{day:%Y-%m-%d}T10:00")
    page.fill("#id_purpose", "观察涂层截面形貌")
    page.locator("#booking-form button[name=book]").click()
    page.wait_for_url("**" + reverse("booking:mine"))
    order = Order.objects.get()
    assert order.user == company_user and order.is_external

    # The manager accepts, starts, completes with the final fee and uploads the report.
    log_in(page, base, manager.username)
    page.goto(base + reverse("booking:queue"))
    assert no_horizontal_scroll(page)
    submit(page, "button[name=action][value=accept]")
    order_url = base + reverse("booking:order", args=[order.pk])
    page.goto(order_url)
    submit(page, "#start")
    page.fill("#id_final_fee", "600.00")
    page.fill("#id_fee_reason", "按实际机时计费")
    submit(page, "#complete-form button")
    page.select_option("#id_kind", "report")
    page.set_input_files("#id_file", files=[report_pdf()])
    submit(page, "#upload-form button")
    order.refresh_from_db()
    assert order.status in (Order.Status.COMPLETED, Order.Status.REPORT_ISSUED)
    assert no_horizontal_scroll(page)

    # The user downloads the report and rates the service from the workspace.
    log_in(page, base, company_user.username)
    page.goto(order_url)
    with page.expect_download() as download:
        page.locator("a[href*='/booking/documents/']").first.click()
    with open(download.value.path(), "rb") as report:
        assert report.read(5) == b"%PDF-"
    page.goto(base + reverse("web:dashboard"))
    assert no_horizontal_scroll(page)
    submit(page, "#awaiting-review a")
    for aspect, score in (("attitude", 5), ("timeliness", 4), ("quality", 5), ("value", 4)):
        page.locator(f"input[name={aspect}][value='{score}']").check()
    page.fill("#id_comment", "出图清晰，工程师很专业")
    submit(page, "#review-form button")
    assert "评价已保存" in page.content()
    assert no_horizontal_scroll(page)
    review = Review.objects.get()
    order.refresh_from_db()
    assert (review.order, order.status) == (order, Order.Status.REVIEWED)

    # Then a complaint about the order, which the operator answers and the user confirms.
    submit(page, f"main a[href$='?order={order.pk}']")
    page.fill("#id_subject", "报告出具较慢")
    page.fill("#id_text", "测试完成后两天才收到报告。")
    submit(page, "#complaint-form button")
    complaint = Complaint.objects.get()
    assert f"{complaint.answer_due:%Y-%m-%d}" in page.content()
    assert no_horizontal_scroll(page)

    log_in(page, base, "operator")
    page.goto(base + reverse("feedback:queue"))
    assert no_horizontal_scroll(page)
    submit(page, f"main a[href='{reverse('feedback:complaint', args=[complaint.pk])}']")
    page.fill("#id_text", "已核实，单位将优化报告出具流程。")
    submit(page, "button[name=action][value=answer]")
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ANSWERED

    log_in(page, base, company_user.username)
    page.goto(base + reverse("feedback:complaint", args=[complaint.pk]))
    assert "已核实" in page.locator("#complaint-record").inner_text()
    submit(page, "button[name=action][value=confirm]")
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED
    assert no_horizontal_scroll(page)

    # The rating is on the instrument page, under a masked name.
    page.goto(base + reverse("catalog:detail", args=[instrument.pk]))
    reviews = page.locator("#reviews")
    reviews.get_by_text("出图清晰").wait_for()
    assert "王**" in reviews.inner_text() and "王工" not in reviews.inner_text()
    assert no_horizontal_scroll(page)
    assert not errors
