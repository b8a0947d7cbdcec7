from datetime import date

import pytest

from dayi.audit.models import AuditEntry
from dayi.catalog.models import Instrument
from dayi.catalog.selectors import visible_instruments
from dayi.core.errors import DomainError, PermissionDenied
from dayi.lifecycle.selectors import entry_deadline, entry_is_overdue
from dayi.lifecycle.services import approve_entry, return_entry, submit_for_entry


def test_entry_workflow_draft_submit_return_resubmit_approve(make_instrument, unit_admin, operator):
    instrument = make_instrument()
    submit_for_entry(actor=unit_admin, instrument=instrument)
    returned = return_entry(actor=operator, instrument=instrument, reason="型号缺失")
    assert returned.entry_status == Instrument.EntryStatus.RETURNED
    assert returned.entry_return_reason == "型号缺失"
    submit_for_entry(actor=unit_admin, instrument=instrument)
    approved = approve_entry(actor=operator, instrument=instrument)
    assert approved.is_public
    actions = list(AuditEntry.objects.filter(target_id=str(instrument.pk)).values_list("action", flat=True))
    assert set(actions) >= {"instrument.submitted", "instrument.returned", "instrument.approved"}


def test_only_the_operator_reviews(make_instrument, unit_admin):
    instrument = make_instrument()
    submit_for_entry(actor=unit_admin, instrument=instrument)
    with pytest.raises(PermissionDenied):
        approve_entry(actor=unit_admin, instrument=instrument)


def test_return_needs_a_reason(make_instrument, unit_admin, operator):
    instrument = make_instrument()
    submit_for_entry(actor=unit_admin, instrument=instrument)
    with pytest.raises(DomainError):
        return_entry(actor=operator, instrument=instrument, reason="  ")


def test_another_unit_cannot_submit(make_instrument, other_unit_admin):
    with pytest.raises(PermissionDenied):
        submit_for_entry(actor=other_unit_admin, instrument=make_instrument())


def test_drafts_and_confidential_records_are_not_public(make_instrument, approved_instrument, unit_admin, operator):
    from django.contrib.auth.models import AnonymousUser

    draft = make_instrument()
    secret = make_instrument(is_confidential=True)
    submit_for_entry(actor=unit_admin, instrument=secret)
    approve_entry(actor=operator, instrument=secret)
    public_ids = set(visible_instruments(AnonymousUser()).values_list("id", flat=True))
    assert public_ids == {approved_instrument.id}
    assert {draft.id, secret.id} <= set(visible_instruments(unit_admin).values_list("id", flat=True))


def test_entry_deadline_is_30_working_days_after_acceptance_for_fiscal_funds(make_instrument):
    instrument = make_instrument(acceptance_date=date(2026, 3, 2), funding="local_fiscal")
    # 清明节 falls on Monday 2026-04-06 in the official calendar, so the 30th working day is 04-14.
    assert entry_deadline(instrument) == date(2026, 4, 14)
    assert entry_is_overdue(instrument, today=date(2026, 4, 15))
    assert not entry_is_overdue(instrument, today=date(2026, 4, 14))
    assert entry_deadline(make_instrument(funding="own")) is None
