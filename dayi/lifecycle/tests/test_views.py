from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dayi.accounts.models import Role
from dayi.audit.models import AuditEntry
from dayi.catalog.models import Discipline, Instrument
from dayi.lifecycle.services import submit_for_entry

Status = Instrument.EntryStatus


@pytest.fixture
def admin_client(client, unit_admin):
    client.force_login(unit_admin)
    return client


@pytest.fixture
def operator_client(client, operator):
    client.force_login(operator)
    return client


def test_create_through_the_form_makes_a_draft(admin_client, unit, form_data):
    disciplines = list(Discipline.objects.values_list("pk", flat=True)[:2])
    response = admin_client.post(
        f"{reverse('lifecycle:instrument_create')}?unit={unit.pk}", form_data(disciplines=disciplines)
    )
    instrument = Instrument.objects.get(inventory_number="HG-2024-001")
    assert response.status_code == 302
    assert response.url == reverse("lifecycle:instrument_edit", args=[instrument.pk])
    assert instrument.owner == unit
    assert instrument.entry_status == Status.DRAFT
    assert instrument.instrument_class_id == "010102"
    assert sorted(instrument.disciplines.values_list("pk", flat=True)) == sorted(disciplines)
    assert AuditEntry.objects.filter(action="instrument.created", target_id=str(instrument.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"instrument_class": "999999"}, "instrument_class", "999999"),
        ({"instrument_class": "010100"}, "instrument_class", "010100"),
        ({"original_value": "-5"}, "original_value", None),
        ({"name": ""}, "name", None),
    ],
)
def test_bad_input_keeps_everything_typed(admin_client, unit, form_data, overrides, field, message):
    posted = form_data(manufacturer="<b>日立</b>", **overrides)
    response = admin_client.post(f"{reverse('lifecycle:instrument_create')}?unit={unit.pk}", posted)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    if message:
        assert message in " ".join(form.errors[field])
    page = response.content.decode()
    assert 'value="SU8010"' in page
    assert "&lt;b&gt;日立&lt;/b&gt;" in page
    assert "分辨率 1.0 nm" in page
    assert not Instrument.objects.exists()


def test_non_leaf_class_shows_the_catalogue_message(admin_client, unit, form_data):
    response = admin_client.post(
        f"{reverse('lifecycle:instrument_create')}?unit={unit.pk}", form_data(instrument_class="010100")
    )
    assert "不是末级分类" in " ".join(response.context["form"].errors["instrument_class"]) or "not a leaf" in " ".join(
        response.context["form"].errors["instrument_class"]
    )


def test_more_than_four_disciplines_refused(admin_client, unit, form_data):
    disciplines = list(Discipline.objects.values_list("pk", flat=True)[:5])
    response = admin_client.post(
        f"{reverse('lifecycle:instrument_create')}?unit={unit.pk}", form_data(disciplines=disciplines)
    )
    assert "disciplines" in response.context["form"].errors


def test_duplicate_inventory_number_shown_on_the_field(admin_client, unit, form_data, make_instrument):
    make_instrument(inventory_number="HG-2024-001")
    response = admin_client.post(f"{reverse('lifecycle:instrument_create')}?unit={unit.pk}", form_data())
    assert "inventory_number" in response.context["form"].errors


