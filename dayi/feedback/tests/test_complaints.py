from datetime import date, datetime, timedelta

import pytest

from dayi.audit.models import AuditEntry
from dayi.booking.models import Notification
from dayi.core.errors import DomainError, PermissionDenied
from dayi.core.workdays import add_working_days
from dayi.feedback import selectors, services
from dayi.feedback.models import Complaint, ComplaintEntry
from dayi.workcalendar.models import CalendarDay

from .conftest import NOW, SHANGHAI

Status = Complaint.Status
THURSDAY, FRIDAY = date(2026, 6, 4), datetime(2026, 6, 5, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def complaint(completed, researcher, operator):
    return services.file_complaint(
        actor=researcher, order=completed, subject="报告迟迟未出", text="已超过承诺时间一周。", now=NOW
    )


def kinds(complaint):
    return list(complaint.entries.values_list("kind", flat=True))


def test_filing_sets_the_answer_deadline_three_working_days_later(complaint, unit, operator, researcher):
    assert (complaint.unit, complaint.status, complaint.answer_due) == (unit, Status.OPEN, THURSDAY)
    assert kinds(complaint) == [ComplaintEntry.Kind.FILED]
    assert complaint.entries.get().text == "已超过承诺时间一周。"
    assert Notification.objects.filter(recipient=operator, message__contains="2026-06-04").exists()
    assert Notification.objects.filter(recipient=researcher, message__contains="2026-06-04").exists()
    assert AuditEntry.objects.filter(action="complaint.filed", target_id=str(complaint.pk)).exists()


def test_the_deadline_skips_official_holidays_and_unknown_years(researcher, unit, operator):
    CalendarDay.objects.create(date=date(2031, 6, 2), kind=CalendarDay.Kind.HOLIDAY, name="测试假日")
    filed = datetime(2031, 5, 30, 10, 0, tzinfo=SHANGHAI)  # a Friday in a year the package does not know
    complaint = services.file_complaint(actor=researcher, unit=unit, subject="态度差", text="电话无人接听", now=filed)
    assert complaint.answer_due == add_working_days(date(2031, 5, 30), 3) == date(2031, 6, 5)


def test_a_complaint_about_someone_elses_order_or_nothing_is_refused(completed, stranger, researcher):
    with pytest.raises(PermissionDenied):
        services.file_complaint(actor=stranger, order=completed, subject="x", text="y", now=NOW)
    with pytest.raises(DomainError) as refused:
        services.file_complaint(actor=researcher, subject="x", text="y", now=NOW)
    assert refused.value.field == "unit"
    with pytest.raises(DomainError) as refused:
        services.file_complaint(actor=researcher, order=completed, subject=" ", text="y", now=NOW)
    assert refused.value.field == "subject"
    assert not Complaint.objects.exists()


def test_the_loop_answer_reopen_statement_answer_confirm(complaint, operator, researcher, unit_admin, manager):
    with pytest.raises(PermissionDenied):
        services.answer_complaint(actor=unit_admin, complaint=complaint, text="已处理")
    with pytest.raises(DomainError):
        services.confirm_resolution(actor=researcher, complaint=complaint)
    services.answer_complaint(actor=operator, complaint=complaint, text="已督促单位尽快出具报告。", now=NOW)
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED and complaint.first_answered_at == NOW
    assert Notification.objects.filter(recipient=researcher, message__contains="答复").exists()

    later = NOW + timedelta(days=1)
    with pytest.raises(PermissionDenied):
        services.reopen_complaint(actor=operator, complaint=complaint, text="x")
    services.reopen_complaint(actor=researcher, complaint=complaint, text="报告仍未收到。", now=later)
    complaint.refresh_from_db()
    assert complaint.status == Status.OPEN and complaint.answer_due == date(2026, 6, 5)

    with pytest.raises(DomainError, match="尚未要求"):
        services.give_unit_statement(actor=manager, complaint=complaint, text="设备故障")
    services.request_unit_statement(actor=operator, complaint=complaint, text="请说明延误原因", now=later)
    assert Notification.objects.filter(recipient=manager, message__contains="情况说明").exists()
    services.give_unit_statement(actor=manager, complaint=complaint, text="设备故障，已修复。", now=later)
    services.answer_complaint(actor=operator, complaint=complaint, text="报告已于今日出具。", now=later)
    services.confirm_resolution(actor=researcher, complaint=complaint, now=later)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.closed_at == later
    assert complaint.first_answered_at == NOW
    assert kinds(complaint) == [
        "filed",
        "answer",
        "reopened",
        "statement_requested",
        "statement",
        "answer",
        "confirmed",
    ]
    with pytest.raises(DomainError, match="已关闭"):
        services.request_unit_statement(actor=operator, complaint=complaint, text="x")
    actions = set(AuditEntry.objects.filter(target_id=str(complaint.pk)).values_list("action", flat=True))
    assert {"complaint.answered", "complaint.reopened", "complaint.statement", "complaint.confirmed"} <= actions


def test_another_unit_cannot_give_the_statement(complaint, operator, other_unit_admin):
    services.request_unit_statement(actor=operator, complaint=complaint, text="请说明", now=NOW)
    with pytest.raises(PermissionDenied):
        services.give_unit_statement(actor=other_unit_admin, complaint=complaint, text="与我无关")


def test_overdue_complaints_are_escalated_to_the_authority_of_the_units_region(
    complaint, authority, huaian, researcher, operator
):
    assert services.escalate_overdue(now=datetime(2026, 6, 4, 23, 0, tzinfo=SHANGHAI)) == 0
    assert services.escalate_overdue(now=FRIDAY) == 1
    complaint.refresh_from_db()
    assert complaint.escalated_at == FRIDAY and complaint.escalated_to == huaian
    for person in (authority, researcher, operator):
        assert Notification.objects.filter(recipient=person, message__contains="升级").exists()
    assert services.escalate_overdue(now=FRIDAY + timedelta(days=1)) == 0
    assert list(selectors.escalated_in_my_region(authority)) == [complaint]
    assert selectors.complaint_for(authority, complaint.pk) == complaint
    assert AuditEntry.objects.filter(action="complaint.escalated", actor=None).exists()


def test_an_answered_complaint_is_not_overdue(complaint, operator):
    services.answer_complaint(actor=operator, complaint=complaint, text="已处理", now=NOW)
    assert services.escalate_overdue(now=FRIDAY) == 0
    with pytest.raises(DomainError):
        services.escalate_complaint(actor=operator, complaint=complaint, now=FRIDAY)


def test_the_operator_queue_puts_overdue_first(researcher, unit, operator, authority):
    fresh = services.file_complaint(actor=researcher, unit=unit, subject="新", text="新投诉", now=FRIDAY)
    old = services.file_complaint(actor=researcher, unit=unit, subject="旧", text="旧投诉", now=NOW)
    closed = services.file_complaint(actor=researcher, unit=unit, subject="已结", text="x", now=NOW)
    services.answer_complaint(actor=operator, complaint=closed, text="好", now=NOW)
    services.confirm_resolution(actor=researcher, complaint=closed, now=NOW)
    queue = list(selectors.operator_queue(operator, today=FRIDAY.date()))
    assert [c.pk for c in queue] == [old.pk, fresh.pk]
    assert [c.overdue for c in queue] == [True, False]
    assert list(selectors.overdue_complaints(today=FRIDAY.date())) == [old]
    with pytest.raises(PermissionDenied):
        selectors.operator_queue(authority)


def test_who_may_read_a_complaint(complaint, stranger, unit_admin, other_unit_admin, authority, operator):
    for person in (unit_admin, operator):
        assert selectors.complaint_for(person, complaint.pk) == complaint
    for person in (stranger, other_unit_admin, authority):
        with pytest.raises(PermissionDenied):
            selectors.complaint_for(person, complaint.pk)
