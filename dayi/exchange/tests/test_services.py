"""Applying a good file: one transaction, through the catalogue services, idempotent."""

from decimal import Decimal

import pytest

from dayi.audit.models import AuditEntry
from dayi.catalog import services as catalog
from dayi.catalog.models import Instrument
from dayi.core.errors import DomainError, PermissionDenied
from dayi.exchange import services
from dayi.exchange.models import ImportJob

from .builders import csv_bytes, xlsx_bytes


def done(job):
    assert job.status == ImportJob.Status.DONE, job.errors
    return job


def test_a_good_file_creates_drafts_with_an_audit_entry_each(run_import, unit_admin, unit, good_row, themes):
    rows = [good_row(资产编号="A-1", 专题="新能源"), good_row(资产编号="A-2", 仪器名称="透射电子显微镜")]
    job = done(run_import(xlsx_bytes(rows), actor=unit_admin, unit=unit))
    assert (job.total_rows, job.created_count, job.updated_count, job.unchanged_count) == (2, 2, 0, 0)
    assert job.started_at and job.finished_at and job.processed_rows == 2
    instruments = Instrument.objects.order_by("inventory_number")
    assert [i.entry_status for i in instruments] == ["draft", "draft"]
    assert {i.owner for i in instruments} == {unit}
    assert instruments[0].themes.get() == themes[0]
    assert AuditEntry.objects.filter(action="instrument.created", actor=unit_admin).count() == 2


def test_re_importing_the_same_file_changes_nothing(run_import, unit_admin, unit, good_row, themes):
    content = xlsx_bytes([good_row(资产编号="A-1", 学科领域="140;150", 专题="新能源"), good_row(资产编号="A-2")])
    done(run_import(content, actor=unit_admin, unit=unit))
    entries = AuditEntry.objects.count()
    before = list(Instrument.objects.order_by("pk").values())
    job = done(run_import(content, actor=unit_admin, unit=unit))
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 2)
    assert AuditEntry.objects.count() == entries
    assert list(Instrument.objects.order_by("pk").values()) == before


def test_a_changed_row_updates_only_what_differs(run_import, unit_admin, unit, good_row):
    done(run_import(xlsx_bytes([good_row(资产编号="A-1"), good_row(资产编号="A-2")]), actor=unit_admin, unit=unit))
    changed = [good_row(资产编号="A-1", 规格型号="SU8020"), good_row(资产编号="A-2")]
    job = done(run_import(xlsx_bytes(changed), actor=unit_admin, unit=unit))
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 1)
    entry = AuditEntry.objects.get(action="instrument.updated")
    assert entry.changes == {"model_number": ["SU8010", "SU8020"]}


def test_an_existing_record_made_by_hand_is_matched_by_unit_and_inventory_number(
    run_import, unit_admin, unit, good_row, make_instrument
):
    instrument = make_instrument(inventory_number="A-1", original_value=Decimal("100"))
    job = done(run_import(xlsx_bytes([good_row(资产编号="A-1")]), actor=unit_admin, unit=unit))
    assert job.updated_count == 1
    instrument.refresh_from_db()
    assert instrument.original_value == Decimal("3200000")


def test_a_refusal_while_saving_undoes_the_whole_file(run_import, unit_admin, unit, good_row, monkeypatch):
    real_create = catalog.create_instrument

    def create_but_refuse_the_second(**kwargs):
        if kwargs["data"]["inventory_number"] == "A-2":
            raise DomainError("拒绝")
        return real_create(**kwargs)

    monkeypatch.setattr(services, "create_instrument", create_but_refuse_the_second)
    job = run_import(xlsx_bytes([good_row(资产编号="A-1"), good_row(资产编号="A-2")]), actor=unit_admin, unit=unit)
    assert job.status == ImportJob.Status.REFUSED
    assert job.errors == [{"row": 3, "column": "", "letter": "", "value": "", "message": "拒绝"}]
    assert not Instrument.objects.exists()


def test_the_operator_imports_for_several_units(run_import, operator, unit, other_unit, good_row):
    rows = [good_row(资产编号="A-1"), good_row(资产编号="A-1", 所属单位=other_unit.name)]
    job = done(run_import(xlsx_bytes(rows), actor=operator, unit=None))
    assert job.created_count == 2
    assert set(Instrument.objects.values_list("owner", flat=True)) == {unit.pk, other_unit.pk}


def test_an_empty_unit_cell_means_the_chosen_unit(run_import, unit_admin, unit, good_row):
    done(run_import(xlsx_bytes([good_row(所属单位=None)]), actor=unit_admin, unit=unit))
    assert Instrument.objects.get().owner == unit


def test_only_admins_of_the_unit_and_the_operator_may_start_an_import(unit_admin, other_unit, make_user, unit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("a.csv", b"x")
    with pytest.raises(PermissionDenied):
        services.create_job(actor=unit_admin, unit=other_unit, upload=upload)
    with pytest.raises(PermissionDenied):
        services.create_job(actor=unit_admin, unit=None, upload=upload)
    with pytest.raises(PermissionDenied):
        services.create_job(actor=make_user(organisation=unit), unit=unit, upload=upload)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_files_in_every_common_encoding(run_import, unit_admin, unit, good_row, encoding):
    row = good_row(验收日期="2024/3/1", 技术指标="分辨率：0.8 nm（15 kV）")
    job = done(run_import(csv_bytes([row], encoding=encoding), actor=unit_admin, unit=unit, name="仪器.CSV"))
    instrument = Instrument.objects.get()
    assert job.created_count == 1
    assert instrument.technical_specs == "分辨率：0.8 nm（15 kV）"
    assert instrument.owner == unit


def test_progress_is_reported_for_both_phases(unit_admin, unit, good_row):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = [good_row(资产编号=f"A-{n}") for n in range(3)]
    job = services.create_job(actor=unit_admin, unit=unit, upload=SimpleUploadedFile("a.xlsx", xlsx_bytes(rows)))
    heard = []
    services.run_import(job=job, progress=lambda status, count, total: heard.append((status, count, total)))
    assert heard == [("validating", 3, 3), ("applying", 3, 3)]


def test_yearly_hours_are_imported_audited_and_re_imported_without_change(run_import, unit_admin, unit, good_row):
    content = xlsx_bytes([good_row(资产编号="A-1", 年度机时="2024:1100/800/200；2025：1200.5/900/300")])
    done(run_import(content, actor=unit_admin, unit=unit))
    instrument = Instrument.objects.get()
    usage = {
        row.year: (row.running_hours, row.service_hours, row.external_service_hours)
        for row in instrument.yearly_usage.all()
    }
    assert usage == {2024: (1100, 800, 200), 2025: (Decimal("1200.5"), 900, 300)}
    reported = AuditEntry.objects.get(action="instrument.usage_reported")
    assert reported.changes == {"2024": [None, "1100.0/800.0/200.0"], "2025": [None, "1200.5/900.0/300.0"]}

    job = done(run_import(content, actor=unit_admin, unit=unit))
    assert (job.updated_count, job.unchanged_count) == (0, 1)
    assert AuditEntry.objects.filter(action="instrument.usage_reported").count() == 1

    job = done(
        run_import(xlsx_bytes([good_row(资产编号="A-1", 年度机时="2025:1300/900/300")]), actor=unit_admin, unit=unit)
    )
    assert job.updated_count == 1
    assert instrument.yearly_usage.get(year=2025).running_hours == 1300
    assert instrument.yearly_usage.get(year=2024).running_hours == 1100
    assert not AuditEntry.objects.filter(action="instrument.updated").exists()
