from datetime import date

import pytest

from dayi.core import workdays
from dayi.workcalendar.models import CalendarDay
from dayi.workcalendar.services import (
    DayKind,
    add_working_days,
    day_kind,
    is_working_day,
    missing_calendar_years,
    package_knows_year,
)

pytestmark = pytest.mark.django_db

UNKNOWN_YEAR = 2031


def test_official_holidays_and_make_up_days_from_the_package():
    assert not is_working_day(date(2026, 10, 1))  # 国庆节, a Thursday
    assert not is_working_day(date(2026, 4, 6))  # 清明节 observed on Monday
    assert is_working_day(date(2026, 4, 7))
    assert is_working_day(date(2026, 2, 28))  # 春节调休, a Saturday
    assert not is_working_day(date(2026, 3, 7))  # an ordinary Saturday


def test_a_year_the_package_does_not_know_falls_back_to_monday_to_friday():
    assert not package_knows_year(UNKNOWN_YEAR)
    assert is_working_day(date(UNKNOWN_YEAR, 1, 1))  # a Wednesday: no holiday known yet
    assert not is_working_day(date(UNKNOWN_YEAR, 1, 4))  # a Saturday
    assert add_working_days(date(UNKNOWN_YEAR, 1, 3), 1) == date(UNKNOWN_YEAR, 1, 6)


def test_the_package_does_not_know_2027_and_nothing_crashes():
    # chinese-calendar 1.11.0 stops at 2026; the 2027 notice is not in it, so none is shipped.
    assert not package_knows_year(2027)
    assert add_working_days(date(2026, 12, 28), 10) == date(2027, 1, 11)
    assert missing_calendar_years(today=date(2026, 12, 1)) == [2027]
    assert missing_calendar_years(today=date(2026, 6, 1)) == [2027]
    assert missing_calendar_years(today=date(2025, 6, 1)) == []


def test_the_operators_table_overrides_the_package_and_covers_new_years():
    CalendarDay.objects.create(date=date(2026, 3, 9), kind=CalendarDay.Kind.HOLIDAY, name="测试休息日")
    assert not is_working_day(date(2026, 3, 9))
    CalendarDay.objects.create(date=date(2026, 10, 7), kind=CalendarDay.Kind.WORKDAY, name="测试上班日")
    assert is_working_day(date(2026, 10, 7))
    CalendarDay.objects.create(date=date(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    assert not is_working_day(date(2027, 1, 1))
    assert missing_calendar_years(today=date(2026, 12, 1)) == []


def test_a_deleted_entry_stops_counting_at_once():
    entry = CalendarDay.objects.create(date=date(2026, 3, 9), kind=CalendarDay.Kind.HOLIDAY, name="测试")
    assert not is_working_day(date(2026, 3, 9))
    entry.delete()
    assert is_working_day(date(2026, 3, 9))


def test_core_workdays_delegates_to_the_official_calendar():
    assert not workdays.is_working_day(date(2026, 10, 1))
    # The National Day week (10-01..10-07) is skipped and Saturday 10-10 is a make-up working day.
    assert workdays.add_working_days(date(2026, 9, 29), 2) == date(2026, 10, 8)
    assert workdays.add_working_days(date(2026, 10, 8), 2) == date(2026, 10, 10)


def test_day_kind_tells_holidays_from_weekends_and_make_up_days():
    assert day_kind(date(2026, 10, 1)) == DayKind.HOLIDAY
    assert day_kind(date(2026, 10, 3)) == DayKind.HOLIDAY  # a Saturday inside the National Day week
    assert day_kind(date(2026, 10, 10)) == DayKind.MAKE_UP
    assert day_kind(date(2026, 3, 7)) == DayKind.ORDINARY  # an ordinary Saturday
    assert day_kind(date(UNKNOWN_YEAR, 1, 1)) == DayKind.ORDINARY
    CalendarDay.objects.create(date=date(UNKNOWN_YEAR, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    CalendarDay.objects.create(date=date(UNKNOWN_YEAR, 1, 4), kind=CalendarDay.Kind.WORKDAY, name="调休")
    assert day_kind(date(UNKNOWN_YEAR, 1, 1)) == DayKind.HOLIDAY
    assert day_kind(date(UNKNOWN_YEAR, 1, 4)) == DayKind.MAKE_UP
