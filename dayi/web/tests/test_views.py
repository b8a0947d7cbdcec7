from django.urls import reverse

from dayi.web import views


def test_health_answers_when_the_database_does(client, db):
    assert client.get(reverse("web:health")).json() == {"status": "ok"}


def test_operator_dashboard_warns_of_a_missing_holiday_calendar(client, operator, monkeypatch):
    monkeypatch.setattr(views, "missing_calendar_years", lambda: [2027])
    client.force_login(operator)
    page = client.get(reverse("web:dashboard")).content.decode()
    assert 'id="calendar-warning"' in page
    assert "2027" in page


def test_other_people_see_no_calendar_warning(client, unit_admin, monkeypatch):
    monkeypatch.setattr(views, "missing_calendar_years", lambda: [2027])
    client.force_login(unit_admin)
    assert 'id="calendar-warning"' not in client.get(reverse("web:dashboard")).content.decode()


def test_the_menu_counts_unread_messages(client, unit_admin):
    from dayi.booking.models import Notification

    client.force_login(unit_admin)
    assert 'bi-bell"></i> 站内消息 <span' not in client.get(reverse("web:home")).content.decode()
    Notification.objects.create(recipient=unit_admin, message="您的预约已通过")
    Notification.objects.create(recipient=unit_admin, message="您的预约已取消")
    page = client.get(reverse("web:home")).content.decode()
    assert '站内消息 <span class="badge text-bg-warning">2</span>' in page
