"""Orders in given states on one public instrument, on fixed dates of the official calendar
(the booking app's own flow is tested there; here an order's state is set directly)."""

import itertools
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from dayi.accounts.models import Organisation, Role
from dayi.booking.models import Order

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday of an ordinary week: its answer deadline (3 working days) is Thursday 2026-06-04.
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI)
_slots = itertools.count()


@pytest.fixture
def company(qingjiangpu):
    return Organisation.objects.create(
        name="淮安精工科技有限公司", category=Organisation.Category.ENTERPRISE, region=qingjiangpu, is_small_micro=True
    )


@pytest.fixture
def researcher(make_user, company):
    return make_user("researcher", organisation=company, display_name="王小明")


@pytest.fixture
def stranger(make_user, company):
    return make_user("stranger", organisation=company, display_name="李四")


@pytest.fixture
def manager(make_user, unit):
    return make_user("manager", role=Role.INSTRUMENT_MANAGER, organisation=unit)


@pytest.fixture
def authority(make_user, huaian):
    return make_user("kejiju", role=Role.AUTHORITY, region=huaian, display_name="淮安市科技局")


@pytest.fixture
def make_order(approved_instrument, researcher, company):
    def make(status=Order.Status.COMPLETED, *, user=None, instrument=None, created=None, **fields):
        start = NOW - timedelta(days=30) + timedelta(hours=next(_slots))
        fields.setdefault("final_fee", Decimal("800.00"))
        fields.setdefault("is_external", True)
        order = Order.objects.create(
            instrument=instrument or approved_instrument,
            user=user or researcher,
            organisation=(user or researcher).organisation,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            purpose="观察涂层截面",
            status=status,
            **fields,
        )
        if created is not None:
            Order.objects.filter(pk=order.pk).update(created_at=created)
            order.refresh_from_db()
        return order

    return make


@pytest.fixture
def completed(make_order):
    return make_order()


SCORES = {"attitude": 5, "timeliness": 4, "quality": 5, "value": 4}
