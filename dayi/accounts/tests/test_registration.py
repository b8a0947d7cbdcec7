import pytest
from django.urls import reverse

from dayi.accounts.models import Organisation, User
from dayi.accounts.services import register_user
from dayi.core.errors import DomainError

PASSWORD = "Lanhai-2026-qx"


@pytest.fixture
def form_data(qingjiangpu):
    return {
        "username": "zhangsan",
        "display_name": "张三",
        "phone": "13912345678",
        "email": "zhangsan@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "organisation": "",
        "new_organisation_name": "淮安蓝海新材料有限公司",
        "new_organisation_category": "enterprise",
        "new_organisation_region": str(qingjiangpu.pk),
        "is_tech_sme": "on",
        "is_small_micro": "on",
    }


def test_registering_with_a_new_organisation_creates_it_as_a_user_organisation(client, form_data):
    response = client.post(reverse("accounts:register"), form_data)
    assert response.status_code == 302
    user = User.objects.get(username="zhangsan")
    assert user.display_name == "张三"
    assert user.check_password(PASSWORD)
    organisation = user.organisation
    assert organisation.name == "淮安蓝海新材料有限公司"
    assert organisation.is_user_organisation and not organisation.is_management_unit
    assert organisation.is_tech_sme and organisation.is_small_micro and not organisation.is_startup_team
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_registering_into_an_existing_user_organisation(client, form_data, make_unit):
    existing = make_unit("江苏食品药品职业技术学院", is_user_organisation=True)
    form_data.update(organisation=str(existing.pk), new_organisation_name="")
    assert client.post(reverse("accounts:register"), form_data).status_code == 302
    assert User.objects.get(username="zhangsan").organisation == existing
    assert Organisation.objects.filter(name="淮安蓝海新材料有限公司").count() == 0


def test_a_rejected_form_keeps_what_was_typed_except_the_passwords(client, form_data, make_user):
    make_user("lisi", phone="13912345678")
    form_data["password2"] = "Something-else-77"
    response = client.post(reverse("accounts:register"), form_data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="zhangsan"' in page
    assert 'value="淮安蓝海新材料有限公司"' in page
    assert 'value="zhangsan@example.com"' in page
    assert PASSWORD not in page
    assert not User.objects.filter(username="zhangsan").exists()


@pytest.mark.parametrize(
    ("field", "existing", "message"),
    [
        ("phone", {"phone": "13912345678"}, "手机号已注册"),
        ("email", {"email": "ZhangSan@example.com"}, "邮箱已注册"),
    ],
)
def test_a_duplicate_phone_or_email_is_refused_clearly(client, form_data, make_user, field, existing, message):
    make_user("lisi", **existing)
    response = client.post(reverse("accounts:register"), form_data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors[field]


def test_the_organisation_is_required(client, form_data):
    form_data.update(new_organisation_name="")
    response = client.post(reverse("accounts:register"), form_data)
    assert response.context["form"].errors["organisation"]


def test_a_new_organisation_needs_its_kind_and_region(client, form_data):
    form_data.update(new_organisation_category="", new_organisation_region="")
    form = client.post(reverse("accounts:register"), form_data).context["form"]
    assert form.errors["new_organisation_category"] and form.errors["new_organisation_region"]


def test_a_weak_password_is_refused(client, form_data):
    form_data.update(password1="12345678", password2="12345678")
    form = client.post(reverse("accounts:register"), form_data).context["form"]
    assert form.errors["password1"]


def test_the_service_refuses_an_organisation_name_that_exists(db, qingjiangpu, make_unit):
    make_unit("淮阴工学院")
    with pytest.raises(DomainError) as refused:
        register_user(
            username="wangwu",
            password=PASSWORD,
            display_name="王五",
            phone="13700000000",
            email="wangwu@example.com",
            new_organisation={
                "name": "淮阴工学院",
                "category": "university",
                "region": qingjiangpu,
                "is_tech_sme": False,
                "is_small_micro": False,
                "is_startup_team": False,
            },
        )
    assert refused.value.field == "new_organisation_name"
    assert not User.objects.filter(username="wangwu").exists()


def test_the_service_refuses_a_management_unit_as_user_organisation(db, make_unit):
    owner_only = make_unit("某检测中心", is_user_organisation=False)
    with pytest.raises(DomainError) as refused:
        register_user(
            username="zhaoliu",
            password=PASSWORD,
            display_name="赵六",
            phone="13600000000",
            email="zhaoliu@example.com",
            organisation=owner_only,
        )
    assert refused.value.field == "organisation"


def test_the_page_renders_in_chinese_and_english(client, db):
    assert "注册" in client.get(reverse("accounts:register")).content.decode()
    response = client.get(reverse("accounts:register"), headers={"accept-language": "en"})
    assert "Create an account" in response.content.decode()
