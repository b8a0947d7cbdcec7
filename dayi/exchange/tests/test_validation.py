"""Every kind of bad file is refused as a whole, each error placed by row and column."""

from datetime import date

import pytest
from openpyxl.utils import get_column_letter

from dayi.catalog.models import Instrument
from dayi.exchange.columns import HEADERS
from dayi.exchange.models import ImportJob

from .builders import csv_bytes, xlsx_bytes


def refused(job):
    assert job.status == ImportJob.Status.REFUSED, job.errors
    assert not Instrument.objects.exists()
    return job.errors


def only_error(job):
    errors = refused(job)
    assert len(errors) == 1, errors
    return errors[0]


def letter_of(header):
    return get_column_letter(HEADERS.index(header) + 1)


@pytest.mark.parametrize(
    ("header", "value", "message"),
    [
        ("分类代码", "999999", "分类代码 999999 不存在"),
        ("分类代码", "010100", "不是末级分类"),
        ("仪器名称", "", "必填项为空"),
        ("原值(元)", "三百万", "不是有效的数字"),
        ("原值(元)", -1, "不能为负数"),
        ("原值(元)", "12.345", "最多保留 2 位小数"),
        ("验收日期", "2024-13-01", "不是有效日期"),
        ("所属单位", "不存在大学", "未知单位"),
        ("仪器来源", "租借", "未知取值"),
        ("是否涉密", "也许", "请填写"),
        ("技术指标", "指" * 501, "最多 500"),
        ("主要功能", "功" * 301, "最多 300"),
        ("学科领域", "110;120;130;140;150", "最多填写 4 个"),
        ("学科领域", "999", "未知学科"),
        ("专题", "不存在的专题", "未知专题"),
        ("所在地区", "999999", "未知地区"),
        ("产地国别", "火星", "未知国家"),
        ("联系邮箱", "not-an-address", "邮箱"),
        ("第三方运营机构", "无名公司", "未知第三方运营机构"),
        ("年度机时", "2025:1200/900", "运行/服务/对外服务机时"),
        ("年度机时", "2025:1200/九百/0", "不是有效的数字"),
        ("年度机时", "2025:1200/900/0;2025:1000/900/0", "重复"),
        ("年度机时", "2025:800/900/0", "服务机时"),
        ("年度机时", "2025:9000/900/0", "8784"),
    ],
)
def test_a_bad_cell_is_reported_with_its_row_and_column(run_import, unit_admin, unit, good_row, header, value, message):
    content = xlsx_bytes([good_row(资产编号="A-1"), good_row(资产编号="A-2", **{header: value})])
    error = only_error(run_import(content, actor=unit_admin, unit=unit))
    assert error["row"] == 3
    assert error["column"] == header
    assert error["letter"] == letter_of(header)
    assert message in error["message"], error["message"]


def test_the_column_letter_is_the_spreadsheet_letter(run_import, unit_admin, unit, good_row):
    error = only_error(run_import(xlsx_bytes([good_row(分类代码="999999")]), actor=unit_admin, unit=unit))
    assert (error["row"], error["column"], error["letter"]) == (2, "分类代码", "E")


def test_every_error_of_every_row_is_listed(run_import, unit_admin, unit, good_row):
    rows = [
        good_row(资产编号="A-1", 分类代码="999999", **{"原值(元)": "abc"}),
        good_row(资产编号="A-2"),
        good_row(资产编号="A-3", 验收日期="明年"),
    ]
    errors = refused(run_import(xlsx_bytes(rows), actor=unit_admin, unit=unit))
    assert [(e["row"], e["column"]) for e in errors] == [(2, "分类代码"), (2, "原值(元)"), (4, "验收日期")]


def test_a_duplicate_inventory_number_names_the_first_row(run_import, unit_admin, unit, good_row):
    rows = [good_row(资产编号="A-1"), good_row(资产编号="A-2"), good_row(资产编号="A-1")]
    error = only_error(run_import(xlsx_bytes(rows), actor=unit_admin, unit=unit))
    assert (error["row"], error["column"]) == (4, "资产编号")
    assert "第 2 行" in error["message"]


