"""Is this a working day, and what is N working days later: the one answer every deadline uses.

Order of authority for a date: the operator's table (CalendarDay), then the `chinese-calendar`
package, then, for a year neither knows, Monday to Friday, in which case
`missing_calendar_years` names the year so that the operator's dashboard can warn.
"""

from datetime import date, timedelta

import chinese_calendar
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import CalendarDay

# Each web process reads the table once per year per this many seconds; a change clears the
# shared cache at once (and, with the per-process cache of the embedded setup, everywhere
# within this bound).
CACHE_SECONDS = 600
_UNKNOWN = object()


def _cache_key(year: int) -> str:
    return f"workcalendar:year:{year}"


def _table_year(year: int) -> dict[date, bool]:
    """{date: is working day} of the operator's entries for one year."""
    key = _cache_key(year)
    entries = cache.get(key)
    if entries is None:
        entries = {
            day: kind == CalendarDay.Kind.WORKDAY
            for day, kind in CalendarDay.objects.filter(date__year=year).values_list("date", "kind")
        }
        cache.set(key, entries, CACHE_SECONDS)
    return entries


@receiver([post_save, post_delete], sender=CalendarDay)
def _forget_year(sender, instance, **kwargs):
    cache.delete(_cache_key(instance.date.year))


def package_knows_year(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def table_knows_year(year: int) -> bool:
    """A year the operator has typed in: the official notice always names holidays, so one
    holiday entry means the year's notice was entered."""
    return any(not working for working in _table_year(year).values())


def _package_answer(day: date):
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return _UNKNOWN


def is_working_day(day: date) -> bool:
    table = _table_year(day.year)
    if day in table:
        return table[day]
    answer = _package_answer(day)
    if answer is _UNKNOWN:
        return day.weekday() < 5
    return answer


class DayKind:
    HOLIDAY = "holiday"
    MAKE_UP = "make_up"
    ORDINARY = "ordinary"


def day_kind(day: date) -> str:
    """A public holiday, a make-up working day on a weekend (调休), or an ordinary day; opening
    hours need this where deadlines only need `is_working_day`."""
    weekend = day.weekday() >= 5
    table = _table_year(day.year)
    if day in table:
        if not table[day]:
            return DayKind.HOLIDAY
        return DayKind.MAKE_UP if weekend else DayKind.ORDINARY
    try:
        on_holiday, holiday_name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return DayKind.ORDINARY
    if on_holiday and holiday_name:
        return DayKind.HOLIDAY
    if not on_holiday and weekend:
        return DayKind.MAKE_UP
    return DayKind.ORDINARY


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def missing_calendar_years(today: date | None = None) -> list[int]:
    """This year and next, where neither the package nor the operator's table has the official
    calendar: deadlines there fall back to Monday–Friday and may be wrong."""
    this_year = (today or timezone.localdate()).year
    return [year for year in (this_year, this_year + 1) if not package_knows_year(year) and not table_knows_year(year)]
