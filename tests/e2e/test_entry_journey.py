"""The foundation's main journey, in a real browser at desktop and phone width:
a unit admin imports a file with one bad row and sees the row/column error, fixes it, imports,
submits an instrument; the operator approves it; a visitor finds it in the catalogue, in
Chinese and in English."""

import csv
import io

import pytest

from dayi.accounts.models import Role
from dayi.catalog.models import Instrument
from tests.browser import log_in, no_horizontal_scroll

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADERS = ["所属单位", "仪器名称", "英文名称", "资产编号", "分类代码", "用途类型", "原值(元)", "经费来源", "所在地区"]


def csv_file(unit_name, class_code_of_second_row):
    rows = [
        [
            unit_name,
            "场发射扫描电子显微镜",
            "Field emission SEM",
            "E2E-001",
            "010102",
            "通用",
            "3200000",
            "地方财政",
            "320812",
        ],
        [
            unit_name,
            "原子吸收分光光度计",
            "Atomic absorption spectrophotometer",
            "E2E-002",
            class_code_of_second_row,
            "通用",
            "460000",
            "地方财政",
            "320812",
        ],
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return {"name": "instruments.csv", "mimeType": "text/csv", "buffer": buffer.getvalue().encode("utf-8-sig")}


def open_menu(page):
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()


def log_out(page):
    open_menu(page)
    page.locator("form[action$='/accounts/logout/'] button").click()
    page.wait_for_load_state()


def upload(page, base, file):
    page.goto(base + "/exchange/import/")
    page.set_input_files("input[type=file]", files=[file])
    page.locator("main form[enctype] button[type=submit]").click()
    page.locator("#job-status .alert").wait_for()


def test_import_submit_approve_and_find(page, live_server, unit, make_user):
    make_user("unitadmin", role=Role.UNIT_ADMIN, organisation=unit)
    make_user("operator", role=Role.OPERATOR)
    base = live_server.url

    log_in(page, base, "unitadmin", keep_cookies=True)
    upload(page, base, csv_file(unit.name, "999999"))
    status = page.locator("#job-status")
    assert "未保存任何数据" in status.inner_text()
    error_row = status.locator("tbody tr").first
    assert error_row.locator("td").nth(0).inner_text().strip() == "3"
    assert "分类代码" in error_row.locator("td").nth(1).inner_text()
    assert "999999" in error_row.inner_text()
    assert no_horizontal_scroll(page)
    assert not Instrument.objects.exists()

    upload(page, base, csv_file(unit.name, "010403"))
    assert "2" in page.locator("#job-status .alert-success").inner_text()
    assert Instrument.objects.filter(entry_status=Instrument.EntryStatus.DRAFT).count() == 2

    page.goto(base + "/entry/mine/")
    row = page.locator("tr", has_text="原子吸收分光光度计")
    row.locator("form[action$='/submit/'] button").click()
    page.wait_for_load_state()
    instrument = Instrument.objects.get(inventory_number="E2E-002")
    assert instrument.entry_status == Instrument.EntryStatus.SUBMITTED
    log_out(page)

    log_in(page, base, "operator", keep_cookies=True)
    page.goto(base + "/entry/review/")
    page.locator("a", has_text="原子吸收分光光度计").click()
    page.locator("input[name=action][value=approve] ~ button").click()
    page.wait_for_load_state()
    instrument.refresh_from_db()
    assert instrument.entry_status == Instrument.EntryStatus.APPROVED
    log_out(page)

    page.goto(base + "/instruments/?q=原子吸收")
    result = page.locator("main a", has_text="原子吸收分光光度计").first
    result.click()
    page.wait_for_url(f"**/instruments/{instrument.pk}/")
    assert "原子吸收分光光度计" in page.content()
    assert "场发射扫描电子显微镜" not in page.content()
    assert no_horizontal_scroll(page)

    open_menu(page)
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert "Atomic absorption spectrophotometer" in page.content()
    assert "Instruments" in page.locator("nav.navbar").text_content()
    assert no_horizontal_scroll(page)

    page.goto(base + "/instruments/?q=场发射")
    assert "场发射扫描电子显微镜" not in page.locator("main").inner_text()
