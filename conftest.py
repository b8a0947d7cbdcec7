"""Fixtures shared by every test: a small city (units, people of every role, instruments).

Tests run on whichever database DATABASE_URL names; scripts/test runs them on SQLite and
then on PostgreSQL.
"""

import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache

from dayi.accounts.models import Organisation, Region, Role, RoleGrant, User

# Browser fixtures (headless Chromium) for any test that walks pages: tests/e2e and the apps.
pytest_plugins = ["tests.browser"]

_counter = itertools.count(1)


def pytest_collection_modifyitems(items):
    """Every test that commits for real (browser tests, races) restores the database as it
    found it. Such a test ends by emptying every table, and the reference data loaded by
    migrations (regions, classes) would otherwise be gone for the tests after it."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        transactional = (marker is not None and marker.kwargs.get("transaction")) or (
            "live_server" in fixtures or "transactional_db" in fixtures
        )
        if transactional:
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: a flushed database may reuse ids of cached rows."""
    cache.clear()


@pytest.fixture
def huaian(db):
    return Region.objects.get(code="320800")


@pytest.fixture
def qingjiangpu(db):
    return Region.objects.get(code="320812")


@pytest.fixture
def make_unit(db, qingjiangpu):
    def make(name=None, region=None, **fields):
        number = next(_counter)
        fields.setdefault("category", Organisation.Category.UNIVERSITY)
        return Organisation.objects.create(
            name=name or f"测试大学{number}",
            region=region or qingjiangpu,
            is_management_unit=True,
            **fields,
        )

    return make


@pytest.fixture
def make_user(db):
    def make(username=None, *, role=None, organisation=None, region=None, password="pw-Dayi-2026", **fields):
        user = User.objects.create_user(
            username=username or f"user{next(_counter)}", password=password, organisation=organisation, **fields
        )
        if role:
            RoleGrant.objects.create(user=user, role=role, organisation=organisation, region=region)
        return user

    return make


@pytest.fixture
def unit(make_unit):
    return make_unit("淮阴工学院")


@pytest.fixture
def other_unit(make_unit):
    return make_unit("淮阴师范学院")


@pytest.fixture
def unit_admin(make_user, unit):
    return make_user("unitadmin", role=Role.UNIT_ADMIN, organisation=unit)


@pytest.fixture
def other_unit_admin(make_user, other_unit):
    return make_user("otheradmin", role=Role.UNIT_ADMIN, organisation=other_unit)


@pytest.fixture
def operator(make_user):
    return make_user("operator", role=Role.OPERATOR)


@pytest.fixture
def instrument_data(db, qingjiangpu):
    """Valid fields for a new instrument; tests change what they are about."""
    from dayi.catalog.models import InstrumentClass

    def data(**overrides):
        values = {
            "name": "扫描电子显微镜",
            "name_en": "Scanning electron microscope",
            "inventory_number": f"INV-{next(_counter):06d}",
            "instrument_class": InstrumentClass.objects.get(pk="010102"),
            "purpose": "general",
            "model_number": "SU8010",
            "manufacturer": "日立",
            "country": "JP",
            "original_value": Decimal("3200000.00"),
            "acceptance_date": date(2024, 3, 1),
            "funding": "local_fiscal",
            "region": qingjiangpu,
        }
        values.update(overrides)
        return values

    return data


@pytest.fixture
def make_instrument(unit, unit_admin, instrument_data):
    from dayi.catalog.services import create_instrument

    def make(owner=None, actor=None, **overrides):
        return create_instrument(actor=actor or unit_admin, owner=owner or unit, data=instrument_data(**overrides))

    return make


@pytest.fixture
def approved_instrument(make_instrument, unit_admin, operator):
    from dayi.lifecycle.services import approve_entry, submit_for_entry

    instrument = make_instrument()
    submit_for_entry(actor=unit_admin, instrument=instrument)
    return approve_entry(actor=operator, instrument=instrument)
