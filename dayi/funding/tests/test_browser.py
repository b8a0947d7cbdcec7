"""The voucher journey in a real browser at desktop and phone width: the enterprise applies,
the operator grants, the enterprise pays a completed order with the voucher, the unit redeems
the reviewed order and the operator approves the batch."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dayi.booking.models import Order
from dayi.funding.models import Payment, RedemptionBatch
from tests.browser import log_in, no_horizontal_scroll, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_grant_pay_redeem_approve(page, live_server, engineer, operator, unit_admin, voucher_scheme, make_order):
    base = live_server.url
    today = timezone.localdate()

    log_in(page, base, engineer.username)
    visit(page, base + reverse("funding:apply_vouchers"))
    page.select_option("#id_rule_set", str(voucher_scheme.pk))
    page.fill("#id_amount", "2000")
    page.fill("#id_purpose", "新材料研发检测")
    page.locator("main form button.btn-primary").click()
    page.wait_for_url("**" + reverse("funding:home"))

    log_in(page, base, operator.username)
    visit(page, base + reverse("funding:review"))
    page.locator("input[name=valid_from]").fill(f"{today - timedelta(days=1):%Y-%m-%d}")
    page.locator("input[name=valid_to]").fill(f"{today + timedelta(days=60):%Y-%m-%d}")
    page.locator("button[name=action][value=grant]").click()
    page.wait_for_url("**" + reverse("funding:review"))

    order = make_order("1200")
    log_in(page, base, engineer.username)
    visit(page, base + reverse("funding:home"))
    assert "2000.00" in page.locator("[data-testid=balance]").inner_text()
    page.locator(f"a[href='{reverse('funding:pay', args=[order.pk])}']").click()
    page.wait_for_url("**" + reverse("funding:pay", args=[order.pk]))
    assert no_horizontal_scroll(page)
    page.select_option("#id_grant", index=1)
    page.locator("main form button.btn-primary").click()
    page.wait_for_url("**" + reverse("funding:home"))
    assert "1400.00" in page.locator("[data-testid=balance]").inner_text()
    payment = Payment.objects.get(order=order)
    assert payment.voucher_amount == 600 and payment.paid_by_user == 600

    Order.objects.filter(pk=order.pk).update(status=Order.Status.REVIEWED)
    log_in(page, base, unit_admin.username)
    visit(page, base + reverse("funding:home"))
    page.locator("form[action$='/redeem/'] button").click()
    page.wait_for_url("**" + reverse("funding:home"))
    batch = RedemptionBatch.objects.get()
    assert batch.total == 600

    log_in(page, base, operator.username)
    visit(page, base + reverse("funding:review"))
    page.locator("button[name=action][value=approve]").click()
    page.wait_for_url("**" + reverse("funding:review"))
    batch.refresh_from_db()
    assert batch.status == RedemptionBatch.Status.APPROVED
    visit(page, base + reverse("funding:rules"))
    visit(page, base + reverse("funding:rule_detail", args=[voucher_scheme.pk]))
    visit(page, base + reverse("funding:rule_new"))

    log_in(page, base, unit_admin.username)
    visit(page, base + reverse("funding:home"))
    assert page.locator("[data-testid=batch-status]").count() == 1
