from datetime import date

import pytest
from django.urls import reverse

from dayi.accounts.models import Role
from dayi.monitoring import idle
from dayi.monitoring.models import IdleCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(sensor, approved_instrument):
    idle.apply_idle_rules(today=date(2026, 3, 2))
    return IdleCase.objects.get(instrument=approved_instrument)


def test_the_unit_lists_its_idle_and_offline_instruments(client, unit_admin, case, sensor):
    client.force_login(unit_admin)
    page = client.get(reverse("monitoring:idle_list"))
    assert page.status_code == 200
    assert list(page.context["cases"].object_list) == [case]
    assert [b.sensor for b in page.context["offline"].object_list] == [sensor]
    assert reverse("monitoring:idle_list") in client.get(reverse("monitoring:home")).content.decode()


def test_other_units_see_nothing_and_cannot_open_the_case(client, other_unit_admin, case):
    client.force_login(other_unit_admin)
    assert not client.get(reverse("monitoring:idle_list")).context["cases"].object_list
    assert client.get(reverse("monitoring:idle_case", args=[case.pk])).status_code == 404


def test_the_authority_sees_its_region(client, make_user, huaian, case, make_unit):
    authority = make_user("kjj", role=Role.AUTHORITY, region=huaian)
    client.force_login(authority)
    page = client.get(reverse("monitoring:idle_list"), {"view": "reminded"})
    assert list(page.context["cases"].object_list) == [case]
    assert client.post(reverse("monitoring:idle_case", args=[case.pk]), {"explanation": "x" * 20}).status_code == 403


def test_a_person_without_a_monitoring_role_is_refused(client, make_user):
    client.force_login(make_user("plain"))
    assert client.get(reverse("monitoring:idle_list")).status_code == 403


def test_a_short_explanation_keeps_what_was_typed(client, unit_admin, case):
    client.force_login(unit_admin)
    page = client.post(reverse("monitoring:idle_case", args=[case.pk]), {"explanation": "维修中"})
    assert page.status_code == 400
    assert "维修中" in page.content.decode()
    case.refresh_from_db()
    assert case.explanation_status == "none"


def test_the_unit_explains_and_the_operator_accepts(client, unit_admin, operator, case):
    url = reverse("monitoring:idle_case", args=[case.pk])
    client.force_login(unit_admin)
    assert client.get(url).context["decision_form"] is None
    assert client.post(url, {"explanation": "设备等待维修配件，预计下月到货。"}).status_code == 302
    client.force_login(operator)
    page = client.get(url)
    assert page.context["explain_form"] is None and page.context["decision_form"] is not None
    rejected = client.post(url, {"decision": "reject", "note": ""})
    assert rejected.status_code == 400
    assert client.post(url, {"decision": "accept", "note": ""}).status_code == 302
    case.refresh_from_db()
    assert case.closure == "accepted"
    assert list(client.get(reverse("monitoring:idle_list"), {"view": "closed"}).context["cases"].object_list) == [case]


def test_the_operator_may_not_explain_for_the_unit(client, operator, case):
    client.force_login(operator)
    url = reverse("monitoring:idle_case", args=[case.pk])
    assert client.post(url, {"explanation": "设备等待维修配件，预计下月到货。"}).status_code == 403


def test_the_operator_sets_thresholds_in_the_admin(client, operator, case):
    client.force_login(operator)
    assert client.get(reverse("admin:monitoring_idlerulesettings_add")).status_code == 200
    assert client.get(reverse("admin:monitoring_idlecase_changelist")).status_code == 200
