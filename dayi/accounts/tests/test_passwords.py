import re

from django.urls import reverse

NEW_PASSWORD = "Qingjiang-River-88"


def test_password_reset_by_email(client, make_user, mailoutbox):
    person = make_user("zhangsan", email="zhangsan@example.com")
    response = client.post(reverse("accounts:password_reset"), {"email": "zhangsan@example.com"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["zhangsan@example.com"]
    assert "zhangsan" in mail.body
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.body).group(1)

    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0]
    assert response.context["validlink"]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_complete")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)

    again = client.get(link, follow=True)
    assert not again.context["validlink"]


def test_an_unknown_email_sends_nothing_and_reveals_nothing(client, db, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_password_change(client, make_user):
    person = make_user("zhangsan")
    client.force_login(person)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "pw-Dayi-2026", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.url == reverse("accounts:password_change_done")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_password_change_with_a_wrong_old_password_is_refused(client, make_user):
    person = make_user("zhangsan")
    client.force_login(person)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
