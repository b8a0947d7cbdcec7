"""How views meet the services' refusals: the one place where a DomainError becomes a form
error and a PermissionDenied becomes HTTP 403."""

from functools import wraps

from django.core.exceptions import PermissionDenied as Forbidden
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from dayi.core.errors import PermissionDenied


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
