"""Recurring bookings: the same weekly slot over a date range (a semester). Each occurrence is
booked through book_slot with every rule, in its own transaction, so one refused week leaves
the others booked; the series keeps each week's result."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.audit import services as audit
from dayi.core.errors import DomainError, PermissionDenied

from .models import OpeningHours, RecurringSeries
from .services import book_slot

MAX_WEEKS = 26


def occurrences(weekday: int, first_day: date, last_day: date) -> list[date]:
    day = first_day + timedelta(days=(weekday - first_day.weekday()) % 7)
    days = []
    while day <= last_day:
        days.append(day)
        day += timedelta(days=7)
    return days


def book_recurring(
    *,
    actor,
    instrument,
    weekday: int,
    starts: time,
    ends: time,
    first_day: date,
    last_day: date,
    purpose: str,
    service_purpose: str = "research",
    now=None,
) -> RecurringSeries:
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to book machine time."))
    if starts >= ends:
        raise DomainError(_("The end must come after the start."), field="ends")
    if last_day < first_day:
        raise DomainError(_("The last day comes before the first."), field="last_day")
    days = occurrences(weekday, first_day, last_day)
    if not days:
        raise DomainError(
            _("There is no %(weekday)s between these dates.") % {"weekday": OpeningHours.Weekday(weekday).label},
            field="weekday",
        )
    if len(days) > MAX_WEEKS:
        raise DomainError(
            _("A recurring booking covers at most %(weeks)s weeks.") % {"weeks": MAX_WEEKS}, field="last_day"
        )
    with transaction.atomic():
        series = RecurringSeries.objects.create(
            user=actor,
            instrument=instrument,
            weekday=weekday,
            starts=starts,
            ends=ends,
            first_day=first_day,
            last_day=last_day,
            purpose=purpose.strip(),
        )
    results = []
    for day in days:
        start = timezone.make_aware(datetime.combine(day, starts))
        end = timezone.make_aware(datetime.combine(day, ends))
        try:
            order = book_slot(
                actor=actor,
                instrument=instrument,
                starts_at=start,
                ends_at=end,
                purpose=purpose,
                service_purpose=service_purpose,
                series=series,
                now=now,
            )
        except DomainError as error:
            results.append({"date": day.isoformat(), "order": None, "status": "", "message": str(error.message)})
        else:
            results.append(
                {
                    "date": day.isoformat(),
                    "order": order.pk,
                    "status": order.status,
                    "message": order.get_status_display(),
                }
            )
    with transaction.atomic():
        series.results = results
        series.save(update_fields=["results"])
        audit.record(
            actor=actor,
            action="booking.series_booked",
            target=instrument,
            changes={
                "series": series.pk,
                "booked": sum(1 for r in results if r["order"]),
                "refused": sum(1 for r in results if not r["order"]),
            },
        )
    return series
