"""Network-entry deadlines and the operator's review queue."""

from datetime import date

from django.conf import settings
from django.utils import timezone

from dayi.catalog.models import Instrument
from dayi.core.workdays import add_working_days


def entry_deadline(instrument: Instrument) -> date | None:
    """Fiscal-funded instruments must join within 30 working days of acceptance [002 §一, 003 §2];
    others join voluntarily and have no deadline."""
    if not instrument.is_fiscal or instrument.acceptance_date is None:
        return None
    return add_working_days(instrument.acceptance_date, settings.DAYI_ENTRY_DEADLINE_WORKING_DAYS)


def entry_is_overdue(instrument: Instrument, today: date | None = None) -> bool:
    """Past the deadline and not yet in the network, or it joined after the deadline."""
    deadline = entry_deadline(instrument)
    if deadline is None:
        return False
    if instrument.approved_at is not None:
        return timezone.localdate(instrument.approved_at) > deadline
    return (today or timezone.localdate()) > deadline


def review_queue():
    return (
        Instrument.objects.filter(entry_status=Instrument.EntryStatus.SUBMITTED)
        .select_related("owner", "instrument_class", "region")
        .order_by("submitted_at")
    )
