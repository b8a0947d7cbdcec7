"""Fixtures for the import and export tests: a valid row to vary, and a one-call import."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from dayi.catalog.models import Theme
from dayi.exchange import services


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def chinese():
    """The messages are asserted in Chinese; an earlier test's request may have left English active."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def themes(db):
    return [
        Theme.objects.create(slug="new-energy", name="新能源"),
        Theme.objects.create(slug="biomedicine", name="生物医药"),
    ]


@pytest.fixture
def good_row(unit):
    """One valid row as {header: cell}; tests change the cells they are about."""

    def row(**cells):
        values = {
            "所属单位": unit.name,
            "仪器名称": "扫描电子显微镜",
            "英文名称": "Scanning electron microscope",
            "资产编号": "2024-001",
            "分类代码": "010102",
            "用途类型": "通用",
            "规格型号": "SU8010",
            "生产厂商": "日立",
            "产地国别": "日本",
            "原值(元)": 3200000,
            "验收日期": date(2024, 3, 1),
            "经费来源": "地方财政",
            "所在地区": "320812",
        }
        values.update(cells)
        return values

    return row


@pytest.fixture
def run_import():
    """Upload `content` as `name` and run the whole import; returns the finished job."""

    def run(content: bytes, *, actor, unit, name="instruments.xlsx"):
        job = services.create_job(actor=actor, unit=unit, upload=SimpleUploadedFile(name, content))
        return services.run_import(job=job)

    return run
