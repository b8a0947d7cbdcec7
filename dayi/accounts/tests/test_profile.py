import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from dayi.accounts.models import Role


@pytest.fixture
def person(make_user, unit):
    return make_user(
        "zhangsan",
        role=Role.UNIT_ADMIN,
        organisation=unit,
        display_name="张三",
        phone="13912345678",
        email="zhangsan@example.com",
    )


def test_the_profile_shows_roles_and_organisation(client, person, huaian, make_user):
    client.force_login(person)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "单位管理员" in page
    assert "淮阴工学院" in page


def test_the_profile_needs_a_log_in(client, db):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_editing_name_phone_and_email(client, person):
    client.force_login(person)
    response = client.post(
        reverse("accounts:profile"), {"display_name": "张小三", "phone": "13800000001", "email": "z3@example.com"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.display_name, person.phone, person.email) == ("张小三", "13800000001", "z3@example.com")


def test_a_phone_of_someone_else_is_refused_and_the_input_kept(client, person, make_user):
    make_user("lisi", phone="13800000002")
    client.force_login(person)
    response = client.post(
        reverse("accounts:profile"), {"display_name": "张小三", "phone": "13800000002", "email": "z3@example.com"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    assert 'value="张小三"' in response.content.decode()
    person.refresh_from_db()
    assert person.phone == "13912345678"


def test_a_malformed_phone_is_refused(client, person):
    client.force_login(person)
    response = client.post(
        reverse("accounts:profile"), {"display_name": "张三", "phone": "12345", "email": "zhangsan@example.com"}
    )
    assert response.context["form"].errors["phone"]


def test_create_replace_and_revoke_the_api_token(client, person):
    client.force_login(person)
    response = client.post(reverse("accounts:api_token"), {"action": "create"})
    first = Token.objects.get(user=person).key
    assert first in response.content.decode()

    client.post(reverse("accounts:api_token"), {"action": "create"})
    second = Token.objects.get(user=person).key
    assert second != first
    assert first not in client.get(reverse("accounts:profile")).content.decode()

    client.post(reverse("accounts:api_token"), {"action": "revoke"})
    assert not Token.objects.filter(user=person).exists()
