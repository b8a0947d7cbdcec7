"""The Django admin as the operator uses it (admin.py of accounts, catalog and audit)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from dayi.audit.models import AuditEntry
from dayi.catalog.models import Instrument


@pytest.fixture
def staff_operator(operator):
    operator.is_staff = True
    operator.save(update_fields=["is_staff"])
    return operator


@pytest.fixture
def admin_client(client, staff_operator):
    client.force_login(staff_operator)
    return client


def test_every_registered_model_lists_for_the_operator(admin_client, approved_instrument):
    AuditEntry.objects.create(action="instrument.created", target_type="catalog.instrument", target_id="1")
    for model in (m for m in admin.site._registry if m._meta.app_label in {"accounts", "catalog", "audit"}):
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url
    change = reverse("admin:catalog_instrument_change", args=[approved_instrument.pk])
    assert admin_client.get(change).status_code == 200
    user_change = reverse("admin:accounts_user_change", args=[approved_instrument.created_by_id])
    assert "role_grants" in admin_client.get(user_change).content.decode()


def test_staff_without_the_operator_role_sees_nothing(client, make_user):
    clerk = make_user(is_staff=True)
    client.force_login(clerk)
    response = client.get(reverse("admin:catalog_instrument_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_operator_role_opens_the_admin_without_a_staff_flag(client, operator):
    assert not operator.is_staff
    client.force_login(operator)
    assert client.get(reverse("admin:catalog_instrument_changelist")).status_code == 200


def test_audit_and_class_table_are_read_only(admin_client):
    entry = AuditEntry.objects.create(action="instrument.created", target_type="catalog.instrument", target_id="1")
    assert admin_client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert admin_client.get(reverse("admin:catalog_instrumentclass_add")).status_code == 403


def test_instrument_edits_in_the_admin_go_through_the_service(admin_client, make_instrument, staff_operator):
    instrument = make_instrument()
    url = reverse("admin:catalog_instrument_change", args=[instrument.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "model_number": "SU9000",
            "disciplines": [],
            "themes": [],
            "photos-TOTAL_FORMS": 0,
            "photos-INITIAL_FORMS": 0,
            "yearly_usage-TOTAL_FORMS": 1,
            "yearly_usage-INITIAL_FORMS": 0,
            "yearly_usage-0-year": 2025,
            "yearly_usage-0-running_hours": "1200.5",
            "yearly_usage-0-service_hours": "800",
            "yearly_usage-0-external_service_hours": "300",
        }
    )
    data = {key: ("on" if value is True else value) for key, value in data.items() if value is not False}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    instrument.refresh_from_db()
    assert instrument.model_number == "SU9000"
    assert instrument.entry_status == Instrument.EntryStatus.DRAFT
    assert instrument.yearly_usage.get().running_hours == 1200.5
    entry = AuditEntry.objects.get(action="instrument.updated", actor=staff_operator)
    assert entry.changes["model_number"] == ["SU8010", "SU9000"]
