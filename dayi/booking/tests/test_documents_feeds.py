"""Reports and invoices (real PDFs only, size-limited, downloads for the right people only),
calendar feeds, weekly bookings and the waiting list."""

from datetime import date, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from icalendar import Calendar

from dayi.accounts.models import Role
from dayi.booking import feeds
from dayi.booking.configuration import grant_qualification
from dayi.booking.documents import upload_document
from dayi.booking.models import Notification, Order, OrderDocument, WaitingEntry
from dayi.booking.recurring import book_recurring
from dayi.booking.services import book_slot, cancel_order, complete_order
from dayi.booking.waiting import join_waiting_list
from dayi.core.errors import DomainError, PermissionDenied

from .conftest import NOW, at, pdf_bytes

WEDNESDAY = date(2026, 6, 3)


def pdf(name="report.pdf", content=None):
    return SimpleUploadedFile(name, content if content is not None else pdf_bytes(), "application/pdf")


@pytest.fixture
def completed(served, manager):
    return complete_order(actor=manager, order=served, final_fee="200")


@pytest.fixture
def report(completed, manager):
    return upload_document(actor=manager, order=completed, kind="report", uploaded=pdf())


def test_a_report_upload_issues_the_report(report, completed, trained):
    assert Order.objects.get(pk=completed.pk).status == Order.Status.REPORT_ISSUED
    assert report.file.name.startswith(f"orders/{completed.pk}/report-")
    assert Notification.objects.filter(recipient=trained, message__contains="检测报告").exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"%PDF-1.7 this is not really a pdf", "损坏"),
        (b"PK\x03\x04 a zip file named .pdf", "不是 PDF"),
        (b"", "不是 PDF"),
    ],
)
def test_only_real_pdfs_are_accepted(completed, manager, content, words):
    with pytest.raises(DomainError) as caught:
        upload_document(actor=manager, order=completed, kind="report", uploaded=pdf(content=content))
    assert words in caught.value.message
    assert not OrderDocument.objects.exists()


def test_the_size_limit(completed, manager, settings):
    settings.DAYI_DOCUMENT_MAX_BYTES = 100
    with pytest.raises(DomainError) as caught:
        upload_document(actor=manager, order=completed, kind="invoice", uploaded=pdf())
    assert "最大" in caught.value.message or "至多" in caught.value.message


def test_uploads_belong_to_the_unit_and_come_after_completion(served, completed, trained):
    with pytest.raises(PermissionDenied):
        upload_document(actor=trained, order=completed, kind="report", uploaded=pdf())


def test_no_upload_before_completion(served, manager):
    with pytest.raises(DomainError):
        upload_document(actor=manager, order=served, kind="report", uploaded=pdf())


@pytest.fixture
def people(make_user, trained, manager, unit_admin, other_unit_admin, operator):
    company_admin = make_user("companyadmin", role=Role.UNIT_ADMIN, organisation=trained.organisation)
    colleague = make_user("colleague", organisation=trained.organisation)
    return {
        "the ordering user": (trained, 200),
        "an admin of the user's organisation": (company_admin, 200),
        "the instrument manager": (manager, 200),
        "the unit admin": (unit_admin, 200),
        "another unit's admin": (other_unit_admin, 404),
        "a colleague of the user": (colleague, 404),
        "the platform operator": (operator, 404),
    }