def test_a_missing_required_column_and_unknown_columns_are_reported(run_import, unit_admin, unit, good_row):
    header = [title for title in HEADERS if title != "仪器名称"] + ["备注"]
    errors = refused(run_import(xlsx_bytes([good_row()], header=header), actor=unit_admin, unit=unit))
    messages = " ".join(e["message"] for e in errors)
    assert "仪器名称" in messages and "备注" in messages
    unknown = next(e for e in errors if e["column"] == "备注")
    assert unknown["row"] == 1


def test_a_column_given_twice_is_reported(run_import, unit_admin, unit, good_row):
    header = [*HEADERS, "规格型号"]
    error = only_error(run_import(xlsx_bytes([good_row()], header=header), actor=unit_admin, unit=unit))
    assert (error["row"], error["column"], error["letter"]) == (1, "规格型号", get_column_letter(len(header)))


def test_the_unit_column_is_required_when_no_unit_is_chosen(run_import, operator, good_row):
    header = [title for title in HEADERS if title != "所属单位"]
    error = only_error(run_import(xlsx_bytes([good_row()], header=header), actor=operator, unit=None))
    assert "所属单位" in error["message"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.xlsx", xlsx_bytes([], header=[]), "文件为空"),
        ("empty.csv", b"", "文件为空"),
        ("header-only.csv", csv_bytes([]), "没有仪器数据"),
        ("instruments.pdf", b"%PDF-1.4", "不是 .xlsx 或 .csv"),
        ("fake.xlsx", b"not a zip at all", "无法作为 Excel"),
        ("binary.csv", b"\x00\x01\x02PK", "不是文本"),
    ],
)
def test_unreadable_files_are_refused(run_import, unit_admin, unit, name, content, message):
    error = only_error(run_import(content, actor=unit_admin, unit=unit, name=name))
    assert message in error["message"], error["message"]


def test_too_many_rows_are_refused(run_import, unit_admin, unit, good_row, settings):
    settings.DAYI_IMPORT_MAX_ROWS = 2
    rows = [good_row(资产编号=f"A-{n}") for n in range(3)]
    error = only_error(run_import(xlsx_bytes(rows), actor=unit_admin, unit=unit))
    assert "2" in error["message"]


def test_a_unit_admin_may_not_import_rows_of_another_unit(run_import, unit_admin, unit, other_unit, good_row):
    rows = [good_row(资产编号="A-1"), good_row(资产编号="A-2", 所属单位=other_unit.name)]
    error = only_error(run_import(xlsx_bytes(rows), actor=unit_admin, unit=unit))
    assert (error["row"], error["column"], error["letter"]) == (3, "所属单位", "A")
    assert "本单位" in error["message"]


def test_every_accepted_spelling_is_read(run_import, unit_admin, unit, good_row, themes):
    row = good_row(
        分类代码=10102,
        用途类型="general",
        经费来源="Local fiscal funds",
        仪器来源="捐赠",
        是否海关监管="Y",
        提供机时预约="true",
        提供送样检测="0",
        CMA认证="是",
        产地国别="JPN",
        购置日期="2023/12/5",
        验收日期=45352,
        学科领域="140、150",
        专题="new-energy；生物医药",
        **{"原值(元)": "3,200,000.50"},
    )
    job = run_import(xlsx_bytes([row]), actor=unit_admin, unit=unit)
    assert job.status == ImportJob.Status.DONE, job.errors
    instrument = Instrument.objects.get()
    assert instrument.instrument_class_id == "010102"
    assert (instrument.purpose, instrument.funding, instrument.source) == ("general", "local_fiscal", "donated")
    assert instrument.customs_supervised and instrument.offers_machine_time and instrument.cma_certified
    assert not instrument.offers_sample_testing
    assert instrument.country.code == "JP"
    assert (instrument.purchase_date, instrument.acceptance_date) == (date(2023, 12, 5), date(2024, 3, 1))
    assert str(instrument.original_value) == "3200000.50"
    assert sorted(d.code for d in instrument.disciplines.all()) == ["140", "150"]
    assert {t.slug for t in instrument.themes.all()} == {"new-energy", "biomedicine"}
