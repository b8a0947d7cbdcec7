"""PDF and Excel statements: Chinese comes back out of the PDF (the font is embedded), the
amounts are there, and each person gets only their own organisation's or unit's statement."""

import os
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from dayi.accounts.models import Organisation
from dayi.booking.models import Order
from dayi.funding import payments, redemptions, rewards

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext (poppler-utils) is missing on CI")
        pytest.skip("pdftotext (poppler-utils, scripts/setup --dev) is not installed")
    assert content.startswith(b"%PDF")
    # Fixed arguments; only the PDF bytes come from the test.
    done = subprocess.run([pdftotext, "-layout", "-", "-"], input=content, capture_output=True, check=True)  # noqa: S603
    return done.stdout.decode()


@pytest.fixture
def zh_client():
    return Client(headers={"Accept-Language": "zh-hans"})


@pytest.fixture
def paid(engineer, make_grant, make_order, unit_admin, operator):
    """One order of 1,000 yuan paid with 500 yuan of vouchers, redeemed and approved."""
    grant = make_grant("800")
    order = make_order("1000")
    payment = payments.pay_order(actor=engineer, order=order, grant=grant)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.REVIEWED)
    batch = redemptions.submit_batch(actor=unit_admin, unit=unit_admin.organisation, payment_ids=[payment.pk])
    redemptions.decide_batch(actor=operator, batch=batch, action="approve")
    return payment


def test_enterprise_pdf_statement_in_chinese(zh_client, engineer, paid):
    zh_client.force_login(engineer)
    with translation.override("zh-hans"):
        response = zh_client.get(reverse("funding:statement", args=["pdf"]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "淮安智造科技有限公司" in text and "江苏省科技创新券" in text
    assert "创新券" in text and "余额" in text
    assert "800.00" in text and "500.00" in text and "300.00" in text


def test_unit_pdf_statement_and_its_permissions(zh_client, client, unit_admin, other_unit_admin, engineer, paid):
    zh_client.force_login(unit_admin)
    url = reverse("funding:unit_statement", args=[unit_admin.organisation_id, "pdf"])
    with translation.override("zh-hans"):
        text = pdf_text(zh_client.get(url).content)
    assert "淮阴工学院" in text and "500.00" in text and "已批准" in text
    client.force_login(other_unit_admin)
    assert client.get(url).status_code == 403
    client.force_login(engineer)
    assert client.get(url).status_code == 403
    workbook = load_workbook(BytesIO(client.get(reverse("funding:statement", args=["xlsx"])).content))
    assert len(workbook.sheetnames) == 3


def test_an_enterprise_gets_only_its_own_statement(client, make_user, engineer, paid, qingjiangpu):
    rival = Organisation.objects.create(
        name="别家科技有限公司", category=Organisation.Category.ENTERPRISE, region=qingjiangpu
    )
    client.force_login(make_user("rival", organisation=rival))
    text = pdf_text(client.get(reverse("funding:statement", args=["pdf"])).content)
    assert "别家科技有限公司" in text and "淮安智造" not in text and "800.00" not in text
    assert client.get(reverse("funding:statement", args=["doc"])).status_code == 404
    client.force_login(make_user("nobody"))
    assert client.get(reverse("funding:statement", args=["pdf"])).status_code == 403


def test_overseer_summary_and_reward_list(zh_client, client, operator, engineer, paid, unit_admin):
    zh_client.force_login(operator)
    with translation.override("zh-hans"):
        summary = pdf_text(zh_client.get(reverse("funding:summary", args=["pdf"])).content)
    assert "清江浦区" in summary and "1,000.00" in summary and "500.00" in summary
    client.force_login(engineer)
    assert client.get(reverse("funding:summary", args=["pdf"])).status_code == 403
    from dayi.funding.models import RuleSet

    zhejiang = RuleSet.objects.get(kind="reward", region__code="330000")
    run = rewards.compute_rewards(actor=operator, rule_set=zhejiang, year=2026)
    client.force_login(operator)
    text = pdf_text(client.get(reverse("funding:reward_run", args=[run.pk]), {"format": "pdf"}).content)
    assert "浙江省大仪共享服务奖励" in text and Decimal(run.total) == 0 and "0.00" in text
