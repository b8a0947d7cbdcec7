from django.urls import reverse

from dayi.feedback.models import Complaint

from .conftest import NOW


def test_filing_answering_and_confirming_through_the_pages(client, completed, researcher, operator, stranger):
    client.force_login(researcher)
    new = reverse("feedback:complaint_new")
    assert completed.instrument.name in client.get(new, {"order": completed.pk}).content.decode()
    kept = client.post(new, {"order": completed.pk, "subject": "", "text": "保留的文字"})
    assert kept.status_code == 400 and "保留的文字" in kept.content.decode()
    filed = client.post(new, {"order": completed.pk, "subject": "报告迟延", "text": "超期一周"})
    complaint = Complaint.objects.get()
    assert filed.url == reverse("feedback:complaint", args=[complaint.pk])
    assert "报告迟延" in client.get(reverse("feedback:my_complaints")).content.decode()

    act = reverse("feedback:complaint_act", args=[complaint.pk])
    assert client.post(act, {"action": "answer", "text": "自答"}).status_code == 403
    client.force_login(stranger)
    assert client.get(reverse("feedback:complaint", args=[complaint.pk])).status_code == 403
    client.force_login(operator)
    assert "报告迟延" in client.get(reverse("feedback:queue")).content.decode()
    empty = client.post(act, {"action": "answer", "text": ""})
    assert empty.status_code == 400 and "请填写给投诉人的答复" in empty.content.decode()
    client.post(act, {"action": "answer", "text": "已督促"})
    client.force_login(researcher)
    client.post(act, {"action": "confirm"})
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.CLOSED


def test_a_complaint_about_a_unit_and_the_units_page(client, researcher, unit, unit_admin, other_unit_admin):
    client.force_login(researcher)
    assert unit.name in client.get(reverse("feedback:complaint_new")).content.decode()
    client.post(reverse("feedback:complaint_new"), {"unit": unit.pk, "subject": "态度差", "text": "电话无人接听"})
    assert Complaint.objects.get().unit == unit
    client.force_login(unit_admin)
    assert "态度差" in client.get(reverse("feedback:unit_complaints")).content.decode()
    client.force_login(other_unit_admin)
    assert "态度差" not in client.get(reverse("feedback:unit_complaints")).content.decode()
    client.force_login(researcher)
    assert client.get(reverse("feedback:unit_complaints")).status_code == 403
    assert client.get(reverse("feedback:queue")).status_code == 403


def test_the_operator_escalates_overdue_complaints_from_the_queue(client, researcher, unit, operator, authority):
    from dayi.feedback.services import file_complaint

    complaint = file_complaint(actor=researcher, unit=unit, subject="久未答复", text="x", now=NOW)
    client.force_login(operator)
    client.post(reverse("feedback:escalate_overdue"))
    complaint.refresh_from_db()
    assert complaint.escalated_at is not None
    client.force_login(authority)
    assert "久未答复" in client.get(reverse("feedback:queue")).content.decode()
