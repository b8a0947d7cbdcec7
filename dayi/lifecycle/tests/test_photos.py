import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dayi.audit.models import AuditEntry
from dayi.core.errors import DomainError, PermissionDenied
from dayi.lifecycle.services import add_photo, remove_photo


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(image_format, name):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_a_png_is_stored_and_audited(make_instrument, unit_admin):
    instrument = make_instrument()
    photo = add_photo(actor=unit_admin, instrument=instrument, image=_upload("PNG", "a.png"), caption=" 侧面 ")
    assert photo.caption == "侧面" and photo.order == 1
    second = add_photo(actor=unit_admin, instrument=instrument, image=_upload("JPEG", "b.jpg"))
    assert second.order == 2
    assert AuditEntry.objects.filter(action="instrument.photo_added").count() == 2


@pytest.mark.parametrize(
    "upload",
    [
        lambda: SimpleUploadedFile("x.png", b"<svg onload=alert(1)></svg>"),
        lambda: SimpleUploadedFile("x.jpg", b"\xff\xd8\xff\xe0 truncated"),
        lambda: _upload("TIFF", "x.tif"),
    ],
)
def test_anything_but_a_web_image_is_refused(make_instrument, unit_admin, upload):
    instrument = make_instrument()
    with pytest.raises(DomainError) as refused:
        add_photo(actor=unit_admin, instrument=instrument, image=upload())
    assert refused.value.field == "image"
    assert not instrument.photos.exists()


def test_another_unit_is_refused_and_audited(make_instrument, other_unit_admin, unit_admin):
    instrument = make_instrument()
    with pytest.raises(PermissionDenied):
        add_photo(actor=other_unit_admin, instrument=instrument, image=_upload("PNG", "a.png"))
    photo = add_photo(actor=unit_admin, instrument=instrument, image=_upload("PNG", "a.png"))
    with pytest.raises(PermissionDenied):
        remove_photo(actor=other_unit_admin, photo=photo)
    assert AuditEntry.objects.filter(action="instrument.edit_refused", actor=other_unit_admin).count() == 2
    assert instrument.photos.exists()
