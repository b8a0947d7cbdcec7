from functools import wraps

from django.core.exceptions import PermissionDenied as Forbidden

from dayi.core.errors import PermissionDenied


def refusals_as_403(view):
    """A service's or selector's refusal becomes the HTTP 403 page; the service has already
    recorded it where the rule asks for that."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            raise Forbidden(error.message) from error

    return wrapper
