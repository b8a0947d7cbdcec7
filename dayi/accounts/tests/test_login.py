import pytest
from django.urls import reverse

PASSWORD = "pw-Dayi-2026"


@pytest.fixture
def person(make_user):
    return make_user("zhangsan", phone="13912345678", email="zhangsan@example.com", password=PASSWORD)


def _log_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.parametrize("identifier", ["zhangsan", "ZhangSan", "13912345678", "ZHANGSAN@example.com"])
def test_log_in_with_username_phone_or_email(client, person, identifier):
    response = _log_in(client, identifier, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("web:dashboard")
    assert client.session["_auth_user_id"] == str(person.pk)


def test_a_wrong_password_says_so_and_keeps_the_name(client, person):
    response = _log_in(client, "13912345678", "wrong")
    assert response.status_code == 200
    page = response.content.decode()
    assert "密码" in page
    assert 'value="13912345678"' in page
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_lock_the_sixth_attempt_even_with_the_right_one(client, person, make_user):
    for _ in range(4):
        assert _log_in(client, "zhangsan", "wrong").status_code == 200
    assert _log_in(client, "zhangsan", "wrong").status_code == 429
    locked = _log_in(client, "zhangsan", PASSWORD)
    assert locked.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in locked.templates]
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    other = make_user("lisi", password=PASSWORD)
    response = _log_in(client, "lisi", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)


def test_the_lockout_is_per_address(client, person):
    for _ in range(5):
        _log_in(client, "zhangsan", "wrong")
    response = client.post(
        reverse("accounts:login"), {"username": "zhangsan", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302


def test_the_login_page_links_to_reset_and_register(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in page
    assert reverse("accounts:register") in page


def test_guesses_through_username_phone_and_email_share_one_limit(client, person):
    for identifier in ["zhangsan", "13912345678", "zhangsan@example.com", "ZhangSan"]:
        assert _log_in(client, identifier, "wrong").status_code == 200
    assert _log_in(client, "13912345678", "wrong").status_code == 429
    assert _log_in(client, "zhangsan@example.com", PASSWORD).status_code == 429
