"""Network-entry deadlines, the unit's entry list and the operator's review queue."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.accounts.models import Organisation
from dayi.accounts.permissions import scope_of
from dayi.accounts.selectors import management_units_for
from dayi.audit.services import trail_for
from dayi.catalog.models import Instrument
from dayi.catalog.selectors import unit_instruments
from dayi.core.errors import PermissionDenied
from dayi.core.workdays import add_working_days

Status = Instrument.EntryStatus
FISCAL = (Instrument.Funding.CENTRAL_FISCAL, Instrument.Funding.LOCAL_FISCAL)


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


def latest_overdue_acceptance(today: date) -> date:
    """The last acceptance date whose deadline has passed by `today`.

    The deadline grows with the acceptance date, so "overdue" becomes one indexed date filter
    instead of a computation per row; stepping back day by day keeps it right whatever
    calendar `add_working_days` follows.
    """
    day = today - timedelta(days=1)
    while add_working_days(day, settings.DAYI_ENTRY_DEADLINE_WORKING_DAYS) >= today:
        day -= timedelta(days=1)
    return day


def overdue_filter(today: date | None = None) -> Q:
    """Fiscal records not yet in the network whose deadline has passed."""
    cutoff = latest_overdue_acceptance(today or timezone.localdate())
    return Q(funding__in=FISCAL, acceptance_date__lte=cutoff) & ~Q(entry_status=Status.APPROVED)


def managed_units(user):
    """The units whose list this person may open: their own, or every management unit for the operator."""
    return management_units_for(user)


def unit_entry_list(user, unit_id, *, status="", overdue=False, query=""):
    """One unit's instruments in every entry status, newest first, for the people who manage it."""
    instruments = unit_instruments(user, unit_id).select_related("instrument_class", "category")
    if status:
        instruments = instruments.filter(entry_status=status)
    if overdue:
        instruments = instruments.filter(overdue_filter())
    if query:
        instruments = instruments.filter(
            Q(name__icontains=query) | Q(inventory_number__icontains=query) | Q(model_number__icontains=query)
        )
    return instruments.order_by("-updated_at", "-id")


def status_counts(user, unit_id) -> dict:
    """{status: count} for every entry status of the unit (zero included), plus 'overdue' and 'all'."""
    instruments = unit_instruments(user, unit_id)
    counts = {value: 0 for value in Status.values}
    for row in instruments.values("entry_status").annotate(n=Count("id")).order_by():
        counts[row["entry_status"]] = row["n"]
    counts["all"] = sum(counts.values())
    counts["overdue"] = instruments.filter(overdue_filter()).count()
    return counts


def instrument_for_edit(user, pk) -> Instrument:
    """The record a unit admin may edit; anyone else gets PermissionDenied (an unknown record, 404)."""
    instrument = get_object_or_404(Instrument.objects.select_related("owner"), pk=pk)
    if not scope_of(user).can_administer_unit(instrument.owner_id):
        raise PermissionDenied(_("You may only manage the instruments of your own unit."))
    return instrument


def unit_for_new_instrument(user, unit_id) -> Organisation:
    """The unit a new record is drafted for; only its unit admins (or the operator) may."""
    unit = get_object_or_404(Organisation, pk=unit_id, is_management_unit=True)
    if not scope_of(user).can_administer_unit(unit.pk):
        raise PermissionDenied(_("You may only manage the instruments of your own unit."))
    return unit


def review_queue():
    return (
        Instrument.objects.filter(entry_status=Status.SUBMITTED)
        .select_related("owner", "instrument_class", "region")
        .order_by("submitted_at")
    )


def _require_operator(user):
    if not scope_of(user).is_operator:
        raise PermissionDenied(_("Only the platform operator reviews network entry."))


def review_queue_for(user):
    """The submitted records, oldest first; the platform operator's alone."""
    _require_operator(user)
    return review_queue()


def instrument_for_review(user, pk) -> Instrument:
    _require_operator(user)
    return get_object_or_404(
        Instrument.objects.select_related(
            "owner", "operator", "instrument_class", "category", "region"
        ).prefetch_related("disciplines", "themes", "photos"),
        pk=pk,
    )


def instrument_history(instrument: Instrument):
    """The instrument's audit entries, newest first; shown only on pages already limited to
    the people who manage or review the record."""
    return trail_for(instrument).select_related("actor")
