"""Pages and JSON endpoints: each role sees its own, writes only what it may."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from dayi.booking.models import Order
from dayi.funding.models import Payment, RuleSet

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    """Pages in English, so that the assertions read the msgids whatever is compiled."""
    return Client(headers={"Accept-Language": "en"})


def test_enterprise_pages(client, engineer, make_grant, make_order):
    grant = make_grant("800")
    order = make_order("1000")
    client.force_login(engineer)
    page = client.get(reverse("funding:home")).content.decode()
    assert "800.00" in page and reverse("funding:pay", args=[order.pk]) in page
    response = client.post(reverse("funding:pay", args=[order.pk]), {"grant": grant.pk})
    assert response.status_code == 302
    payment = Payment.objects.get(order=order)
    assert payment.voucher_amount == Decimal("500.00")
    statement = client.get(reverse("funding:statement", args=["xlsx"]))
    assert statement["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("funding:review")).status_code == 403


def test_a_refused_payment_keeps_the_form(client, engineer, make_grant, make_order):
    grant = make_grant("800", valid_to=NOW.date().replace(month=1, day=31))
    order = make_order("1000")
    client.force_login(engineer)
    response = client.post(reverse("funding:pay", args=[order.pk]), {"grant": grant.pk})
    assert response.status_code == 200 and "expired" in response.content.decode()
    assert not Payment.objects.exists()


def test_operator_review_and_rule_pages(client, operator, engineer, voucher_scheme):
    client.force_login(engineer)
    client.post(
        reverse("funding:apply_vouchers"),
        {"rule_set": voucher_scheme.pk, "amount": "5000", "purpose": "研发"},
    )
    client.force_login(operator)
    page = client.get(reverse("funding:review")).content.decode()
    assert "淮安智造科技有限公司" in page
    application = voucher_scheme and engineer.organisation.voucher_applications.get()
    client.post(
        reverse("funding:decide_voucher", args=[application.pk]),
        {"action": "grant", "amount": "5000", "valid_from": "2026-01-01", "valid_to": "2026-12-31"},
    )
    assert engineer.organisation.voucher_grants.get().remaining == Decimal("5000.00")
    assert client.get(reverse("funding:rules")).status_code == 200
    detail = client.get(reverse("funding:rule_detail", args=[voucher_scheme.pk])).content.decode()
    assert "seeds/001" in detail
    bands = [("0", "100", "50"), ("50", "", "30")]
    response = client.post(reverse("funding:rule_new"), rule_set_post(voucher_scheme.region_id, bands))
    page = response.content.decode()
    assert response.status_code == 200 and "overlap" in page and 'value="草稿"' in page
    assert not RuleSet.objects.filter(name="草稿").exists()


def rule_set_post(region_id, bands, **rule):
    """The editor's POST: the set's fields, one rule, its bands as (from, to, rate %)."""
    data = {
        "region": region_id,
        "kind": "voucher",
        "name": "草稿",
        "valid_from": "2030-01-01",
        "source": "x",
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "0",
        "rules-0-name": "r",
        "rules-0-pays": "voucher_deduction",
        "rules-0-location": "any",
        "rules-0-relation": "any",
        "rules-0-province_share": "100",
        "rules-0-city_share": "0",
        "rules-0-bands-TOTAL_FORMS": str(len(bands)),
        "rules-0-bands-INITIAL_FORMS": "0",
    }
    for index, (lower, upper, rate) in enumerate(bands):
        data.update({f"rules-0-bands-{index}-lower": lower, f"rules-0-bands-{index}-upper": upper})
        data[f"rules-0-bands-{index}-rate"] = rate
    data.update({f"rules-0-{key}": value for key, value in rule.items()})
    return data


def test_the_rule_set_editor_names_each_problem_and_keeps_the_input(client, operator, voucher_scheme):
    client.force_login(operator)
    bands = [("0", "100000", "40"), ("100000", "", "-30")]
    data = rule_set_post(voucher_scheme.region_id, bands, cap_per_year="-5", city_share="10", name="淮安补贴")
    response = client.post(reverse("funding:rule_new"), data)
    page = response.content.decode()
    assert response.status_code == 200 and not RuleSet.objects.filter(name="草稿").exists()
    assert page.count('class="alert alert-danger"') == 1
    for problem in ("may not be negative", "a rate must lie between 0 and 100%", "add up to 100%"):
        assert problem in page
    assert 'value="淮安补贴"' in page and 'value="-30"' in page and 'value="-5"' in page
    fixed = rule_set_post(
        voucher_scheme.region_id, [("0", "100000", "40"), ("100000", "", "30")], name="淮安补贴", cap_per_year="500000"
    )
    fixed.update({"rules-0-flags": ["is_tech_sme"], "rules-0-excluded_purposes": ["statutory", "duty_testing"]})
    response = client.post(reverse("funding:rule_new"), fixed)
    draft = RuleSet.objects.get(name="草稿")
    assert response.status_code == 302
    rule = draft.rules.get()
    assert rule.flags == ["is_tech_sme"] and set(rule.excluded_purposes) == {"statutory", "duty_testing"}
    assert [(b.lower, b.upper, b.rate) for b in rule.bands.all()] == [
        (Decimal("0.00"), Decimal("100000.00"), Decimal("0.4000")),
        (Decimal("100000.00"), None, Decimal("0.3000")),
    ]
    page = client.get(reverse("funding:rule_edit", args=[draft.pk])).content.decode()
    assert 'value="40"' in page and 'value="100000.00"' in page and "rules-1-name" in page
    assert 'name="rules-0-DELETE" class="form-check-input"' in page
    edited = {**fixed, "rules-INITIAL_FORMS": "1", "rules-0-DELETE": "on"}
    refused = client.post(reverse("funding:rule_edit", args=[draft.pk]), edited).content.decode()
    assert "at least one rule" in refused and draft.rules.count() == 1


def test_unit_cannot_approve_rule_sets_or_batches(client, unit_admin):
    client.force_login(unit_admin)
    rule_set = RuleSet.objects.first()
    client.post(reverse("funding:rule_action", args=[rule_set.pk]), {"action": "approve"})
    assert client.get(reverse("funding:review")).status_code == 403
    assert client.get(reverse("funding:rule_new")).status_code == 403


def test_api_reads_are_scoped_and_pay_writes(client, engineer, make_grant, make_order, unit_admin):
    grant = make_grant("800")
    order = make_order("100")
    assert client.get("/api/v1/funding/rule-sets/").json()["count"] == RuleSet.objects.count()
    client.force_login(engineer)
    response = client.post(
        "/api/v1/funding/payments/", {"order": order.pk, "grant": grant.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["voucher_amount"] == "50.00"
    again = client.post("/api/v1/funding/payments/", {"order": order.pk}, content_type="application/json")
    assert again.status_code == 400 and "paid already" in again.json()["detail"]
    assert client.get("/api/v1/funding/ledger/").json()["count"] == 2
    client.force_login(unit_admin)
    assert client.get("/api/v1/funding/grants/").json()["count"] == 0
    assert client.get("/api/v1/funding/payments/").json()["count"] == 1
    Order.objects.filter(pk=order.pk).update(status=Order.Status.REVIEWED)
    payment_id = Payment.objects.get().pk
    batch = client.post(
        "/api/v1/funding/redemption-batches/",
        {"unit": unit_admin.organisation_id, "payments": [payment_id]},
        content_type="application/json",
    )
    assert batch.status_code == 201
    refused = client.post(
        f"/api/v1/funding/redemption-batches/{batch.json()['id']}/decide/",
        {"action": "approve"},
        content_type="application/json",
    )
    assert refused.status_code == 403


def _invoice_rows(*rows):
    data = {"invoices-TOTAL_FORMS": "3", "invoices-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data.update({f"invoices-{index}-{key}": value for key, value in row.items()})
    return data


def test_subsidy_page_takes_several_invoices(client, engineer, make_order):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dayi.funding.models import SubsidyApplication

    scheme = RuleSet.objects.get(kind="subsidy", region__code="320800")
    order = make_order("60000", status=Order.Status.SETTLED)
    client.force_login(engineer)
    assert "invoices-4-invoice_number" in client.get(reverse("funding:apply_subsidy")).content.decode()
    base = {"rule_set": scheme.pk, "year": "2026", "orders": [order.pk]}
    refused = client.post(
        reverse("funding:apply_subsidy"),
        {**base, **_invoice_rows({"invoice_number": "A-1", "amount": "30000"}, {"provider": "无号检测中心"})},
    )
    page = refused.content.decode()
    assert refused.status_code == 200 and "A-1" in page and "无号检测中心" in page
    assert not SubsidyApplication.objects.exists()
    scan = SimpleUploadedFile("fapiao.pdf", b"%PDF-1.4", content_type="application/pdf")
    rows = _invoice_rows(
        {"invoice_number": "A-1", "amount": "30000", "invoice_file": scan},
        {"invoice_number": "A-2", "provider": "苏州检测中心", "amount": "60000"},
    )
    assert client.post(reverse("funding:apply_subsidy"), {**base, **rows}).status_code == 302
    application = SubsidyApplication.objects.get()
    assert application.items.count() == 3 and application.amount == Decimal("55000.00")
