"""API writes of subsidies, rewards and insurance: the same role checks as the pages."""

from decimal import Decimal

import pytest
from django.test import Client

from dayi.accounts.models import Region, Role
from dayi.booking.models import Order
from dayi.funding.models import RuleSet

pytestmark = pytest.mark.django_db
API = "/api/v1/funding"


@pytest.fixture
def client():
    return Client(headers={"Accept-Language": "en"})


def post(client, path, data=None):
    return client.post(f"{API}/{path}", data or {}, content_type="application/json")


def test_subsidy_with_several_invoices_then_the_operator_decides(client, engineer, unit_admin, operator, make_order):
    scheme = RuleSet.objects.get(kind="subsidy", region__code="320800")
    order = make_order("60000", status=Order.Status.SETTLED)
    invoices = [
        {"invoice_number": "32000001", "provider": "南京检测中心", "amount": "30000"},
        {"invoice_number": "32000002", "provider": "苏州检测中心", "amount": "60000"},
        {"invoice_number": "32000003", "amount": "5000", "service_purpose": "statutory"},
    ]
    client.force_login(engineer)
    body = {"rule_set": scheme.pk, "year": 2026, "orders": [order.pk], "invoices": invoices}
    response = post(client, "subsidy-applications/", body)
    assert response.status_code == 201, response.content
    application = response.json()
    # 40 % of 100,000 + 30 % of the 50,000 above: the statutory invoice is kept but not counted.
    assert application["counted_fees"] == "150000.00" and application["amount"] == "55000.00"
    assert [item["counted"] for item in application["items"]].count(False) == 1
    again = post(client, "subsidy-applications/", {"rule_set": scheme.pk, "year": 2026, "orders": [order.pk]})
    assert again.status_code == 400 and again.json()["field"] == "orders"
    bad = post(client, "subsidy-applications/", {"rule_set": scheme.pk, "year": 2026, "invoices": [{"amount": "1"}]})
    assert bad.status_code == 400 and "invoice_number" in str(bad.json())
    decide = f"subsidy-applications/{application['id']}/decide/"
    assert post(client, decide, {"action": "approve"}).status_code == 403
    client.force_login(unit_admin)
    assert post(client, decide, {"action": "approve"}).status_code == 403
    client.force_login(operator)
    assert post(client, decide, {"action": "reject"}).json()["field"] == "reason"
    decided = post(client, decide, {"action": "approve"})
    assert decided.status_code == 200 and decided.json()["status"]["code"] == "approved"


def test_reward_list_computed_by_the_operator_approved_by_the_authority(
    client, zhejiang_setup, make_order, operator, make_user, engineer
):
    _lab, admin, (first, _second) = zhejiang_setup
    make_order("150000", instrument=first, status=Order.Status.SETTLED)
    rule_set = RuleSet.objects.get(kind="reward", region__code="330000")
    body = {"rule_set": rule_set.pk, "year": 2026}
    client.force_login(admin)
    assert post(client, "reward-runs/", body).status_code == 403
    client.force_login(operator)
    run = post(client, "reward-runs/", body).json()
    assert run["total"] == "15000.00"
    assert post(client, f"reward-runs/{run['id']}/approve/").status_code == 403
    jiangsu = make_user("js-authority", role=Role.AUTHORITY, region=Region.objects.get(code="320000"))
    client.force_login(jiangsu)
    assert post(client, f"reward-runs/{run['id']}/approve/").status_code == 404
    client.force_login(make_user("zj-authority", role=Role.AUTHORITY, region=Region.objects.get(code="330000")))
    approved = post(client, f"reward-runs/{run['id']}/approve/")
    assert approved.status_code == 200 and approved.json()["status"]["code"] == "approved"
    client.force_login(admin)
    lines = client.get(f"{API}/reward-runs/{run['id']}/lines/").json()
    assert lines["count"] == 1 and lines["results"][0]["amount"] == "15000.00"
    client.force_login(engineer)
    assert client.get(f"{API}/reward-runs/").json()["count"] == 0


def test_policy_registered_grade_entered_subsidy_computed(client, zhejiang_setup, operator, other_unit_admin):
    lab, admin, (first, _second) = zhejiang_setup
    body = {"instrument": first.pk, "year": 2026, "insurer": "人保", "premium": "900", "cover": "50000"}
    client.force_login(other_unit_admin)
    assert post(client, "insurance-policies/", body).status_code == 403
    client.force_login(admin)
    policy = post(client, "insurance-policies/", body).json()
    assert policy["subsidy"] == "0.00"
    assert post(client, "unit-grades/", {"unit": lab.pk, "year": 2026, "grade": "good"}).status_code == 403
    assert post(client, f"insurance-policies/{policy['id']}/compute/").status_code == 403
    client.force_login(operator)
    assert post(client, "unit-grades/", {"unit": lab.pk, "year": 2026, "grade": "good"}).status_code == 201
    assert post(client, "unit-grades/", {"unit": lab.pk, "year": 2026, "grade": "excellent"}).status_code == 201
    computed = post(client, f"insurance-policies/{policy['id']}/compute/").json()
    assert Decimal(computed["subsidy"]) == Decimal("720.00")
    client.force_login(other_unit_admin)
    assert client.get(f"{API}/insurance-policies/").json()["count"] == 0
    client.force_login(admin)
    assert client.get(f"{API}/unit-grades/").json()["results"][0]["grade"] == "excellent"
