"""The one way views end a form's POST: submit_form and form_status."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpResponse
from django.test import RequestFactory

from dayi.core.errors import DomainError, PermissionDenied
from dayi.core.http import form_status, submit_form


class NameForm(forms.Form):
    name = forms.CharField()


def request_for(method, data=None):
    request = getattr(RequestFactory(), method.lower())("/", data or {})
    request.session = SessionBase()
    request._messages = FallbackStorage(request)
    return request


def submitted(request, service, **options):
    form = NameForm(request.POST or None)
    response = submit_form(request, form, service, then=lambda result: HttpResponse(result), **options)
    return form, response


def test_a_valid_post_runs_the_service_says_so_and_answers_with_its_result():
    request = request_for("POST", {"name": "扫描电镜"})
    _form, response = submitted(request, lambda: "saved", success=lambda result: f"done: {result}")
    assert response.content == b"saved"
    assert [str(message) for message in get_messages(request)] == ["done: saved"]
    assert form_status(request) == 400


def test_a_refusal_goes_on_its_field_and_the_page_is_shown_again():
    def refuse():
        raise DomainError("名称重复。", field="name")

    request = request_for("POST", {"name": "扫描电镜"})
    form, response = submitted(request, refuse, success="never")
    assert response is None
    assert form.errors == {"name": ["名称重复。"]}
    assert form["name"].value() == "扫描电镜"
    assert not list(get_messages(request))


def test_a_refusal_of_the_person_rises_to_the_403_page():
    def forbid():
        raise PermissionDenied("不是你的单位。")

    with pytest.raises(PermissionDenied):
        submitted(request_for("POST", {"name": "扫描电镜"}), forbid)


def test_an_invalid_form_or_a_get_never_reaches_the_service():
    def service():
        raise AssertionError("must not run")

    assert submitted(request_for("POST", {"name": ""}), service)[1] is None
    assert submitted(request_for("POST", {"name": "x"}), service, valid=False)[1] is None
    get = request_for("GET")
    assert submitted(get, service)[1] is None
    assert form_status(get) == 200
