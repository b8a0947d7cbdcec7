"""The import page, upload → job page → result, downloads, and who may use them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dayi.catalog.models import Instrument
from dayi.exchange.columns import HEADERS
from dayi.exchange.models import ImportJob

from .builders import xlsx_bytes


def upload(client, content, name="仪器.xlsx", **data):
    return client.post(reverse("exchange:import"), {"file": SimpleUploadedFile(name, content), **data})


def test_the_import_page_offers_templates_upload_and_export(client, unit_admin, unit):
    client.force_login(unit_admin)
    page = client.get(reverse("exchange:import")).content.decode()
    assert reverse("exchange:template", args=["xlsx"]) in page
    assert reverse("exchange:template", args=["csv"]) in page
    assert reverse("exchange:export") in page
    assert unit.name in page
    assert 'enctype="multipart/form-data"' in page


def test_a_good_upload_leads_to_the_job_page_with_the_counts(client, unit_admin, unit, good_row):
    client.force_login(unit_admin)
    response = upload(client, xlsx_bytes([good_row()]), unit=unit.pk)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("exchange:job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "文件已导入" in page
    assert "新增 1 台" in page
    assert "every 1s" not in page
    assert Instrument.objects.get().owner == unit


def test_a_bad_upload_shows_every_error_by_row_and_column(client, unit_admin, unit, good_row):
    client.force_login(unit_admin)
    rows = [good_row(资产编号="A-1"), good_row(资产编号="A-2", 分类代码="999999")]
    response = upload(client, xlsx_bytes(rows), unit=unit.pk)
    page = client.get(response.url).content.decode()
    assert "未保存任何数据" in page
    assert "<td>3</td>" in page
    assert '分类代码 <span class="text-muted">(E)</span>' in page
    assert "999999" in page
    assert not Instrument.objects.exists()


def test_an_unfinished_job_polls_with_htmx(client, unit_admin, unit):
    client.force_login(unit_admin)
    job = ImportJob.objects.create(
        created_by=unit_admin, unit=unit, file_name="a.xlsx", status="applying", total_rows=10, processed_rows=4
    )
    page = client.get(reverse("exchange:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert reverse("exchange:job_status", args=[job.pk]) in page
    assert "70%" in page
    fragment = client.get(reverse("exchange:job_status", args=[job.pk])).content.decode()
    assert fragment.startswith('<div id="job-status"')


def test_a_rejected_form_keeps_the_chosen_unit_and_says_why(client, operator, unit):
    client.force_login(operator)
    response = upload(client, b"text", name="notes.txt", unit=unit.pk)
    assert response.status_code == 400
    page = response.content.decode()
    assert "请上传 .xlsx 或 .csv 文件" in page
    assert f'<option value="{unit.pk}" selected>' in page
    assert not ImportJob.objects.exists()


def test_a_unit_admin_cannot_choose_another_unit(client, unit_admin, other_unit, good_row):
    client.force_login(unit_admin)
    response = upload(client, xlsx_bytes([good_row()]), unit=other_unit.pk)
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_jobs_of_another_unit_are_hidden(client, other_unit_admin, unit_admin, unit):
    job = ImportJob.objects.create(created_by=unit_admin, unit=unit, file_name="a.xlsx")
    client.force_login(other_unit_admin)
    assert client.get(reverse("exchange:job", args=[job.pk])).status_code == 404
    assert "a.xlsx" not in client.get(reverse("exchange:import")).content.decode()


def test_the_template_downloads(client, unit_admin):
    client.force_login(unit_admin)
    response = client.get(reverse("exchange:template", args=["xlsx"]))
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert list(next(workbook.worksheets[0].iter_rows(values_only=True))) == HEADERS
    response = client.get(reverse("exchange:template", args=["csv"]))
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert client.get(reverse("exchange:template", args=["pdf"])).status_code == 404


def test_the_export_downloads_the_units_instruments(client, unit_admin, unit, make_instrument):
    make_instrument(inventory_number="A-1")
    client.force_login(unit_admin)
    response = client.get(reverse("exchange:export"), {"unit": unit.pk})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[1][HEADERS.index("资产编号")] == "A-1"


def test_another_units_export_is_not_found(client, unit_admin, other_unit):
    client.force_login(unit_admin)
    assert client.get(reverse("exchange:export"), {"unit": other_unit.pk}).status_code == 404


@pytest.mark.parametrize("name", ["exchange:import", "exchange:export"])
def test_only_unit_admins_and_the_operator_may_enter(client, make_user, unit, name):
    assert client.get(reverse(name)).status_code == 302
    client.force_login(make_user(organisation=unit))
    assert client.get(reverse(name)).status_code == 403
