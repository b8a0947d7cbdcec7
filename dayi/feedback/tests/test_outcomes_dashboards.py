from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from dayi.audit.models import AuditEntry
from dayi.booking.models import Order
from dayi.core.errors import DomainError, PermissionDenied
from dayi.feedback import dashboards, selectors, services
from dayi.feedback.models import Outcome

from .conftest import NOW, SCORES, SHANGHAI

Status = Order.Status
IN_2026 = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def paper(order, actor, **overrides):
    values = {
        "kind": Outcome.Kind.PAPER,
        "title": "涂层截面的显微结构研究",
        "reference": "材料导报 2026, doi:10.1000/xyz",
        "achieved_on": date(2026, 7, 1),
        "acknowledges_platform": True,
    }
    values.update(overrides)
    return services.record_outcome(actor=actor, order=order, **values)


def test_outcomes_are_recorded_on_served_orders_by_their_user(make_order, researcher, stranger, unit_admin):
    order = make_order(Status.SETTLED)
    outcome = paper(order, researcher)
    assert list(selectors.order_outcomes(order)) == [outcome]
    assert AuditEntry.objects.filter(action="outcome.recorded").exists()
    assert list(selectors.outcomes_seen_by(unit_admin)) == [outcome]
    assert list(selectors.outcomes_seen_by(stranger)) == []
    with pytest.raises(PermissionDenied):
        paper(order, stranger)
    with pytest.raises(DomainError, match="已完成"):
        paper(make_order(Status.SCHEDULED), researcher)
    with pytest.raises(DomainError) as refused:
        paper(order, researcher, achieved_on=date(2020, 1, 1))
    assert refused.value.field == "achieved_on"
    with pytest.raises(PermissionDenied):
        services.remove_outcome(actor=stranger, outcome=outcome)
    services.remove_outcome(actor=researcher, outcome=outcome)
    assert not Outcome.objects.exists()


def test_recording_an_outcome_through_the_order_page(client, completed, researcher):
    client.force_login(researcher)
    url = reverse("feedback:outcome_add", args=[completed.pk])
    rejected = client.post(url, {"kind": "patent", "title": "一种涂层制备方法", "achieved_on": ""})
    assert rejected.status_code == 400 and "一种涂层制备方法" in rejected.content.decode()
    patent = {"kind": "patent", "title": "一种涂层制备方法", "reference": "ZL2026...", "achieved_on": "2026-08-01"}
    assert client.post(url, patent).status_code == 302
    page = client.get(reverse("feedback:order", args=[completed.pk])).content.decode()
    assert "一种涂层制备方法" in page and "专利" in page


def test_unit_summary_counts_income_of_paid_orders_and_the_external_share(
    make_order, researcher, unit_admin, unit, make_user
):
    insider = make_user("insider", organisation=unit)
    make_order(Status.SETTLED, final_fee=Decimal("1000.00"), created=IN_2026)
    make_order(Status.REVIEWED, final_fee=Decimal("500.50"), created=IN_2026)
    make_order(Status.SETTLED, user=insider, is_external=False, final_fee=Decimal("300.00"), created=IN_2026)
    make_order(Status.COMPLETED, final_fee=Decimal("9999.00"), created=IN_2026)  # not paid yet
    make_order(Status.SCHEDULED, final_fee=None, created=IN_2026)
    make_order(Status.SETTLED, final_fee=Decimal("7777.00"), created=datetime(2025, 5, 1, tzinfo=SHANGHAI))
    services.submit_review(actor=researcher, order=make_order(created=IN_2026), scores=SCORES)
    [row] = dashboards.unit_summaries(unit_admin, year=2026)
    assert row["unit"] == unit
    assert (row["orders"], row["active"], row["served"]) == (6, 1, 5)
    assert row["income"] == Decimal("2600.50")  # 1000 + 500.50 + 300 + 800 (the order just reviewed)
    assert row["external_income_share"] == Decimal("88.5")
    assert row["external_share"] == Decimal("80.0")
    assert row["rating"] == pytest.approx(4.5)
    assert dashboards.unit_summaries(researcher, year=2026) == []


def test_user_summary_and_operator_overview(make_order, researcher, operator, unit):
    settled = make_order(Status.SETTLED, final_fee=Decimal("1000.00"), created=IN_2026)
    make_order(Status.SCHEDULED, final_fee=None, created=IN_2026)
    completed = make_order(Status.COMPLETED, created=IN_2026)
    summary = dashboards.user_summary(researcher, year=2026)
    assert (summary["total"], summary["active"], summary["served"], summary["spent"]) == (3, 1, 2, Decimal("1000.00"))
    assert summary["awaiting_review"] == [completed, settled]
    late = services.file_complaint(actor=researcher, unit=unit, subject="迟到", text="x", now=NOW)
    overview = dashboards.operator_overview(year=2026, today=date(2026, 6, 5))
    assert (overview["orders"], overview["open"], overview["overdue"]) == (3, 1, 1)
    assert overview["overdue_list"] == [late]
    assert overview["income"] == Decimal("1000.00")


def test_the_workspace_shows_each_role_its_part(client, make_order, researcher, unit_admin, operator, unit):
    make_order(Status.COMPLETED)
    services.file_complaint(actor=researcher, unit=unit, subject="很久以前的投诉", text="x", now=NOW)
    client.force_login(researcher)
    page = client.get(reverse("web:dashboard")).content.decode()
    assert 'id="my-orders-summary"' in page and 'id="awaiting-review"' in page
    assert 'id="unit-summary"' not in page and 'id="operator-overview"' not in page
    client.force_login(unit_admin)
    page = client.get(reverse("web:dashboard")).content.decode()
    assert 'id="unit-summary"' in page and unit.name in page and 'id="operator-overview"' not in page
    client.force_login(operator)
    page = client.get(reverse("web:dashboard")).content.decode()
    assert 'id="operator-overview"' in page and "很久以前的投诉" in page
