"""Network entry (入网): a unit submits a record, the platform operator approves or returns it.

Only approved, non-confidential records are public. Every transition is audited.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.accounts.permissions import scope_of
from dayi.audit import services as audit
from dayi.catalog.models import Instrument
from dayi.core.errors import DomainError, PermissionDenied

Status = Instrument.EntryStatus


def _locked(instrument) -> Instrument:
    return Instrument.objects.select_for_update().get(pk=instrument.pk)


def submit_for_entry(*, actor, instrument: Instrument) -> Instrument:
    if not scope_of(actor).can_administer_unit(instrument.owner_id):
        audit.record(actor=actor, action="instrument.submit_refused", target=instrument)
        raise PermissionDenied(_("You may only submit the instruments of your own unit."))
    with transaction.atomic():
        record = _locked(instrument)
        if record.entry_status not in (Status.DRAFT, Status.RETURNED):
            raise DomainError(
                _("Only a draft or a returned record can be submitted; this one is %(status)s.")
                % {"status": record.get_entry_status_display()}
            )
        record.entry_status = Status.SUBMITTED
        record.submitted_at = timezone.now()
        record.save(update_fields=["entry_status", "submitted_at", "updated_at"])
        audit.record(actor=actor, action="instrument.submitted", target=record)
    return record


def _review(*, actor, instrument, to_status, reason=""):
    if not scope_of(actor).is_operator:
        raise PermissionDenied(_("Only the platform operator reviews network entry."))
    with transaction.atomic():
        record = _locked(instrument)
        if record.entry_status != Status.SUBMITTED:
            raise DomainError(
                _("Only a submitted record can be reviewed; this one is %(status)s.")
                % {"status": record.get_entry_status_display()}
            )
        record.entry_status = to_status
        record.entry_return_reason = reason
        fields = ["entry_status", "entry_return_reason", "updated_at"]
        if to_status == Status.APPROVED:
            record.approved_at = timezone.now()
            fields.append("approved_at")
        record.save(update_fields=fields)
        audit.record(actor=actor, action=f"instrument.{to_status}", target=record, reason=reason)
    return record


def approve_entry(*, actor, instrument: Instrument) -> Instrument:
    return _review(actor=actor, instrument=instrument, to_status=Status.APPROVED)


def return_entry(*, actor, instrument: Instrument, reason: str) -> Instrument:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the record is returned, so that the unit can fix it."), field="reason")
    return _review(actor=actor, instrument=instrument, to_status=Status.RETURNED, reason=reason)
