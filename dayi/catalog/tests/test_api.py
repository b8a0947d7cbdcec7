import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from dayi.accounts.models import Region, Role
from dayi.catalog.models import Instrument, InstrumentClass
from dayi.lifecycle.services import approve_entry, submit_for_entry

LIST_URL = "/api/v1/instruments/"
ISO_SHANGHAI = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00$")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def enter_network(unit_admin, operator):
    def enter_network(instrument, actor=None):
        submit_for_entry(actor=actor or unit_admin, instrument=instrument)
        return approve_entry(actor=operator, instrument=instrument)

    return enter_network


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_visitors_see_only_approved_non_confidential_instruments(api, make_instrument, enter_network):
    public = enter_network(make_instrument())
    enter_network(make_instrument(is_confidential=True))
    make_instrument()
    assert _ids(api.get(LIST_URL)) == {public.id}
    assert api.get(f"{LIST_URL}{public.id}/").status_code == 200


def test_a_hidden_instrument_is_not_found_for_visitors(api, make_instrument):
    draft = make_instrument()
    assert api.get(f"{LIST_URL}{draft.id}/").status_code == 404


def test_a_unit_admin_sees_its_own_drafts_and_no_one_elses(api, make_instrument, unit_admin, other_unit_admin):
    draft = make_instrument()
    api.force_authenticate(unit_admin)
    assert draft.id in _ids(api.get(LIST_URL))
    api.force_authenticate(other_unit_admin)
    assert draft.id not in _ids(api.get(LIST_URL))


def test_the_list_shapes_money_choices_and_times(api, make_instrument, enter_network):
    instrument = enter_network(make_instrument(original_value=Decimal("3200000.50"), offers_machine_time=True))
    row = api.get(LIST_URL).json()["results"][0]
    assert row["original_value"] == "3200000.50"
    assert row["value_wan"] == "320.00"
    assert row["sharing_mode"]["code"] == "external" and row["sharing_mode"]["label"]
    assert row["running_status"]["code"] == "normal" and row["running_status"]["label"]
    assert row["country"]["code"] == "JP"
    assert {"code": "machine_time", "label": row["service_modes"][0]["label"]} in row["service_modes"]
    assert ISO_SHANGHAI.match(row["approved_at"]), row["approved_at"]
    assert row["instrument_class"] == {"code": "010102", "name": instrument.instrument_class.name}
    assert row["owner"] == {"id": instrument.owner_id, "name": "淮阴工学院"}
    assert row["region"]["code"] == "320812"


def test_the_detail_has_the_whole_record(api, make_instrument, enter_network):
    instrument = enter_network(make_instrument(technical_specs="分辨率 1.0 nm", funding="local_fiscal"))
    row = api.get(f"{LIST_URL}{instrument.id}/", headers={"accept-language": "en"}).json()
    assert row["technical_specs"] == "分辨率 1.0 nm"
    assert row["funding"] == {"code": "local_fiscal", "label": "local fiscal funds"}
    assert row["purpose"]["code"] == "general"
    assert row["themes"] == [] and row["disciplines"] == [] and row["photos"] == []
    assert ISO_SHANGHAI.match(row["updated_at"])


