"""The owner unit redeems reviewed, voucher-paid orders in batches; an order is redeemed once."""

from decimal import Decimal

import pytest

from dayi.booking.models import Order
from dayi.core.errors import DomainError, PermissionDenied
from dayi.funding import redemptions
from dayi.funding.models import Payment, RedemptionBatch
from dayi.funding.payments import pay_order, refund_payment

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed_payment(make_grant, make_order, engineer):
    def make(fee="1000"):
        payment = pay_order(actor=engineer, order=make_order(fee), grant=make_grant("5000"), now=NOW)
        Order.objects.filter(pk=payment.order_id).update(status=Order.Status.REVIEWED)
        return payment

    return make


def test_submitted_approved_paid(reviewed_payment, unit, unit_admin, operator):
    first, second = reviewed_payment(), reviewed_payment("300")
    assert set(redemptions.redeemable(unit.pk)) == {first, second}
    batch = redemptions.submit_batch(actor=unit_admin, unit=unit, payment_ids=[first.pk, second.pk])
    assert batch.total == Decimal("650.00")
    redemptions.approve_batch(actor=operator, batch=batch)
    batch = redemptions.mark_batch_paid(actor=operator, batch=batch, now=NOW)
    assert batch.status == RedemptionBatch.Status.PAID and batch.paid_at == NOW
    assert not redemptions.redeemable(unit.pk).exists()


def test_an_order_is_redeemed_once(reviewed_payment, unit, unit_admin):
    payment = reviewed_payment()
    redemptions.submit_batch(actor=unit_admin, unit=unit, payment_ids=[payment.pk])
    with pytest.raises(DomainError) as refused:
        redemptions.submit_batch(actor=unit_admin, unit=unit, payment_ids=[payment.pk])
    assert "redeemed already" in refused.value.message
    assert RedemptionBatch.objects.count() == 1


def test_a_rejected_batch_frees_its_orders_and_a_redeemed_one_cannot_be_refunded(
    reviewed_payment, unit, unit_admin, operator
):
    payment = reviewed_payment()
    batch = redemptions.submit_batch(actor=unit_admin, unit=unit, payment_ids=[payment.pk])
    with pytest.raises(DomainError):
        refund_payment(actor=unit_admin, payment=payment, reason="x")
    redemptions.reject_batch(actor=operator, batch=batch, reason="材料不全")
    assert Payment.objects.get(pk=payment.pk).batch is None
    assert redemptions.submit_batch(actor=unit_admin, unit=unit, payment_ids=[payment.pk]).total == Decimal("500.00")


def test_not_reviewed_orders_and_other_units_are_refused(
    make_grant, make_order, engineer, unit, unit_admin, other_unit, other_unit_admin, reviewed_payment, operator
):
    unreviewed = pay_order(actor=engineer, order=make_order("100"), grant=make_grant("100"), now=NOW)
    with pytest.raises(DomainError):
        redemptions.submit_batch(actor=unit_admin, unit=unit, payment_ids=[unreviewed.pk])
    payment = reviewed_payment()
    with pytest.raises(PermissionDenied):
        redemptions.submit_batch(actor=other_unit_admin, unit=other_unit, payment_ids=[payment.pk])
    with pytest.raises(PermissionDenied):
        redemptions.submit_batch(actor=other_unit_admin, unit=unit, payment_ids=[payment.pk])
    batch = redemptions.submit_batch(actor=unit_admin, unit=unit, payment_ids=[payment.pk])
    with pytest.raises(PermissionDenied):
        redemptions.approve_batch(actor=unit_admin, batch=batch)
    with pytest.raises(DomainError):
        redemptions.mark_batch_paid(actor=operator, batch=batch)
