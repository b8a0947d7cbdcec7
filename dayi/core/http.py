"""How views meet the services' refusals: the one place where a DomainError becomes a form
error and a PermissionDenied becomes HTTP 403."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied as Forbidden
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from dayi.core.errors import DomainError, PermissionDenied


def refusals_as_403(view):
    """A service's or selector's refusal of the person becomes the HTTP 403 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            raise Forbidden(error.message) from error

    return wrapper


def show_domain_error(form, error):
    """Put a refusal next to the field it concerns, or on top of the form; the input stays."""
    if error.field and error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        form.add_error(None, error.message)


def back_to(request, default):
    """Return to the page the form was posted from, if it is one of ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def submit_form(request, form, service, *, then, success=None, valid=None, show_error=show_domain_error):
    """The end of a form's POST, the same in every view.

    For a POST whose form is valid (or whose forms are, when the view passes `valid`),
    `service()` runs. A refusal of the person (PermissionDenied) rises to the 403 page; any
    other DomainError is shown on the form with what was typed; on success comes the message
    `success` (text, or a function of the service's result) and the response `then(result)`.
    None means: show the page again, with `form_status(request)`.
    """
    if request.method != "POST" or not (form.is_valid() if valid is None else valid):
        return None
    try:
        result = service()
    except PermissionDenied:
        raise
    except DomainError as error:
        show_error(form, error)
        return None
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return then(result)


def form_status(request) -> int:
    """A page shown again after its POST was refused answers 400, as the API does."""
    return 400 if request.method == "POST" else 200
