"""The order's states after scheduling: each transition for its role only, in order, audited and
notified; the slot stays held while in service."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction

from dayi.audit.models import AuditEntry
from dayi.booking import services
from dayi.booking.configuration import grant_qualification
from dayi.booking.models import Notification, Order
from dayi.booking.services import (
    REVIEWABLE_STATES,
    book_slot,
    complete_order,
    mark_no_show,
    mark_reviewed,
    settle_order,
    start_service,
)
from dayi.core.errors import DomainError, PermissionDenied

from .conftest import NOW, at

Status = Order.Status
WEDNESDAY = date(2026, 6, 3)


def test_reviewable_states_are_the_three_after_service():
    assert set(REVIEWABLE_STATES) == {Status.COMPLETED, Status.REPORT_ISSUED, Status.SETTLED}


def test_the_whole_machine_time_flow(served, trained, manager):
    assert served.status == Status.IN_SERVICE
    order = complete_order(actor=manager, order=served, final_fee="200")
    assert order.status == Status.COMPLETED and order.final_fee == Decimal("200.00")
    settle_order(actor=trained, order=order)
    order.refresh_from_db()
    assert order.status == Status.SETTLED
    mark_reviewed(actor=trained, order=order)
    order.refresh_from_db()
    assert order.status == Status.REVIEWED
    actions = list(AuditEntry.objects.filter(target_type="booking.order").values_list("action", flat=True))
    for step in ("in_service", "completed", "settled", "reviewed"):
        assert f"order.{step}" in actions
    assert Notification.objects.filter(recipient=trained, order=order).count() >= 5


def test_completion_needs_a_fee_and_a_reason_when_it_differs(served, manager):
    served.quoted_fee = Decimal("400.00")
    served.save()
    with pytest.raises(DomainError) as caught:
        complete_order(actor=manager, order=served, final_fee="350")
    assert caught.value.field == "fee_reason"
    with pytest.raises(DomainError) as caught:
        complete_order(actor=manager, order=served, final_fee="-1", fee_reason="退款")
    assert "低于零" in caught.value.message
    with pytest.raises(DomainError):
        complete_order(actor=manager, order=served, final_fee="abc")
    order = complete_order(actor=manager, order=served, final_fee="350.00", fee_reason="提前结束")
    assert order.final_fee == Decimal("350.00") and order.fee_reason == "提前结束"
    assert Order.objects.get(pk=order.pk).status == Status.COMPLETED


def test_without_a_quote_the_manager_states_the_fee(served, manager):
    with pytest.raises(DomainError) as caught:
        complete_order(actor=manager, order=served)
    assert caught.value.field == "final_fee"
    assert complete_order(actor=manager, order=served, final_fee="120").final_fee == Decimal("120")


def test_transitions_out_of_order_are_refused(bookable, trained, manager):
    order = book_slot(
        actor=trained, instrument=bookable, starts_at=at(WEDNESDAY, 9), ends_at=at(WEDNESDAY, 10), purpose="测", now=NOW
    )
    with pytest.raises(DomainError):
        start_service(actor=manager, order=order)
    with pytest.raises(DomainError):
        complete_order(actor=manager, order=order, final_fee="10")
    with pytest.raises(DomainError):
        settle_order(actor=trained, order=order)
    with pytest.raises(DomainError):
        mark_reviewed(actor=trained, order=order)
    assert Order.objects.get(pk=order.pk).status == Status.SUBMITTED


def test_each_transition_belongs_to_its_role(served, trained, other_unit_admin, manager, make_user):
    with pytest.raises(PermissionDenied):
        complete_order(actor=trained, order=served, final_fee="10")
    with pytest.raises(PermissionDenied):
        complete_order(actor=other_unit_admin, order=served, final_fee="10")
    order = complete_order(actor=manager, order=served, final_fee="10")
    stranger = make_user("stranger")
    with pytest.raises(PermissionDenied):
        settle_order(actor=stranger, order=order)
    with pytest.raises(PermissionDenied):
        mark_reviewed(actor=manager, order=order)
    settle_order(actor=manager, order=order)
    assert Order.objects.get(pk=order.pk).status == Status.SETTLED
    with pytest.raises(DomainError):
        settle_order(actor=manager, order=order)


def test_settling_needs_the_final_fee(served, trained, manager):
    Order.objects.filter(pk=served.pk).update(status=Status.COMPLETED)
    with pytest.raises(DomainError) as caught:
        settle_order(actor=trained, order=served)
    assert "最终费用" in caught.value.message


def test_no_show_only_after_the_start(bookable, trained, manager):
    order = book_slot(
        actor=trained, instrument=bookable, starts_at=at(WEDNESDAY, 9), ends_at=at(WEDNESDAY, 10), purpose="测", now=NOW
    )
    services.accept_order(actor=manager, order=order)
    with pytest.raises(DomainError):
        mark_no_show(actor=manager, order=order, now=NOW)
    assert mark_no_show(actor=manager, order=order, now=at(WEDNESDAY, 9, 30)).status == Status.NO_SHOW


def test_an_order_in_service_still_holds_its_slot(served, make_user, unit_admin, bookable, trained):
    late = make_user("late", organisation=trained.organisation)
    grant_qualification(actor=unit_admin, instrument=bookable, user=late)
    with pytest.raises(DomainError) as caught:
        book_slot(
            actor=late,
            instrument=bookable,
            starts_at=at(WEDNESDAY, 10),
            ends_at=at(WEDNESDAY, 11),
            purpose="x",
            now=NOW,
        )
    assert caught.value.message == services.slot_taken_message()
    with pytest.raises(DomainError):
        services.cancel_order(actor=trained, order=served, now=NOW)


@pytest.mark.postgres
def test_the_database_holds_a_slot_in_service(served, trained):
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints exist on PostgreSQL only")
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.create(
            instrument=served.instrument,
            user=trained,
            mode="machine_time",
            is_external=True,
            purpose="直接写入",
            starts_at=at(WEDNESDAY, 10),
            ends_at=at(WEDNESDAY, 12),
        )


def test_a_fee_below_zero_is_refused_by_the_database(served):
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.filter(pk=served.pk).update(final_fee=Decimal("-0.01"))


def test_notifications_go_by_email_and_sms(
    bookable, trained, manager, settings, caplog, django_capture_on_commit_callbacks
):
    trained.email = "wang@example.com"
    trained.phone = "13912345678"
    trained.save()
    with caplog.at_level("INFO", logger="dayi.sms"), django_capture_on_commit_callbacks(execute=True):
        order = book_slot(
            actor=trained,
            instrument=bookable,
            starts_at=at(WEDNESDAY, 9),
            ends_at=at(WEDNESDAY, 10),
            purpose="测",
            now=NOW,
        )
    assert any(message.to == ["wang@example.com"] for message in mail.outbox)
    assert "13912345678" in caplog.text and bookable.name in caplog.text
    assert Notification.objects.filter(recipient=trained, order=order).exists()


class RecordingSender:
    sent = []

    def send(self, phone, message):
        self.sent.append((phone, message))


def test_the_sms_sender_is_a_setting(bookable, trained, manager, settings, django_capture_on_commit_callbacks):
    settings.DAYI_SMS_SENDER = f"{__name__}.RecordingSender"
    manager.phone = "13800000001"
    manager.save()
    with django_capture_on_commit_callbacks(execute=True):
        book_slot(
            actor=trained,
            instrument=bookable,
            starts_at=at(WEDNESDAY, 9),
            ends_at=at(WEDNESDAY, 10),
            purpose="测",
            now=NOW,
        )
    assert [phone for phone, _message in RecordingSender.sent] == ["13800000001"]
