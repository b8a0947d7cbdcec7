"""Importing a spreadsheet of instruments: check the whole file, then apply it in one
transaction through the catalogue's own services, so permissions and the audit trail hold."""

import logging
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dayi.accounts.permissions import scope_of
from dayi.catalog.models import Instrument
from dayi.catalog.services import (
    create_instrument,
    hours_of,
    report_yearly_usage,
    update_instrument,
    usage_label,
)
from dayi.core.errors import DomainError, PermissionDenied

from .files import FileRefused, problem, read_table
from .models import ImportJob
from .selectors import progress_key
from .validation import PROGRESS_EVERY, ParsedRow, validate

logger = logging.getLogger(__name__)
LOOKUP_CHUNK = 500


def create_job(*, actor, unit, upload) -> ImportJob:
    """Store the uploaded file and a pending job; the work runs in `run_import`."""
    _check_may_import(actor, unit)
    return ImportJob.objects.create(
        created_by=actor,
        unit=unit,
        file=upload,
        file_name=upload.name[:200],
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def _check_may_import(actor, unit):
    scope = scope_of(actor)
    if scope.is_operator:
        return
    if unit is None or unit.pk not in scope.administered_unit_ids:
        raise PermissionDenied(_("Only a unit's administrators and the platform operator may import its instruments."))


def run_import(*, job: ImportJob, progress=None) -> ImportJob:
    """Check and apply the job's file. `progress(status, done, total)` hears about each step."""
    with translation.override(job.language):
        try:
            counts = _run(job, progress or (lambda *args: None))
        except FileRefused as refusal:
            _finish(job, ImportJob.Status.REFUSED, errors=refusal.errors)
        except DomainError as error:
            _finish(job, ImportJob.Status.REFUSED, errors=[problem(error.message)])
        except Exception:
            logger.exception("import job %s failed", job.pk)
            _finish(
                job, ImportJob.Status.REFUSED, errors=[problem(_("The import failed unexpectedly; nothing was saved."))]
            )
        else:
            _finish(job, ImportJob.Status.DONE, counts=counts)
    return job


def _run(job, progress) -> Counter:
    actor = job.created_by
    if actor is None:
        raise PermissionDenied(_("The person who uploaded this file no longer exists."))
    _check_may_import(actor, job.unit)
    _set_status(job, ImportJob.Status.VALIDATING, started_at=timezone.now())
    with job.file.open("rb") as handle:
        table = read_table(job.file_name, handle.read(), max_rows=settings.DAYI_IMPORT_MAX_ROWS)
    _set_status(job, ImportJob.Status.VALIDATING, total_rows=len(table.rows))

    def validated(done):
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)
        progress(ImportJob.Status.VALIDATING, done, len(table.rows))

    rows = validate(table, actor=actor, unit=job.unit, progress=validated)
    _set_status(job, ImportJob.Status.APPLYING, processed_rows=0)

    def applied(done):
        cache.set(progress_key(job.pk), done, timeout=3600)
        progress(ImportJob.Status.APPLYING, done, len(rows))

    return apply_rows(actor=actor, rows=rows, progress=applied)


def apply_rows(*, actor, rows: list[ParsedRow], progress=None) -> Counter:
    """Create or update every row in one transaction; any refusal undoes the whole file."""
    counts, errors = Counter(), []
    with transaction.atomic():
        existing = _existing(rows)
        for done, row in enumerate(rows, start=1):
            try:
                counts[_apply_row(actor, row, existing.get(row.key))] += 1
            except DomainError as error:
                errors.append(problem(error.message, row=row.number))
            if progress and (done % PROGRESS_EVERY == 0 or done == len(rows)):
                progress(done)
        if errors:
            raise FileRefused(errors)
    return counts


def _existing(rows) -> dict:
    """The records the file names already, keyed by (unit, inventory number)."""
    found = {}
    by_owner = {}
    for row in rows:
        by_owner.setdefault(row.owner.pk, []).append(row.data["inventory_number"])
    for owner_id, numbers in by_owner.items():
        for start in range(0, len(numbers), LOOKUP_CHUNK):
            chunk = Instrument.objects.filter(
                owner_id=owner_id, inventory_number__in=numbers[start : start + LOOKUP_CHUNK]
            )
            for instrument in chunk.prefetch_related("disciplines", "themes", "yearly_usage"):
                found[instrument.owner_id, instrument.inventory_number] = instrument
    return found


def _apply_row(actor, row: ParsedRow, instrument: Instrument | None) -> str:
    if instrument is None:
        created = create_instrument(
            actor=actor, owner=row.owner, data=row.data, disciplines=row.disciplines, themes=row.themes
        )
        if row.yearly_usage:
            report_yearly_usage(actor=actor, instrument=created, usage=row.yearly_usage)
        return "created"
    changed = {name: value for name, value in row.data.items() if _differs(instrument, name, value)}
    disciplines = row.disciplines if _set_differs(instrument.disciplines.all(), row.disciplines) else None
    themes = row.themes if _set_differs(instrument.themes.all(), row.themes) else None
    usage = _new_usage(instrument, row.yearly_usage)
    if not changed and disciplines is None and themes is None and not usage:
        return "unchanged"
    if changed or disciplines is not None or themes is not None:
        update_instrument(actor=actor, instrument=instrument, data=changed, disciplines=disciplines, themes=themes)
    if usage:
        report_yearly_usage(actor=actor, instrument=instrument, usage=usage)
    return "updated"


def _differs(instrument, name, value) -> bool:
    field = Instrument._meta.get_field(name)
    if field.is_relation:
        return getattr(instrument, field.attname) != (value.pk if value is not None else None)
    current = getattr(instrument, name)
    if name == "country":
        current = current.code
    return current != value


def _new_usage(instrument, wanted) -> dict:
    """The years of the file whose hours differ from what the record holds."""
    held = {row.year: usage_label(hours_of(row)) for row in instrument.yearly_usage.all()}
    return {year: hours for year, hours in (wanted or {}).items() if held.get(year) != usage_label(hours)}


def _set_differs(current, wanted) -> bool:
    return wanted is not None and {item.pk for item in current} != {item.pk for item in wanted}


def _set_status(job, status, **fields):
    job.status = status
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["status", *fields])


def _finish(job, status, *, errors=(), counts=None):
    counts = counts or Counter()
    cache.delete(progress_key(job.pk))
    _set_status(
        job,
        status,
        errors=list(errors),
        created_count=counts["created"],
        updated_count=counts["updated"],
        unchanged_count=counts["unchanged"],
        processed_rows=job.total_rows if status == ImportJob.Status.DONE else job.processed_rows,
        finished_at=timezone.now(),
    )
