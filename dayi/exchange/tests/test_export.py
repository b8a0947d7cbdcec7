"""The template and the export share the import's format: an export imports back unchanged."""

import codecs
import io
from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dayi.accounts.models import Organisation
from dayi.audit.models import AuditEntry
from dayi.catalog.models import Discipline, Instrument, YearlyUsage
from dayi.catalog.services import EDITABLE_FIELDS, update_instrument
from dayi.exchange import export
from dayi.exchange.columns import HEADERS
from dayi.exchange.models import ImportJob
from dayi.exchange.selectors import exportable_instruments


def exported(user, unit=None) -> bytes:
    handle = export.export_file(exportable_instruments(user, unit))
    with handle:
        return handle.read()


def sheet_rows(content: bytes):
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def test_the_templates_hold_the_chinese_headers():
    buffer = io.BytesIO()
    export.template_xlsx(buffer)
    workbook = load_workbook(io.BytesIO(buffer.getvalue()))
    assert [cell.value for cell in workbook.worksheets[0][1]] == HEADERS
    assert workbook.sheetnames == ["仪器", "填写说明"]
    content = export.template_csv()
    assert content.startswith(codecs.BOM_UTF8)
    assert content[3:].decode("utf-8").strip() == ",".join(HEADERS)
    for header in ("仪器名称", "英文名称", "所属单位", "资产编号", "分类代码", "原值(元)", "验收日期"):
        assert header in HEADERS


def test_an_export_imports_back_with_no_change(run_import, unit_admin, unit, make_instrument, themes, qingjiangpu):
    operator_unit = Organisation.objects.create(
        name="淮安仪器运营公司", region=qingjiangpu, is_third_party_operator=True
    )
    full = make_instrument(
        inventory_number="0001",
        original_value=Decimal("1234567.89"),
        purchase_date=date(2023, 12, 31),
        technical_specs="分辨率 0.8 nm\n放大倍数 20–800,000×",
        source="donated",
        sharing_mode="internal",
        running_status="remote",
        usage_status="idle",
        customs_supervised=True,
        offers_leasing=True,
        cnas_accredited=True,
        is_confidential=True,
        contact_email="lab@hyit.edu.cn",
        contact_phone="13800000000",
        operator=operator_unit,
        country="US",
    )
    update_instrument(
        actor=unit_admin,
        instrument=full,
        data={},
        disciplines=list(Discipline.objects.filter(code__in=["140", "150"])),
        themes=themes,
    )
    for year, hours in ((2024, ("1100.5", "800", "200")), (2025, ("1200", "900", "0"))):
        YearlyUsage.objects.create(
            instrument=full,
            year=year,
            **dict(zip(("running_hours", "service_hours", "external_service_hours"), map(Decimal, hours), strict=True)),
        )
    make_instrument(inventory_number="0002", acceptance_date=None, name_en="", country="CN", is_pilot_scale=True)
    before = list(Instrument.objects.order_by("pk").values())
    usage_before = list(YearlyUsage.objects.order_by("pk").values())
    entries = AuditEntry.objects.count()
    content = exported(unit_admin, unit)
    assert sheet_rows(content)[1][HEADERS.index("年度机时")] == "2024:1100.5/800.0/200.0;2025:1200.0/900.0/0.0"

    job = run_import(content, actor=unit_admin, unit=unit)

    assert job.status == ImportJob.Status.DONE, job.errors
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 2)
    assert AuditEntry.objects.count() == entries
    assert list(Instrument.objects.order_by("pk").values()) == before
    assert list(YearlyUsage.objects.order_by("pk").values()) == usage_before


def test_an_export_of_one_unit_fills_an_empty_catalogue_without_loss(
    run_import, operator, unit_admin, unit, make_instrument, themes
):
    """The record travels whole: deleted and imported back from its own export, it is the same."""
    instrument = make_instrument(inventory_number="0001", technical_specs="分辨率 0.8 nm", offers_joint_rd=True)
    update_instrument(actor=unit_admin, instrument=instrument, data={}, disciplines=list(Discipline.objects.all()[:4]))
    YearlyUsage.objects.create(instrument=instrument, year=2025, running_hours=1500, service_hours=1000)
    fields = set(EDITABLE_FIELDS) - {"operator"}

    def record():
        found = Instrument.objects.get(owner=unit, inventory_number="0001")
        usage = list(found.yearly_usage.values("year", "running_hours", "service_hours", "external_service_hours"))
        codes = sorted(found.disciplines.values_list("code", flat=True))
        return {name: getattr(found, name) for name in fields}, codes, usage

    before = record()
    content = exported(unit_admin, unit)
    Instrument.objects.all().delete()
    job = run_import(content, actor=unit_admin, unit=unit)
    assert (job.status, job.created_count) == (ImportJob.Status.DONE, 1), job.errors
    assert record() == before


def test_the_export_holds_what_the_person_may_see(unit_admin, other_unit_admin, operator, make_instrument, other_unit):
    make_instrument(inventory_number="MINE")
    make_instrument(inventory_number="THEIRS", owner=other_unit, actor=other_unit_admin)
    numbers = {row[HEADERS.index("资产编号")] for row in sheet_rows(exported(unit_admin))[1:]}
    assert numbers == {"MINE"}
    numbers = {row[HEADERS.index("资产编号")] for row in sheet_rows(exported(operator))[1:]}
    assert numbers == {"MINE", "THEIRS"}


def test_the_export_reads_each_table_once_whatever_the_size(operator, make_instrument, themes):
    def queries_for_export():
        with CaptureQueriesContext(connection) as captured:
            exported(operator)
        return len(captured)

    make_instrument(inventory_number="A-0")
    queries_for_export()  # the person's roles are read once and then cached
    few = queries_for_export()
    for number in range(1, 8):
        make_instrument(inventory_number=f"A-{number}")
    assert queries_for_export() == few