@pytest.fixture
def catalogue(make_instrument, make_unit, make_user, enter_network):
    """Four public instruments that differ in one filterable way each."""
    nanjing = Region.objects.get(code="320106")
    nanjing_unit = make_unit("南京某研究所", region=nanjing)
    nanjing_admin = make_user(role=Role.UNIT_ADMIN, organisation=nanjing_unit)
    return {
        "sem": enter_network(make_instrument(name="扫描电子显微镜", original_value=Decimal("3200000"))),
        "nmr": enter_network(
            make_instrument(
                name="核磁共振波谱仪",
                model_number="AVANCE III 400",
                instrument_class=InstrumentClass.objects.filter(is_assignable=True, code__startswith="0106").first(),
                original_value=Decimal("800000"),
                offers_machine_time=True,
            )
        ),
        "pilot": enter_network(
            make_instrument(name="中试反应釜", is_pilot_scale=True, original_value=Decimal("150000"))
        ),
        "nanjing": enter_network(
            make_instrument(owner=nanjing_unit, actor=nanjing_admin, region=nanjing, name="气相色谱仪"),
            actor=nanjing_admin,
        ),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"class_code": "0101"}, {"sem", "pilot", "nanjing"}),
        ({"class_code": "0106"}, {"nmr"}),
        ({"region": "320800"}, {"sem", "nmr", "pilot"}),
        ({"region": "320100"}, {"nanjing"}),
        ({"service_mode": "machine_time"}, {"nmr"}),
        ({"value_min": "500000", "value_max": "1000000"}, {"nmr"}),
        ({"is_pilot_scale": "true"}, {"pilot"}),
        ({"q": "avance"}, {"nmr"}),
        ({"q": "显微镜"}, {"sem"}),
    ],
)
def test_filters(api, catalogue, params, expected):
    assert _ids(api.get(LIST_URL, params)) == {catalogue[name].id for name in expected}


def test_filter_by_owner_and_category(api, catalogue):
    nanjing = catalogue["nanjing"]
    assert _ids(api.get(LIST_URL, {"owner": nanjing.owner_id})) == {nanjing.id}
    category = catalogue["nmr"].category
    assert category is not None
    assert catalogue["nmr"].id in _ids(api.get(LIST_URL, {"category": category.slug}))


def test_an_unknown_filter_value_is_a_clear_400(api, catalogue):
    response = api.get(LIST_URL, {"region": "999999"})
    assert response.status_code == 400
    assert "region" in response.json()


def test_pagination(api, catalogue):
    body = api.get(LIST_URL, {"page_size": 3}).json()
    assert body["count"] == 4 and len(body["results"]) == 3 and body["next"]
    assert len(api.get(body["next"]).json()["results"]) == 1


def _list_queries(api, user=None):
    if user is not None:
        api.force_authenticate(user)
    with CaptureQueriesContext(connection) as queries:
        assert api.get(LIST_URL).status_code == 200
    return len(queries)


@pytest.mark.parametrize("as_unit_admin", [False, True])
def test_the_list_costs_the_same_queries_for_3_and_25_instruments(api, make_instrument, unit_admin, as_unit_admin):
    Instrument.objects.all().delete()
    user = unit_admin if as_unit_admin else None
    for _ in range(3):
        make_instrument()
    Instrument.objects.update(entry_status=Instrument.EntryStatus.APPROVED)
    few = _list_queries(api, user)
    for _ in range(22):
        make_instrument()
    Instrument.objects.update(entry_status=Instrument.EntryStatus.APPROVED)
    assert Instrument.objects.count() == 25
    assert _list_queries(APIClient(), user) == few


def test_units_carry_their_public_instrument_count(api, unit, other_unit, make_instrument, enter_network):
    enter_network(make_instrument())
    make_instrument()
    rows = {row["id"]: row for row in api.get("/api/v1/units/", {"page_size": 100}).json()["results"]}
    assert rows[unit.id]["instrument_count"] == 1
    assert rows[unit.id]["total_value"] == "3200000.00"
    assert rows[unit.id]["total_value_wan"] == "320.00"
    assert rows[unit.id]["category"]["code"] == "university"
    assert rows[other_unit.id]["instrument_count"] == 0
    assert api.get(f"/api/v1/units/{unit.id}/").json()["name"] == "淮阴工学院"


def test_classes_filter_by_level_and_parent(api, db):
    top = api.get("/api/v1/classes/", {"level": 1, "page_size": 100}).json()["results"]
    assert {"code": "010000", "level": 1, "parent": None} == {k: top[0][k] for k in ("code", "level", "parent")}
    children = api.get("/api/v1/classes/", {"parent": "010100"}).json()["results"]
    assert children and all(row["parent"] == "010100" and row["level"] == 3 for row in children)
    leaf = api.get("/api/v1/classes/010102/").json()
    assert leaf["is_assignable"] is True


def test_categories_are_listed(api, db):
    rows = api.get("/api/v1/categories/").json()
    assert len(rows) == 12
    assert {"slug", "name", "name_en"} == set(rows[0])
