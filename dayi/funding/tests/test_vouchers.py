"""Vouchers: grant, payment with real-time deduction, refund, expiry, the ledger and its
reconciliation; each bad input refused with nothing changed."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from dayi.booking.models import Order
from dayi.core.errors import DomainError, PermissionDenied
from dayi.funding import grants, payments
from dayi.funding.models import LedgerEntry, Payment, VoucherGrant
from dayi.funding.reconciliation import reconcile

from .conftest import NOW

pytestmark = pytest.mark.django_db


def test_grant_splits_province_and_city_and_opens_the_ledger(make_grant):
    grant = make_grant("10000.01")
    assert grant.province_part == Decimal("5000.00") and grant.city_part == Decimal("5000.01")
    assert list(grant.entries.values_list("kind", "amount")) == [("grant", Decimal("10000.01"))]


def test_payment_deducts_in_real_time_and_the_user_pays_the_rest(make_grant, make_order, engineer):
    grant = make_grant("10000")
    order = make_order("3000")
    payment = payments.pay_order(actor=engineer, order=order, grant=grant, now=NOW)
    assert (payment.voucher_amount, payment.paid_by_user) == (Decimal("1500.00"), Decimal("1500.00"))
    assert payment.province_part + payment.city_part == payment.voucher_amount
    grant.refresh_from_db()
    assert grant.remaining == Decimal("8500.00")
    order.refresh_from_db()
    assert order.status == Order.Status.SETTLED
    assert "50%" in payment.working
    assert reconcile() == []


def test_balance_limits_the_deduction(make_grant, make_order, engineer):
    grant = make_grant("100")
    payment = payments.pay_order(actor=engineer, order=make_order("3000"), grant=grant, now=NOW)
    assert payment.voucher_amount == Decimal("100.00") and payment.paid_by_user == Decimal("2900.00")
    assert "voucher balance 100.00 yuan: applies" in payment.working


def test_refund_returns_and_expiry_releases(make_grant, make_order, engineer, unit_admin):
    grant = make_grant("1000")
    payment = payments.pay_order(actor=engineer, order=make_order("600"), grant=grant, now=NOW)
    payments.refund_payment(actor=unit_admin, payment=payment, reason="检测取消")
    grant.refresh_from_db()
    assert grant.remaining == Decimal("1000.00")
    assert grants.expire_grants(today=date(2027, 1, 1)) == 1
    grant.refresh_from_db()
    assert grant.remaining == 0 and grant.status == VoucherGrant.Status.EXPIRED
    assert list(grant.entries.values_list("kind", flat=True)) == ["grant", "deduction", "refund", "expiry"]
    assert reconcile() == []


@pytest.mark.parametrize(
    "case",
    ["fee_too_small", "expired", "not_yet", "other_org", "not_completed", "twice", "someone_else"],
)
def test_bad_payments_are_refused_and_change_nothing(case, make_grant, make_order, engineer, make_user, enterprise):
    from dayi.accounts.models import Organisation

    grant = make_grant("1000", valid_to=date(2026, 12, 31))
    order = make_order("500")
    kwargs = {"actor": engineer, "order": order, "grant": grant, "now": NOW}
    if case == "fee_too_small":
        kwargs["voucher_limit"] = Decimal("600")
    elif case == "expired":
        kwargs["now"] = NOW.replace(year=2027)
    elif case == "not_yet":
        kwargs["now"] = NOW.replace(year=2025)
    elif case == "other_org":
        rival = Organisation.objects.create(
            name="别家", category="enterprise", region=enterprise.region, is_tech_sme=True
        )
        stranger = make_user("stranger", organisation=rival)
        kwargs["order"] = make_order("500", user=stranger)
        kwargs["actor"] = stranger
    elif case == "not_completed":
        kwargs["order"] = make_order("500", status=Order.Status.IN_SERVICE)
    elif case == "twice":
        payments.pay_order(**kwargs)
    elif case == "someone_else":
        kwargs["actor"] = make_user("colleague", organisation=enterprise)
    before = list(LedgerEntry.objects.values_list("pk", flat=True))
    grant.refresh_from_db()
    remaining = grant.remaining
    with pytest.raises(DomainError):
        payments.pay_order(**kwargs)
    grant.refresh_from_db()
    assert grant.remaining == remaining
    assert list(LedgerEntry.objects.values_list("pk", flat=True)) == before


def test_an_ineligible_organisation_cannot_use_the_scheme(make_grant, make_order, engineer, enterprise):
    grant = make_grant("1000")
    enterprise.is_tech_sme = False
    enterprise.save()
    with pytest.raises(DomainError) as refused:
        payments.pay_order(actor=engineer, order=make_order("500"), grant=grant, now=NOW)
    assert "科技型中小企业" in refused.value.message


def test_only_the_operator_grants_and_only_the_unit_refunds(make_grant, make_order, engineer, other_unit_admin):
    from dayi.funding.models import VoucherApplication

    application = grants.apply_for_vouchers(
        actor=engineer, rule_set=make_grant().rule_set, amount=Decimal("5"), purpose="x"
    )
    with pytest.raises(PermissionDenied):
        grants.grant_vouchers(
            actor=engineer, application=application, amount=Decimal("5"), valid_from=NOW.date(), valid_to=NOW.date()
        )
    assert VoucherApplication.objects.get(pk=application.pk).status == "submitted"
    payment = payments.pay_order(actor=engineer, order=make_order("10"), grant=make_grant("10"), now=NOW)
    with pytest.raises(PermissionDenied):
        payments.refund_payment(actor=other_unit_admin, payment=payment, reason="x")


def test_the_ledger_is_append_only(make_grant):
    entry = make_grant().entries.get()
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_the_reconcile_command_reports_a_difference(make_grant):
    grant = make_grant("1000")
    call_command("funding_reconcile")
    VoucherGrant.objects.filter(pk=grant.pk).update(remaining=Decimal("999"))
    with pytest.raises(CommandError):
        call_command("funding_reconcile")
    assert Payment.objects.count() == 0
