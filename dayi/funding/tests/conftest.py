"""An enterprise, its vouchers and completed orders on fixed dates; the seeds' rule sets are
loaded by the data migration."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from dayi.accounts.models import Organisation, Region, Role
from dayi.booking.models import Order
from dayi.funding.grants import apply_for_vouchers, grant_vouchers
from dayi.funding.models import RuleSet

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()


@pytest.fixture
def jiangsu(db):
    return Region.objects.get(code="320000")


@pytest.fixture
def authority(make_user, jiangsu):
    return make_user("authority", role=Role.AUTHORITY, region=jiangsu)


@pytest.fixture
def enterprise(qingjiangpu):
    return Organisation.objects.create(
        name="淮安智造科技有限公司", category=Organisation.Category.ENTERPRISE, region=qingjiangpu, is_tech_sme=True
    )


@pytest.fixture
def engineer(make_user, enterprise):
    return make_user("engineer", organisation=enterprise, display_name="李工")


@pytest.fixture
def voucher_scheme(db):
    return RuleSet.objects.get(kind="voucher", region__code="320000")


@pytest.fixture
def make_grant(engineer, operator, voucher_scheme):
    def make(amount="10000", valid_from=date(2026, 1, 1), valid_to=date(2026, 12, 31), applicant=None, scheme=None):
        application = apply_for_vouchers(
            actor=applicant or engineer, rule_set=scheme or voucher_scheme, amount=Decimal(amount), purpose="研发检测"
        )
        return grant_vouchers(
            actor=operator, application=application, amount=Decimal(amount), valid_from=valid_from, valid_to=valid_to
        )

    return make


@pytest.fixture
def make_order(approved_instrument, engineer):
    def make(fee="1000", user=None, status=Order.Status.COMPLETED, instrument=None, **fields):
        user = user or engineer
        fields.setdefault("is_external", True)
        fields.setdefault("ends_at", NOW)
        fields.setdefault("service_purpose", Order.ServicePurpose.ENTERPRISE_RND)
        return Order.objects.create(
            instrument=instrument or approved_instrument,
            user=user,
            organisation_id=user.organisation_id,
            mode=Order.Mode.SAMPLE_TESTING,
            sample_count=1,
            status=status,
            purpose="材料检测",
            final_fee=Decimal(fee),
            **fields,
        )

    return make


@pytest.fixture
def zhejiang_setup(make_unit, make_instrument, make_user):
    """A Zhejiang unit with its administrator and two instruments (reward and insurance rule sets)."""
    zhejiang = Region.objects.get(code="330000")
    hangzhou = Region.objects.filter(path__startswith=zhejiang.path, level=2).first()
    lab = make_unit("浙江测试大学", region=hangzhou)
    admin = make_user("zj-admin", role=Role.UNIT_ADMIN, organisation=lab)
    instruments = [make_instrument(owner=lab, actor=admin, region=hangzhou) for _ in range(2)]
    return lab, admin, instruments


@pytest.fixture(autouse=True)
def _in_english():
    """Assertions on the working read the English msgids, whatever translations are compiled."""
    from django.utils import translation

    with translation.override("en"):
        yield
