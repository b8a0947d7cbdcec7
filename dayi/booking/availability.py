"""When an instrument is open and busy: opening windows from the weekly pattern and the
official calendar, closures, and the slots held by active orders."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from dayi.workcalendar.services import DayKind, day_kind

from .models import ACTIVE_STATES, Closure, OpeningHours, Order


def _aware(day: date, moment) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def pattern_of(instrument) -> dict[int, list[OpeningHours]]:
    pattern: dict[int, list[OpeningHours]] = {}
    for window in OpeningHours.objects.filter(instrument=instrument):
        pattern.setdefault(window.weekday, []).append(window)
    return pattern


def windows_on(day: date, pattern, follows_official_calendar: bool) -> list[tuple[datetime, datetime]]:
    """The opening windows of one day. With the official calendar a public holiday is closed and
    a make-up working day (调休) opens as a Monday does, as offices do."""
    weekday = day.weekday()
    if follows_official_calendar:
        kind = day_kind(day)
        if kind == DayKind.HOLIDAY:
            return []
        if kind == DayKind.MAKE_UP:
            weekday = OpeningHours.Weekday.MONDAY
    return [(_aware(day, w.opens), _aware(day, w.closes)) for w in pattern.get(weekday, [])]


def windows_between(instrument, rules, first: date, last: date) -> list[tuple[datetime, datetime]]:
    pattern = pattern_of(instrument)
    windows = []
    day = first
    while day <= last:
        windows.extend(windows_on(day, pattern, rules.closed_on_holidays))
        day += timedelta(days=1)
    return windows


def first_open_day(instrument, rules, now: datetime) -> date:
    """The first day from today, within the booking horizon, with opening time still ahead of
    the lead time; the calendar opens there, so a phone's one-day view on a weekend or late in
    the evening does not show an empty day. Today when nothing opens in the horizon."""
    today = timezone.localdate(now)
    earliest = now + timedelta(hours=rules.lead_hours)
    pattern = pattern_of(instrument)
    for offset in range(rules.max_days_ahead + 1):
        day = today + timedelta(days=offset)
        if any(closes > earliest for _opens, closes in windows_on(day, pattern, rules.closed_on_holidays)):
            return day
    return today


def closures_overlapping(instrument, starts_at, ends_at):
    return Closure.objects.filter(instrument=instrument, starts_at__lt=ends_at, ends_at__gt=starts_at)


def held_slots(instrument, starts_at, ends_at):
    """Active machine-time orders that overlap the period."""
    return Order.objects.filter(
        instrument=instrument,
        mode=Order.Mode.MACHINE_TIME,
        status__in=ACTIVE_STATES,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
