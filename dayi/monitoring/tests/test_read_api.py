"""The read API: live status, sessions and hours, limited to what the person may see."""

import pytest

from dayi.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_the_unit_reads_its_status_sessions_and_hours(client, unit_admin, measured, sensor):
    client.force_login(unit_admin)
    status = client.get("/api/v1/monitoring/status/").json()
    assert [(row["instrument"], row["sensor"], row["state"]) for row in status["results"]] == [
        (measured.pk, sensor.code, "offline")
    ]
    sessions = client.get("/api/v1/monitoring/sessions/", {"instrument": measured.pk, "kind": "in_use"}).json()
    assert [(s["kind"], s["started_at"][:16]) for s in sessions["results"]] == [("in_use", "2025-03-02T09:00")]
    hours = client.get(
        "/api/v1/monitoring/hours/",
        {"instrument": measured.pk, "period": "month", "first": "2025-01-01", "last": "2025-12-31"},
    ).json()
    assert hours == [
        {
            "period": "2025-03-01",
            "running_hours": 10.0,
            "measured_effective_hours": 6.0,
            "effective_hours": 6.0,
            "offline_hours": 0.0,
            "corrected_days": 0,
        }
    ]


def test_another_unit_sees_nothing_of_it(client, other_unit_admin, measured):
    client.force_login(other_unit_admin)
    assert client.get("/api/v1/monitoring/status/").json()["results"] == []
    assert client.get("/api/v1/monitoring/sessions/").json()["results"] == []
    assert client.get("/api/v1/monitoring/hours/", {"instrument": measured.pk}).status_code == 404


def test_an_authority_sees_its_region(client, make_user, huaian, measured):
    client.force_login(make_user("authority", role=Role.AUTHORITY, region=huaian))
    assert client.get("/api/v1/monitoring/sessions/").json()["count"] == 2


def test_a_plain_user_is_refused_and_a_visitor_must_log_in(client, make_user, measured):
    assert client.get("/api/v1/monitoring/sessions/").status_code in (401, 403)
    client.force_login(make_user())
    for url in ("/api/v1/monitoring/status/", "/api/v1/monitoring/sessions/"):
        assert client.get(url).status_code == 403
    assert client.get("/api/v1/monitoring/hours/", {"instrument": measured.pk}).status_code == 403


def test_the_endpoints_are_in_the_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/v1/monitoring/status/",
        "/api/v1/monitoring/sessions/",
        "/api/v1/monitoring/hours/",
        "/api/v1/monitoring/readings/",
    ):
        assert path in schema["paths"], path
