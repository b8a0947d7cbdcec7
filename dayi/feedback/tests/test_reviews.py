from decimal import Decimal

import pytest
from django.urls import reverse

from dayi.audit.models import AuditEntry
from dayi.booking.models import Notification, Order
from dayi.core.errors import DomainError, PermissionDenied
from dayi.feedback.models import Review
from dayi.feedback.selectors import masked_name, review_summary
from dayi.feedback.services import submit_review

from .conftest import SCORES


def test_the_user_rates_a_completed_order_once_and_it_becomes_reviewed(completed, researcher, manager):
    review = submit_review(actor=researcher, order=completed, scores=SCORES, comment=" 服务很好 ")
    completed.refresh_from_db()
    assert completed.status == Order.Status.REVIEWED
    assert (review.overall, review.comment, str(review.grade)) == (Decimal("4.5"), "服务很好", "非常满意")
    assert AuditEntry.objects.filter(action="review.created", target_id=str(review.pk)).exists()
    assert Notification.objects.filter(recipient=manager, order=completed).exists()
    with pytest.raises(DomainError, match="已评价"):
        submit_review(actor=researcher, order=completed, scores=SCORES)
    assert Review.objects.count() == 1


@pytest.mark.parametrize("status", ["report_issued", "settled"])
def test_later_states_can_be_rated_too(make_order, researcher, status):
    order = make_order(status)
    submit_review(actor=researcher, order=order, scores=SCORES)
    order.refresh_from_db()
    assert order.status == Order.Status.REVIEWED


def test_someone_elses_order_is_refused_and_nothing_changes(completed, stranger, manager):
    for person in (stranger, manager):
        with pytest.raises(PermissionDenied, match="只能评价自己的订单"):
            submit_review(actor=person, order=completed, scores=SCORES)
    completed.refresh_from_db()
    assert completed.status == Order.Status.COMPLETED and not Review.objects.exists()


@pytest.mark.parametrize("status", ["submitted", "scheduled", "in_service", "cancelled", "rejected"])
def test_an_order_not_completed_is_refused(make_order, researcher, status):
    order = make_order(status)
    with pytest.raises(DomainError, match="完成后才能评价"):
        submit_review(actor=researcher, order=order, scores=SCORES)
    order.refresh_from_db()
    assert order.status == status and not Review.objects.exists()


@pytest.mark.parametrize("bad", [0, 6, None, "5"])
def test_each_score_is_one_to_five(completed, researcher, bad):
    with pytest.raises(DomainError) as refused:
        submit_review(actor=researcher, order=completed, scores={**SCORES, "quality": bad})
    assert refused.value.field == "quality" and "结果质量" in refused.value.message
    assert not Review.objects.exists()


def test_summary_and_masked_names(make_order, researcher, make_user, company, approved_instrument):
    other = make_user("zhao", organisation=company, display_name="赵六")
    submit_review(actor=researcher, order=make_order(), scores=SCORES)
    submit_review(
        actor=other, order=make_order(user=other), scores={"attitude": 3, "timeliness": 3, "quality": 3, "value": 3}
    )
    summary = review_summary(approved_instrument)
    assert summary["count"] == 2
    assert summary["overall"] == pytest.approx(3.75)
    assert masked_name(researcher) == "王**"


def test_instrument_page_loads_the_reviews_without_personal_data(client, completed, researcher, approved_instrument):
    submit_review(actor=researcher, order=completed, scores=SCORES, comment="出图清晰")
    url = reverse("feedback:instrument_reviews", args=[approved_instrument.pk])
    detail = client.get(reverse("catalog:detail", args=[approved_instrument.pk])).content.decode()
    assert f'hx-get="{url}"' in detail
    block = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "出图清晰" in block and "王**" in block and "4.5" in block
    assert "王小明" not in block and "researcher" not in block and "<html" not in block
    assert "<html" in client.get(url).content.decode()


def test_rating_through_the_order_page(client, completed, researcher, stranger):
    url = reverse("feedback:review", args=[completed.pk])
    client.force_login(researcher)
    page = client.get(reverse("feedback:order", args=[completed.pk])).content.decode()
    assert 'id="review-form"' in page
    rejected = client.post(url, {**SCORES, "quality": "", "comment": "保留的文字"})
    assert rejected.status_code == 400 and "保留的文字" in rejected.content.decode()
    assert client.post(url, {**SCORES, "comment": "好"}).status_code == 302
    assert Review.objects.get().comment == "好"
    client.force_login(stranger)
    assert client.get(reverse("feedback:order", args=[completed.pk])).status_code == 404
    assert client.post(url, SCORES).status_code == 404
