"""The flow through the JSON API with a token: the same services, rules and messages."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dayi.booking.models import Order

from .conftest import at, pdf_bytes
from .test_views import next_open_day


def api(user=None):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def day():
    return next_open_day()


def test_the_whole_flow_through_the_api(bookable, trained, manager, day):
    user, staff = api(trained), api(manager)
    created = user.post(
        "/api/v1/orders/",
        {
            "instrument": bookable.pk,
            "starts_at": at(day, 9).isoformat(),
            "ends_at": at(day, 10).isoformat(),
            "purpose": "涂层截面",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    order = created.json()
    assert order["status"] == {"code": "submitted", "label": "已提交"}
    number = order["id"]
    assert staff.post(f"/api/v1/orders/{number}/accept/").json()["status"]["code"] == "scheduled"
    assert staff.post(f"/api/v1/orders/{number}/start/").json()["status"]["code"] == "in_service"
    done = staff.post(f"/api/v1/orders/{number}/complete/", {"final_fee": "180.00"}, format="json")
    assert done.json()["final_fee"] == "180.00"
    upload = staff.post(
        f"/api/v1/orders/{number}/documents/",
        {"kind": "report", "file": SimpleUploadedFile("r.pdf", pdf_bytes(), "application/pdf")},
        format="multipart",
    )
    assert upload.status_code == 201 and upload.json()["kind"]["code"] == "report"
    download = user.get(upload.json()["download"])
    assert download.status_code == 302  # the page download needs a session; the API gives the address
    assert user.get(f"/api/v1/orders/{number}/").json()["status"]["code"] == "report_issued"
    assert staff.post(f"/api/v1/orders/{number}/settle/").json()["status"]["code"] == "settled"
    assert [o["id"] for o in user.get("/api/v1/orders/").json()["results"]] == [number]


def test_refusals_are_the_same_as_on_the_pages(bookable, trained, make_user, manager, other_unit_admin, day):
    untrained = make_user("untrained", organisation=trained.organisation)
    refused = api(untrained).post(
        "/api/v1/orders/",
        {
            "instrument": bookable.pk,
            "starts_at": at(day, 9).isoformat(),
            "ends_at": at(day, 10).isoformat(),
            "purpose": "x",
        },
        format="json",
    )
    assert refused.status_code == 400 and "自主操作培训" in refused.json()["detail"]
    order = (
        api(trained)
        .post(
            "/api/v1/orders/",
            {
                "instrument": bookable.pk,
                "starts_at": at(day, 9).isoformat(),
                "ends_at": at(day, 10).isoformat(),
                "purpose": "x",
            },
            format="json",
        )
        .json()
    )
    assert api(trained).post(f"/api/v1/orders/{order['id']}/accept/").status_code == 403
    assert api(other_unit_admin).post(f"/api/v1/orders/{order['id']}/accept/").status_code == 404
    out_of_order = api(manager).post(f"/api/v1/orders/{order['id']}/complete/", {}, format="json")
    assert out_of_order.status_code == 400 and "不能变为" in out_of_order.json()["detail"]
    rejected = api(manager).post(f"/api/v1/orders/{order['id']}/reject/", {"reason": ""}, format="json")
    assert rejected.status_code == 400 and rejected.json()["field"] == "reason"
    assert api().get("/api/v1/orders/").status_code == 401
    cancelled = api(trained).post(f"/api/v1/orders/{order['id']}/cancel/", {}, format="json")
    assert cancelled.json()["status"]["code"] == "cancelled"


def test_a_sample_order_through_the_api(bookable, trained, manager):
    created = api(trained).post(
        "/api/v1/orders/samples/",
        {
            "instrument": bookable.pk,
            "sample_count": 2,
            "test_items": "形貌, 成分",
            "sample_description": "粉末",
            "hazard": "none",
            "disposal": "dispose",
            "purpose": "研发",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["mode"]["code"] == "sample_testing"
    bad = api(trained).post(
        "/api/v1/orders/samples/",
        {
            "instrument": bookable.pk,
            "sample_count": 2,
            "test_items": "形貌",
            "sample_description": "粉末",
            "hazard": "chemical",
            "disposal": "dispose",
            "purpose": "研发",
        },
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "hazard_details"
    assert Order.objects.count() == 1


def test_an_invisible_instrument_is_a_field_error(make_instrument, trained, day):
    draft = make_instrument(offers_machine_time=True)
    response = api(trained).post(
        "/api/v1/orders/",
        {
            "instrument": draft.pk,
            "starts_at": at(day, 9).isoformat(),
            "ends_at": (at(day, 9) + timedelta(hours=1)).isoformat(),
            "purpose": "x",
        },
        format="json",
    )
    assert response.status_code == 400 and "instrument" in response.json()
