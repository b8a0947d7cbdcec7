"""Reads about organisations, limited by the person's scope."""

from .models import Organisation
from .permissions import scope_of


def management_units_for(user, *, administered_only=False):
    """The management units a person acts for: every one for the operator; otherwise those
    they administer, or (unless `administered_only`) also those whose instruments they run."""
    scope = scope_of(user)
    units = Organisation.objects.filter(is_management_unit=True)
    if scope.is_operator:
        return units
    return units.filter(pk__in=scope.administered_unit_ids if administered_only else scope.managed_unit_ids)
