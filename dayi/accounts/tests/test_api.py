import re

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import reset_generator_stats
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dayi.accounts.services import obtain_token, revoke_token

TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "pw-Dayi-2026"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def person(make_user):
    return make_user("zhangsan", phone="13912345678", email="zhangsan@example.com", password=PASSWORD)


def test_the_schema_generates_without_a_warning(tmp_path):
    reset_generator_stats()
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    for path in ("/api/v1/instruments/", "/api/v1/units/", "/api/v1/regions/", "/api/v1/classes/", TOKEN_URL):
        assert path in schema


def test_the_docs_page_loads_its_scripts_from_the_platform_itself(client, db):
    page = client.get("/api/docs/").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(a.startswith("/static/drf_spectacular_sidecar/swagger-ui-dist/") and a.endswith(".js") for a in assets)
    assert not [a for a in assets if a.startswith(("http://", "https://", "//"))]


def test_the_schema_is_served(client, db):
    response = client.get("/api/schema/", headers={"accept": "application/json"})
    assert response.status_code == 200


def test_regions_form_a_tree(api, db):
    response = api.get("/api/v1/regions/", {"page_size": 100})
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()["results"]}
    assert rows["320000"]["parent"] is None
    assert rows["320800"]["parent"] == "320000"
    assert rows["320812"] == {
        "code": "320812",
        "name": rows["320812"]["name"],
        "name_en": rows["320812"]["name_en"],
        "level": {"code": 3, "label": "县区/园区"},
        "parent": "320800",
    }


def test_regions_filter_by_level_parent_and_subtree(api, db):
    cities = api.get("/api/v1/regions/", {"level": 2, "page_size": 100}).json()["results"]
    assert cities and all(row["level"]["code"] == 2 for row in cities)
    children = api.get("/api/v1/regions/", {"parent": "320800"}).json()["results"]
    assert children and all(row["parent"] == "320800" for row in children)
    subtree = api.get("/api/v1/regions/", {"within": "320800", "page_size": 100}).json()["results"]
    assert {row["code"] for row in subtree} == {"320800"} | {row["code"] for row in children}
    assert api.get("/api/v1/regions/320812/").json()["name"]


def test_labels_follow_the_request_language(api, db):
    row = api.get("/api/v1/regions/320812/", headers={"accept-language": "en"}).json()
    assert row["level"]["label"] == "county / district / park"


@pytest.mark.parametrize("identifier", ["zhangsan", "13912345678", "zhangsan@example.com"])
def test_obtain_a_token_with_username_phone_or_email(api, person, identifier):
    response = api.post(TOKEN_URL, {"username": identifier, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=person).key


def test_the_token_authenticates_later_requests(api, person):
    key = api.post(TOKEN_URL, {"username": "zhangsan", "password": PASSWORD}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api.get("/api/v1/instruments/")
    assert response.status_code == 200
    assert response.wsgi_request.user == person


def test_a_wrong_password_gets_no_token(api, person):
    response = api.post(TOKEN_URL, {"username": "zhangsan", "password": "wrong"})
    assert response.status_code == 400
    assert not Token.objects.exists()


def test_repeated_failures_lock_the_name_through_the_api_too(api, person):
    for _ in range(5):
        api.post(TOKEN_URL, {"username": "zhangsan", "password": "wrong"})
    response = api.post(TOKEN_URL, {"username": "zhangsan", "password": PASSWORD})
    assert response.status_code == 429
    assert not Token.objects.exists()


def test_the_token_endpoint_is_throttled_per_address(api, person, make_user):
    for number in range(10):
        api.post(TOKEN_URL, {"username": f"nobody{number}", "password": "wrong"})
    response = api.post(TOKEN_URL, {"username": "zhangsan", "password": PASSWORD})
    assert response.status_code == 429
    assert "Retry-After" in response.headers


def test_a_revoked_token_no_longer_authenticates(api, person):
    key = obtain_token(user=person).key
    revoke_token(user=person)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/instruments/").status_code == 401
