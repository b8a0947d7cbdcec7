"""Shandong's out-of-province vouchers (seeds/003 §12): paid only when no public, shared
instrument of the same national class is in the province, checked against the catalogue."""

from decimal import Decimal

import pytest

from dayi.accounts.models import Organisation, Region, Role
from dayi.booking.models import Order
from dayi.catalog.models import Instrument, InstrumentClass
from dayi.core.errors import DomainError
from dayi.funding.models import Payment, RuleSet
from dayi.funding.payments import pay_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def shandong_engineer(make_user):
    jinan = Region.objects.filter(path__startswith=Region.objects.get(code="370000").path, level=2).first()
    company = Organisation.objects.create(
        name="济南新材料有限公司", category=Organisation.Category.ENTERPRISE, region=jinan, is_small_micro=True
    )
    return make_user("sd-engineer", organisation=company)


@pytest.fixture
def out_of_province_order(shandong_engineer, make_grant, make_order):
    """A 10,000-yuan grant under the Shandong scheme and a 1,000-yuan order on a Jiangsu instrument."""
    scheme = RuleSet.objects.get(kind="voucher", region__code="370000")
    grant = make_grant("10000", applicant=shandong_engineer, scheme=scheme)
    return grant, make_order("1000", user=shandong_engineer)


def test_out_of_province_use_when_no_local_instrument_fits(out_of_province_order, shandong_engineer):
    grant, order = out_of_province_order
    payment = pay_order(actor=shandong_engineer, order=order, grant=grant)
    assert payment.voucher_amount == Decimal("600.00")
    assert "省外仪器共享使用" in payment.working
    assert "Catalogue checked: no public, shared instrument of class 010102" in payment.working


def test_refused_while_a_local_instrument_of_the_same_class_is_shared(
    out_of_province_order, shandong_engineer, make_unit, make_user, make_instrument, make_order
):
    grant, order = out_of_province_order
    qingdao = Region.objects.filter(path__startswith=Region.objects.get(code="370000").path, level=2).last()
    lab = make_unit("青岛海洋大学", region=qingdao)
    admin = make_user("qd-admin", role=Role.UNIT_ADMIN, organisation=lab)
    local = make_instrument(owner=lab, actor=admin, region=qingdao, name="场发射扫描电镜")
    other_class = make_instrument(
        owner=lab, actor=admin, region=qingdao, instrument_class=InstrumentClass.objects.get(pk="010101")
    )
    Instrument.objects.filter(pk=other_class.pk).update(entry_status=Instrument.EntryStatus.APPROVED)
    # Another class in the network, and this class not yet in it: no local alternative.
    assert pay_order(actor=shandong_engineer, order=order, grant=grant).voucher_amount == Decimal("600.00")
    Instrument.objects.filter(pk=local.pk).update(entry_status=Instrument.EntryStatus.APPROVED)
    second = make_order("1000", user=shandong_engineer)
    grant.refresh_from_db()
    before = grant.remaining
    with pytest.raises(DomainError) as refused:
        pay_order(actor=shandong_engineer, order=second, grant=grant)
    assert "场发射扫描电镜" in refused.value.message and "青岛海洋大学" in refused.value.message
    grant.refresh_from_db()
    second.refresh_from_db()
    assert grant.remaining == before and not Payment.objects.filter(order=second).exists()
    assert second.status == Order.Status.COMPLETED
