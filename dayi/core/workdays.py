"""Working-day arithmetic for deadlines, following the official calendar (holidays and make-up
working days) of dayi.workcalendar.

Core sits below every app, so the calendar service is imported when called, not when this
module is loaded (its models need the app registry).
"""

from datetime import date


def is_working_day(day: date) -> bool:
    from dayi.workcalendar.services import is_working_day as official

    return official(day)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    from dayi.workcalendar.services import add_working_days as official

    return official(start, days)
