"""Who runs an instrument's bookings: the unit admins and instrument managers of the unit that
owns it or of the third-party operator that runs it for the owner (委托运营)."""

from django.utils.translation import gettext as _

from dayi.accounts.permissions import scope_of
from dayi.core.errors import PermissionDenied


def runs_instrument(user, instrument) -> bool:
    units = scope_of(user).managed_unit_ids
    return instrument.owner_id in units or (instrument.operator_id is not None and instrument.operator_id in units)


def can_set_rules(user, instrument) -> bool:
    """Rules, opening hours, closures and training records: the unit's staff or the operator."""
    return scope_of(user).is_operator or runs_instrument(user, instrument)


def require_rules_editor(user, instrument):
    if not can_set_rules(user, instrument):
        raise PermissionDenied(_("Only the unit that runs this instrument may change its booking settings."))


def require_staff(user, instrument):
    """Accepting and rejecting orders is the running unit's own decision."""
    if not runs_instrument(user, instrument):
        raise PermissionDenied(_("Only the unit that runs this instrument decides on its orders."))
