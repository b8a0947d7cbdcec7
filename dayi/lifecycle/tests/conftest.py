import io

import pytest
from PIL import Image


@pytest.fixture
def form_data(qingjiangpu):
    """What a unit admin types into the instrument form, as the browser posts it."""

    def data(**overrides):
        values = {
            "name": "场发射扫描电镜",
            "name_en": "FE-SEM",
            "inventory_number": "HG-2024-001",
            "instrument_class": "010102",
            "purpose": "general",
            "source": "purchased",
            "model_number": "SU8010",
            "manufacturer": "日立",
            "country": "JP",
            "original_value": "3200000.00",
            "acceptance_date": "2024-03-01",
            "funding": "local_fiscal",
            "sharing_mode": "external",
            "running_status": "normal",
            "usage_status": "in_use",
            "offers_sample_testing": "on",
            "region": str(qingjiangpu.pk),
            "technical_specs": "分辨率 1.0 nm",
        }
        values.update(overrides)
        return {key: value for key, value in values.items() if value is not None}

    return data


@pytest.fixture
def png_file():
    def make(name="photo.png"):
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
        buffer.seek(0)
        buffer.name = name
        return buffer

    return make