def test_edit_saves_and_audits_old_and_new(admin_client, make_instrument, form_data):
    instrument = make_instrument(inventory_number="HG-2024-001")
    url = reverse("lifecycle:instrument_edit", args=[instrument.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, form_data(model_number="SU9000"))
    assert response.status_code == 302
    instrument.refresh_from_db()
    assert instrument.model_number == "SU9000"
    entry = AuditEntry.objects.get(action="instrument.updated", target_id=str(instrument.pk))
    assert entry.changes["model_number"] == ["SU8010", "SU9000"]
    page = admin_client.get(url).content.decode()
    assert "SU9000" in page and 'id="history"' in page


def test_edit_with_bad_input_keeps_input_and_changes_nothing(admin_client, make_instrument, form_data):
    instrument = make_instrument(inventory_number="HG-2024-001")
    url = reverse("lifecycle:instrument_edit", args=[instrument.pk])
    response = admin_client.post(url, form_data(model_number="SU9000", original_value="abc"))
    assert response.status_code == 400
    assert "original_value" in response.context["form"].errors
    assert 'value="SU9000"' in response.content.decode()
    instrument.refresh_from_db()
    assert instrument.model_number == "SU8010"


def test_other_unit_admin_gets_403_and_the_post_is_audited(client, other_unit_admin, make_instrument, form_data):
    instrument = make_instrument()
    client.force_login(other_unit_admin)
    url = reverse("lifecycle:instrument_edit", args=[instrument.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(name="篡改")).status_code == 403
    instrument.refresh_from_db()
    assert instrument.name == "扫描电子显微镜"
    assert AuditEntry.objects.filter(action="instrument.edit_refused", actor=other_unit_admin).count() == 1
    assert client.post(reverse("lifecycle:submit", args=[instrument.pk])).status_code == 403
    assert client.get(f"{reverse('lifecycle:instrument_create')}?unit={instrument.owner_id}").status_code == 403


def test_submit_from_the_list(admin_client, make_instrument):
    instrument = make_instrument()
    response = admin_client.post(reverse("lifecycle:submit", args=[instrument.pk]))
    assert response.status_code == 302
    instrument.refresh_from_db()
    assert instrument.entry_status == Status.SUBMITTED
    again = admin_client.post(reverse("lifecycle:submit", args=[instrument.pk]), follow=True)
    assert "alert-danger" in again.content.decode()


def test_my_instruments_counts_filters_and_overdue_flag(admin_client, unit, make_instrument, unit_admin, operator):
    from dayi.lifecycle.services import return_entry

    late = make_instrument(name="逾期仪器", acceptance_date=date(2020, 1, 6), funding="central_fiscal")
    make_instrument(name="自筹仪器", acceptance_date=date(2020, 1, 6), funding="own")
    returned = make_instrument(name="退回仪器")
    submit_for_entry(actor=unit_admin, instrument=returned)
    return_entry(actor=operator, instrument=returned, reason="缺少技术指标")

    response = admin_client.get(reverse("lifecycle:my_instruments"))
    page = response.content.decode()
    tabs = {value: count for value, _label, count in response.context["tabs"]}
    assert tabs[""] == 3 and tabs[Status.DRAFT] == 2 and tabs[Status.RETURNED] == 1
    # The returned record was accepted in 2024 with fiscal funds: overdue as well.
    assert response.context["overdue_count"] == 2
    assert "缺少技术指标" in page
    assert page.count("text-bg-danger") >= 1
    overdue_rows = {i.name for i in response.context["page"].object_list if i.overdue}
    assert "逾期仪器" in overdue_rows and "自筹仪器" not in overdue_rows
    assert late.pk in {i.pk for i in response.context["page"].object_list}

    only_returned = admin_client.get(reverse("lifecycle:my_instruments"), {"status": "returned"})
    assert [i.name for i in only_returned.context["page"].object_list] == ["退回仪器"]
    only_overdue = admin_client.get(reverse("lifecycle:my_instruments"), {"overdue": "1"})
    assert "逾期仪器" in {i.name for i in only_overdue.context["page"].object_list}
    assert "自筹仪器" not in {i.name for i in only_overdue.context["page"].object_list}


def test_unit_switcher_for_a_person_managing_two_units(client, make_user, unit, other_unit):
    from dayi.accounts.models import RoleGrant

    person = make_user(role=Role.UNIT_ADMIN, organisation=unit)
    RoleGrant.objects.create(user=person, role=Role.INSTRUMENT_MANAGER, organisation=other_unit)
    client.force_login(person)
    response = client.get(reverse("lifecycle:my_instruments"), {"unit": other_unit.pk})
    assert response.context["unit"] == other_unit
    assert len(response.context["units"]) == 2
    assert not response.context["can_edit"]
    assert 'id="unit-switch"' in response.content.decode()


def test_plain_user_cannot_open_the_unit_list(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("lifecycle:my_instruments")).status_code == 403


def test_review_queue_and_approve(operator_client, make_instrument, unit_admin):
    instrument = make_instrument(name="待审仪器")
    submit_for_entry(actor=unit_admin, instrument=instrument)
    queue = operator_client.get(reverse("lifecycle:review_queue"))
    assert "待审仪器" in queue.content.decode()
    review_url = reverse("lifecycle:review", args=[instrument.pk])
    page = operator_client.get(review_url)
    assert page.status_code == 200 and "SU8010" in page.content.decode()
    response = operator_client.post(review_url, {"action": "approve"})
    assert response.status_code == 302
    instrument.refresh_from_db()
    assert instrument.entry_status == Status.APPROVED
    assert operator_client.get(reverse("lifecycle:review_queue")).context["instruments"] == []


def test_return_needs_a_reason_and_keeps_it(operator_client, make_instrument, unit_admin):
    instrument = make_instrument()
    submit_for_entry(actor=unit_admin, instrument=instrument)
    review_url = reverse("lifecycle:review", args=[instrument.pk])
    empty = operator_client.post(review_url, {"action": "return", "reason": "   "})
    assert empty.status_code == 200
    assert "reason" in empty.context["return_form"].errors
    instrument.refresh_from_db()
    assert instrument.entry_status == Status.SUBMITTED
    response = operator_client.post(review_url, {"action": "return", "reason": "请补充<技术指标>"})
    assert response.status_code == 302
    instrument.refresh_from_db()
    assert instrument.entry_status == Status.RETURNED
    assert instrument.entry_return_reason == "请补充<技术指标>"
    entry = AuditEntry.objects.get(action="instrument.returned", target_id=str(instrument.pk))
    assert entry.reason == "请补充<技术指标>"
    history = operator_client.get(review_url).content.decode()
    assert "请补充&lt;技术指标&gt;" in history


def test_non_operator_blocked_from_the_review(admin_client, make_instrument, unit_admin):
    instrument = make_instrument()
    submit_for_entry(actor=unit_admin, instrument=instrument)
    assert admin_client.get(reverse("lifecycle:review_queue")).status_code == 403
    assert admin_client.get(reverse("lifecycle:review", args=[instrument.pk])).status_code == 403
    assert (
        admin_client.post(reverse("lifecycle:review", args=[instrument.pk]), {"action": "approve"}).status_code == 403
    )
    instrument.refresh_from_db()
    assert instrument.entry_status == Status.SUBMITTED


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("lifecycle:review_queue"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_photo_upload_and_removal(admin_client, make_instrument, png_file, media_root):
    instrument = make_instrument()
    url = reverse("lifecycle:photo_add", args=[instrument.pk])
    response = admin_client.post(url, {"image": png_file(), "caption": "正面"})
    assert response.status_code == 302
    photo = instrument.photos.get()
    assert photo.caption == "正面"
    assert AuditEntry.objects.filter(action="instrument.photo_added", target_id=str(instrument.pk)).exists()
    stored = media_root / photo.image.name
    assert stored.exists()
    response = admin_client.post(reverse("lifecycle:photo_remove", args=[photo.pk]))
    assert response.status_code == 302
    assert not instrument.photos.exists()


def test_photo_upload_rejects_a_non_image_and_keeps_the_caption(admin_client, make_instrument, media_root):
    instrument = make_instrument()
    fake = SimpleUploadedFile("photo.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = admin_client.post(
        reverse("lifecycle:photo_add", args=[instrument.pk]), {"image": fake, "caption": "正面"}
    )
    assert response.status_code == 400
    assert "image" in response.context["photo_form"].errors
    assert 'value="正面"' in response.content.decode()
    assert not instrument.photos.exists()


def test_photo_over_the_size_limit_is_refused(admin_client, make_instrument, png_file, media_root, settings):
    settings.DAYI_PHOTO_MAX_BYTES = 10
    instrument = make_instrument()
    response = admin_client.post(reverse("lifecycle:photo_add", args=[instrument.pk]), {"image": png_file()})
    assert response.status_code == 400
    assert "image" in response.context["photo_form"].errors
    assert not instrument.photos.exists()


def test_other_unit_cannot_upload_photos(client, other_unit_admin, make_instrument, png_file, media_root):
    instrument = make_instrument()
    client.force_login(other_unit_admin)
    response = client.post(reverse("lifecycle:photo_add", args=[instrument.pk]), {"image": png_file()})
    assert response.status_code == 403
    assert not instrument.photos.exists()
