"""Reads for the import and export pages, limited to what the person may see."""

from django.core.cache import cache
from django.db.models import Q

from dayi.accounts.permissions import scope_of
from dayi.accounts.selectors import management_units_for
from dayi.catalog.selectors import visible_instruments

from .models import ImportJob


def progress_key(job_id) -> str:
    return f"exchange:import:{job_id}:progress"


def importable_units(user):
    """The units this person may import for: those they administer; all for the operator."""
    return management_units_for(user, administered_only=True)


def may_exchange(user) -> bool:
    scope = scope_of(user)
    return scope.is_operator or bool(scope.administered_unit_ids)


def jobs_for(user):
    scope = scope_of(user)
    jobs = ImportJob.objects.select_related("unit", "created_by")
    if scope.is_operator:
        return jobs
    return jobs.filter(Q(created_by=user) | Q(unit_id__in=scope.administered_unit_ids))


def job_progress(job: ImportJob) -> dict:
    """Rows done in the current phase. While rows are saved the job's own row is inside an
    open transaction, so the count travels through the shared cache instead."""
    processed = job.processed_rows
    if not job.is_finished:
        processed = max(processed, cache.get(progress_key(job.pk), 0))
    total = job.total_rows or 0
    if job.status == ImportJob.Status.DONE:
        percent = 100
    elif total:
        # Checking is the first half of the work, saving the second.
        done = processed + (total if job.status == ImportJob.Status.APPLYING else 0)
        percent = min(99, round(50 * done / total))
    else:
        percent = 0
    return {"processed": processed, "total": total, "percent": percent}


def exportable_instruments(user, unit=None):
    """What the person may see of the catalogue, one unit's records when `unit` is given, with
    everything an export row needs fetched up front."""
    instruments = visible_instruments(user)
    if unit is not None:
        instruments = instruments.filter(owner=unit)
    return (
        instruments.select_related("owner", "operator", "region", "instrument_class")
        .prefetch_related("disciplines", "themes", "yearly_usage")
        .order_by("owner__name", "inventory_number", "pk")
    )
