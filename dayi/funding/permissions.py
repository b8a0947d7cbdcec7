"""Who may act on funding records, beyond what the selectors let them see."""

from django.utils.translation import gettext as _

from dayi.accounts.permissions import scope_of
from dayi.core.errors import PermissionDenied


def require_operator(actor, message=None):
    if not scope_of(actor).is_operator:
        raise PermissionDenied(message or _("Only the platform operator may do this."))