@pytest.mark.parametrize(
    "who",
    [
        "the ordering user",
        "an admin of the user's organisation",
        "the instrument manager",
        "the unit admin",
        "another unit's admin",
        "a colleague of the user",
        "the platform operator",
    ],
)
def test_download_permissions(client, report, people, who):
    person, expected = people[who]
    client.force_login(person)
    response = client.get(reverse("booking:download", args=[report.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_visitor_cannot_download(client, report):
    response = client.get(reverse("booking:download", args=[report.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_files_have_no_public_url(report, settings):
    assert not report.file.path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        _ = report.file.url


def test_the_manager_uploads_from_the_order_page(client, completed, manager):
    client.force_login(manager)
    url = reverse("booking:upload", args=[completed.pk])
    bad = client.post(url, {"kind": "report", "file": pdf("fake.pdf", b"hello")})
    assert bad.status_code == 400 and "不是 PDF" in bad.content.decode()
    assert client.post(url, {"kind": "report", "file": pdf()}).status_code == 302
    page = client.get(reverse("booking:order", args=[completed.pk])).content.decode()
    assert "检测报告" in page and reverse("booking:download", args=[OrderDocument.objects.get().pk]) in page


def test_ics_feeds_with_secret_addresses(client, served, trained, manager, bookable, make_user):
    client.force_login(trained)
    assert client.get(reverse("booking:feeds")).status_code == 200
    token = trained.booking_feed.token
    client.logout()
    response = client.get(reverse("booking:feed_mine", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert client.get(reverse("booking:feed_mine", args=["wrong"])).status_code == 404
    events = Calendar.from_ical(feeds.my_bookings_ics(trained, now=NOW)).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [f"{bookable.name} · 服务中"]
    staff_view = Calendar.from_ical(feeds.instrument_ics(manager, bookable, now=NOW)).walk("VEVENT")
    assert "王工" in str(staff_view[0]["summary"])
    outsider_view = Calendar.from_ical(feeds.instrument_ics(make_user("outsider"), bookable, now=NOW))
    assert [str(e["summary"]) for e in outsider_view.walk("VEVENT")] == ["已被预约"]
    manager_token = feeds.token_of(manager).token
    assert client.get(reverse("booking:feed_instrument", args=[manager_token, bookable.pk])).status_code == 200
    feeds.renew_token(actor=trained)
    assert client.get(reverse("booking:feed_mine", args=[token])).status_code == 404


def test_weekly_booking_books_each_week_and_reports_refusals(bookable, trained):
    series = book_recurring(
        actor=trained,
        instrument=bookable,
        weekday=2,
        starts=time(9),
        ends=time(10),
        first_day=date(2026, 6, 2),
        last_day=date(2026, 7, 8),
        purpose="每周表征",
        now=NOW,
    )
    dates = [r["date"] for r in series.results]
    assert dates == ["2026-06-03", "2026-06-10", "2026-06-17", "2026-06-24", "2026-07-01", "2026-07-08"]
    booked = [r for r in series.results if r["order"]]
    refused = [r for r in series.results if not r["order"]]
    # 30 days ahead at most: 2026-07-08 is beyond the horizon of 2026-06-01 + 30 days.
    assert len(booked) == 5 and refused[0]["date"] == "2026-07-08" and "可预约天数" in refused[0]["message"]
    assert Order.objects.filter(series=series).count() == 5
    with pytest.raises(DomainError):
        book_recurring(
            actor=trained,
            instrument=bookable,
            weekday=2,
            starts=time(9),
            ends=time(10),
            first_day=date(2026, 6, 2),
            last_day=date(2027, 6, 2),
            purpose="太长",
            now=NOW,
        )


def test_the_waiting_list_is_told_when_the_slot_frees(bookable, trained, make_user, unit_admin):
    order = book_slot(
        actor=trained, instrument=bookable, starts_at=at(WEDNESDAY, 9), ends_at=at(WEDNESDAY, 11), purpose="先", now=NOW
    )
    hopeful = make_user("hopeful", organisation=trained.organisation)
    grant_qualification(actor=unit_admin, instrument=bookable, user=hopeful)
    with pytest.raises(DomainError):
        join_waiting_list(
            actor=hopeful, instrument=bookable, starts_at=at(WEDNESDAY, 14), ends_at=at(WEDNESDAY, 15), now=NOW
        )
    join_waiting_list(
        actor=hopeful, instrument=bookable, starts_at=at(WEDNESDAY, 10), ends_at=at(WEDNESDAY, 11), now=NOW
    )
    with pytest.raises(DomainError):
        join_waiting_list(
            actor=hopeful, instrument=bookable, starts_at=at(WEDNESDAY, 10), ends_at=at(WEDNESDAY, 11), now=NOW
        )
    cancel_order(actor=trained, order=order, now=NOW)
    assert Notification.objects.filter(recipient=hopeful, message__contains="空出").exists()
    assert WaitingEntry.objects.get().notified_at is not None
