from decimal import Decimal

import pytest

from dayi.audit.models import AuditEntry
from dayi.catalog.models import Instrument
from dayi.catalog.services import assignable_class, report_yearly_usage, update_instrument
from dayi.core.errors import DomainError, PermissionDenied


def test_new_instrument_is_a_draft_with_its_category_from_the_class_code(make_instrument):
    instrument = make_instrument()
    assert instrument.entry_status == Instrument.EntryStatus.DRAFT
    assert instrument.category.slug == "microscopy"
    assert instrument.value_wan == Decimal("320.00")
    assert AuditEntry.objects.filter(action="instrument.created", target_id=str(instrument.pk)).exists()


def test_class_code_must_exist_and_be_a_leaf_or_other(db):
    with pytest.raises(DomainError, match="999999"):
        assignable_class("999999")
    with pytest.raises(DomainError, match="010100"):
        assignable_class("010100")
    assert assignable_class("010199").name == "其他"
    assert assignable_class("019900").code == "019900"


def test_negative_value_is_refused(make_instrument):
    with pytest.raises(DomainError):
        make_instrument(original_value=Decimal("-1"))


def test_another_units_admin_cannot_edit_and_the_attempt_is_audited(make_instrument, other_unit_admin):
    instrument = make_instrument()
    with pytest.raises(PermissionDenied):
        update_instrument(actor=other_unit_admin, instrument=instrument, data={"name": "改名"})
    instrument.refresh_from_db()
    assert instrument.name == "扫描电子显微镜"
    refused = AuditEntry.objects.get(action="instrument.edit_refused")
    assert refused.actor == other_unit_admin


def test_an_edit_records_what_changed(make_instrument, unit_admin):
    instrument = make_instrument()
    update_instrument(actor=unit_admin, instrument=instrument, data={"model_number": "SU8020"})
    entry = AuditEntry.objects.get(action="instrument.updated")
    assert entry.changes == {"model_number": ["SU8010", "SU8020"]}


def test_at_most_four_disciplines(make_instrument, unit_admin):
    from dayi.catalog.models import Discipline

    instrument = make_instrument()
    with pytest.raises(DomainError):
        update_instrument(
            actor=unit_admin, instrument=instrument, data={}, disciplines=list(Discipline.objects.all()[:5])
        )


@pytest.mark.parametrize(("field", "limit"), [("technical_specs", 500), ("main_functions", 300)])
def test_specifications_and_functions_keep_the_national_limits(make_instrument, field, limit):
    assert len(getattr(make_instrument(**{field: "指" * limit}), field)) == limit
    with pytest.raises(DomainError, match=str(limit)):
        make_instrument(**{field: "指" * (limit + 1)})
    assert Instrument.objects.count() == 1


@pytest.mark.parametrize(("field", "limit"), [("technical_specs", 500), ("main_functions", 300)])
def test_the_database_refuses_an_over_long_text_written_around_the_service(make_instrument, field, limit):
    from django.db import IntegrityError, transaction

    instrument = make_instrument()
    with pytest.raises(IntegrityError), transaction.atomic():
        Instrument.objects.filter(pk=instrument.pk).update(**{field: "指" * (limit + 1)})


def test_hours_of_another_unit_cannot_be_reported_and_the_attempt_is_audited(make_instrument, other_unit_admin):
    instrument = make_instrument()
    with pytest.raises(PermissionDenied):
        report_yearly_usage(
            actor=other_unit_admin,
            instrument=instrument,
            usage={2025: {"running_hours": 1, "service_hours": 1, "external_service_hours": 0}},
        )
    assert not instrument.yearly_usage.exists()
    assert AuditEntry.objects.filter(action="instrument.edit_refused", actor=other_unit_admin).exists()


def test_reported_hours_keep_service_within_running_time(make_instrument, unit_admin):
    instrument = make_instrument()
    with pytest.raises(DomainError, match="2025"):
        report_yearly_usage(
            actor=unit_admin,
            instrument=instrument,
            usage={2025: {"running_hours": 100, "service_hours": 200, "external_service_hours": 0}},
        )
    assert not instrument.yearly_usage.exists()
