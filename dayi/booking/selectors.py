"""Reads for the booking pages, each limited to what the person may see."""

from datetime import date, timedelta

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.accounts.permissions import scope_of
from dayi.catalog.selectors import visible_instruments

from .availability import windows_between
from .documents import can_read
from .models import ACTIVE_STATES, BookingRules, Closure, Notification, Order, OrderDocument
from .permissions import require_rules_editor

# The calendar asks for one view at a time; a longer range is cut to this many days.
MAX_RANGE_DAYS = 62


def instrument_for_booking(user, pk):
    return get_object_or_404(visible_instruments(user).select_related("owner", "booking_rules"), pk=pk)


def instrument_for_settings(user, pk):
    instrument = get_object_or_404(visible_instruments(user).select_related("owner"), pk=pk)
    require_rules_editor(user, instrument)
    return instrument


def rules_of(instrument) -> BookingRules | None:
    try:
        return instrument.booking_rules
    except BookingRules.DoesNotExist:
        return None


def availability_events(instrument, user, first: date, last: date) -> list[dict]:
    """FullCalendar events for [first, last]: open windows as background ("open" group, the
    only places a selection may go), closures, and the slots held by active orders. Other
    people's orders show as busy without their names."""
    last = min(last, first + timedelta(days=MAX_RANGE_DAYS))
    rules = rules_of(instrument)
    events = []
    if rules is not None:
        for opens, closes in windows_between(instrument, rules, first, last):
            events.append(
                {"groupId": "open", "start": opens.isoformat(), "end": closes.isoformat(), "display": "background"}
            )
    start = timezone.make_aware(timezone.datetime.combine(first, timezone.datetime.min.time()))
    end = timezone.make_aware(timezone.datetime.combine(last + timedelta(days=1), timezone.datetime.min.time()))
    for closure in Closure.objects.filter(instrument=instrument, starts_at__lt=end, ends_at__gt=start):
        events.append(
            {
                "title": f"{closure.get_kind_display()}：{closure.reason}",
                "start": closure.starts_at.isoformat(),
                "end": closure.ends_at.isoformat(),
                "display": "background",
                "classNames": ["dayi-closure"],
            }
        )
    held = Order.objects.filter(
        instrument=instrument, status__in=ACTIVE_STATES, starts_at__lt=end, ends_at__gt=start
    ).only("id", "user_id", "status", "starts_at", "ends_at")
    for order in held:
        mine = order.user_id == user.pk
        events.append(
            {
                "title": _("My booking") if mine else _("Booked"),
                "start": order.starts_at.isoformat(),
                "end": order.ends_at.isoformat(),
                "classNames": ["dayi-mine" if mine else "dayi-busy"],
            }
        )
    return events


def my_orders(user):
    return Order.objects.filter(user=user).select_related("instrument", "instrument__owner")


def documents_of(order):
    return OrderDocument.objects.filter(order=order).select_related("uploaded_by")


def document_for_person(user, pk):
    """Only for the people documents.can_read admits; anyone else gets the 404 of a missing file."""
    document = get_object_or_404(OrderDocument.objects.select_related("order", "order__instrument"), pk=pk)
    if not can_read(user, document.order):
        raise Http404
    return document


def _run_by(user):
    units = scope_of(user).managed_unit_ids
    return Q(instrument__owner_id__in=units) | Q(instrument__operator_id__in=units)


def staff_queue(user):
    """Orders waiting for a decision, oldest first, on the instruments this person runs."""
    return (
        Order.objects.filter(_run_by(user), status=Order.Status.SUBMITTED)
        .select_related("instrument", "user", "organisation")
        .order_by("starts_at", "id")
    )


def staff_slots(user, first: date, last: date):
    """Machine time scheduled or in service on [first, last] (local dates), in time order."""
    start = timezone.make_aware(timezone.datetime.combine(first, timezone.datetime.min.time()))
    end = timezone.make_aware(timezone.datetime.combine(last + timedelta(days=1), timezone.datetime.min.time()))
    return (
        Order.objects.filter(
            _run_by(user),
            mode=Order.Mode.MACHINE_TIME,
            status__in=[Order.Status.SCHEDULED, Order.Status.IN_SERVICE],
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .select_related("instrument", "user", "organisation")
        .order_by("starts_at", "id")
    )


def staff_work(user):
    """What the unit still has to do: samples to receive or test, services to complete,
    reports to upload, off-platform payments to confirm."""
    return (
        Order.objects.filter(_run_by(user))
        .filter(
            Q(mode=Order.Mode.SAMPLE_TESTING, status=Order.Status.ACCEPTED)
            | Q(status__in=[Order.Status.IN_SERVICE, Order.Status.COMPLETED, Order.Status.REPORT_ISSUED])
        )
        .select_related("instrument", "user", "organisation")
        .order_by("status", "id")
    )


def orders_for_person(user):
    """Orders its user, an admin of the user's organisation, or the running unit may open."""
    visible = _run_by(user) | Q(user=user) | Q(organisation_id__in=scope_of(user).administered_unit_ids)
    return Order.objects.filter(visible).select_related("instrument", "instrument__owner", "user", "organisation")


def order_for_person(user, pk):
    return get_object_or_404(orders_for_person(user), pk=pk)


def order_for_staff(user, pk):
    return get_object_or_404(Order.objects.filter(_run_by(user)).select_related("instrument", "user"), pk=pk)


def order_for_cancel(user, pk):
    return get_object_or_404(
        Order.objects.filter(_run_by(user) | Q(user=user)).select_related("instrument", "user"), pk=pk
    )


def inbox(user):
    return Notification.objects.filter(recipient=user).select_related("order")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
