"""Calendar feeds (iCalendar) that a person subscribes to from a phone or desktop calendar:
their own bookings, and an instrument's schedule. Calendar programs cannot log in, so the
address carries a secret per person; replacing it stops the old addresses."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from dayi.audit import services as audit

from .models import FeedToken, Order
from .permissions import runs_instrument

PAST_DAYS = 60
AHEAD_DAYS = 370
SHOWN_STATES = (Order.Status.SUBMITTED, Order.Status.SCHEDULED, Order.Status.IN_SERVICE, Order.Status.COMPLETED)


def token_of(user) -> FeedToken:
    return FeedToken.objects.get_or_create(user=user)[0]


def renew_token(*, actor) -> FeedToken:
    with transaction.atomic():
        feed, _created = FeedToken.objects.get_or_create(user=actor)
        feed.token = FeedToken._meta.get_field("token").default()
        feed.save()
        audit.record(actor=actor, action="booking.feed_renewed", target=actor)
    return feed


def user_of(token: str):
    feed = FeedToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
    return feed.user if feed else None


def _window(now=None):
    now = now or timezone.now()
    return now - timedelta(days=PAST_DAYS), now + timedelta(days=AHEAD_DAYS)


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Dayi//booking//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    return calendar


def _event(order: Order, summary: str, description: str = "") -> Event:
    event = Event()
    event.add("uid", f"order-{order.pk}@dayi")
    event.add("dtstamp", order.updated_at)
    event.add("dtstart", order.starts_at)
    event.add("dtend", order.ends_at)
    event.add("summary", summary)
    event.add("status", "TENTATIVE" if order.status == Order.Status.SUBMITTED else "CONFIRMED")
    if description:
        event.add("description", description)
    return event


def _slots(queryset, now=None):
    first, last = _window(now)
    return queryset.filter(
        mode=Order.Mode.MACHINE_TIME, status__in=SHOWN_STATES, starts_at__lt=last, ends_at__gt=first
    ).order_by("starts_at")


def my_bookings_ics(user, now=None) -> bytes:
    calendar = _calendar(_("My bookings"))
    for order in _slots(Order.objects.filter(user=user).select_related("instrument", "instrument__owner"), now):
        calendar.add_component(
            _event(
                order,
                f"{order.instrument.name} · {order.get_status_display()}",
                f"{order.instrument.owner.name}\n{order.purpose}",
            )
        )
    return calendar.to_ical()


def instrument_ics(user, instrument, now=None) -> bytes:
    """The running unit sees who booked and why; anyone else only that the time is taken."""
    staff = runs_instrument(user, instrument)
    calendar = _calendar(instrument.name)
    for order in _slots(Order.objects.filter(instrument=instrument).select_related("user"), now):
        if staff:
            calendar.add_component(_event(order, f"{order.user} · {order.get_status_display()}", order.purpose))
        else:
            calendar.add_component(_event(order, _("My booking") if order.user_id == user.pk else _("Booked")))
    return calendar.to_ical()
