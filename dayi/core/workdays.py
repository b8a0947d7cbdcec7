"""Working-day arithmetic for deadlines.

The foundation counts Monday to Friday; the official calendar (holidays and make-up working
days) replaces `is_working_day` with the booking capability, and every deadline already goes
through this module.
"""

from datetime import date, timedelta


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current
