from datetime import date

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dayi.booking.models import Order
from dayi.feedback.models import Complaint, Outcome, Review

from .conftest import SCORES


def api(user=None):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_rate_and_list_reviews(completed, researcher, stranger, approved_instrument):
    refused = api(stranger).post("/api/v1/reviews/", {"order": completed.pk, **SCORES}, format="json")
    assert refused.status_code == 404
    answer = api(researcher).post("/api/v1/reviews/", {"order": completed.pk, **SCORES, "comment": "好"}, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["overall"] == "4.5" and answer.json()["author"] == "王**"
    again = api(researcher).post("/api/v1/reviews/", {"order": completed.pk, **SCORES}, format="json")
    assert again.status_code == 400 and "已评价" in again.json()["detail"]
    listed = api().get("/api/v1/reviews/", {"instrument": approved_instrument.pk}).json()
    assert listed["count"] == 1 and "王小明" not in str(listed)
    assert api().get("/api/v1/reviews/").status_code == 400


def test_rating_an_order_not_completed_answers_400_with_the_rule(make_order, researcher, manager):
    order = make_order(Order.Status.SCHEDULED)
    answer = api(researcher).post("/api/v1/reviews/", {"order": order.pk, **SCORES}, format="json")
    assert answer.status_code == 400 and "完成后才能评价" in answer.json()["detail"]
    staff = api(manager).post("/api/v1/reviews/", {"order": order.pk, **SCORES}, format="json")
    assert staff.status_code == 403
    assert not Review.objects.exists()


def test_complaints_file_list_and_answer(completed, researcher, stranger, operator):
    filed = api(researcher).post(
        "/api/v1/complaints/", {"order": completed.pk, "subject": "报告迟延", "text": "超期一周"}, format="json"
    )
    assert filed.status_code == 201, filed.content
    number = filed.json()["id"]
    assert filed.json()["record"][0]["kind"]["code"] == "filed"
    assert api(stranger).get("/api/v1/complaints/").json()["count"] == 0
    assert api(researcher).get("/api/v1/complaints/").json()["count"] == 1
    url = f"/api/v1/complaints/{number}/answer/"
    assert api(researcher).post(url, {"text": "自己答复"}, format="json").status_code == 403
    answered = api(operator).post(url, {"text": "已督促出具报告"}, format="json")
    assert answered.status_code == 200 and answered.json()["status"]["code"] == "answered"
    assert Complaint.objects.get().status == Complaint.Status.ANSWERED
    again = api(operator).post(url, {"text": "再答复"}, format="json")
    assert again.status_code == 400


def test_outcomes_api(completed, researcher, unit_admin):
    body = {"order": completed.pk, "kind": "standard", "title": "涂层厚度测定方法", "achieved_on": "2026-09-01"}
    created = api(researcher).post("/api/v1/outcomes/", body, format="json")
    assert created.status_code == 201, created.content
    assert Outcome.objects.get().achieved_on == date(2026, 9, 1)
    assert api(unit_admin).get("/api/v1/outcomes/").json()["count"] == 1
    assert api(unit_admin).post("/api/v1/outcomes/", body, format="json").status_code == 403


@pytest.mark.parametrize("path", ["/api/v1/complaints/", "/api/v1/outcomes/"])
def test_private_lists_need_a_login(path, db):
    assert api().get(path).status_code == 401
