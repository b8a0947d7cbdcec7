"""Who may see and change what. Services call these; views never decide on their own.

Scopes: a unit admin or instrument manager acts for their own organisation(s); an authority
sees the region subtree it was granted; the platform operator (and a superuser) sees all.
"""

from functools import cached_property

from django.db.models import Q

from .models import Region, Role, RoleGrant


class Scope:
    """The roles one person holds, read once per request."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def grants(self):
        if not self.user.is_authenticated:
            return []
        return list(RoleGrant.objects.filter(user=self.user).select_related("region"))

    def _has(self, role):
        return any(g.role == role for g in self.grants)

    @property
    def is_operator(self):
        return self.user.is_authenticated and (self.user.is_superuser or self._has(Role.OPERATOR))

    @property
    def is_authority(self):
        return self._has(Role.AUTHORITY)

    @property
    def is_expert(self):
        return self._has(Role.EXPERT)

    @cached_property
    def administered_unit_ids(self) -> set[int]:
        return {g.organisation_id for g in self.grants if g.role == Role.UNIT_ADMIN}

    @cached_property
    def managed_unit_ids(self) -> set[int]:
        """Units whose instruments this person runs: as unit admin or instrument manager."""
        return {g.organisation_id for g in self.grants if g.role in (Role.UNIT_ADMIN, Role.INSTRUMENT_MANAGER)}

    @cached_property
    def authority_region_paths(self) -> list[str]:
        return [g.region.path for g in self.grants if g.role == Role.AUTHORITY]

    def can_administer_unit(self, organisation_id) -> bool:
        return self.is_operator or organisation_id in self.administered_unit_ids

    def region_filter(self, field: str) -> Q:
        """A filter on `<field>__path` that keeps the regions this person oversees."""
        if self.is_operator:
            return Q()
        paths = self.authority_region_paths
        if not paths:
            return Q(pk__in=[])
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{field}__path__startswith": path})
        return condition

    def can_see_region(self, region: Region) -> bool:
        return self.is_operator or any(region.path.startswith(p) for p in self.authority_region_paths)


def scope_of(user) -> Scope:
    """The person's scope, cached on the user object for the rest of the request."""
    cached = getattr(user, "_dayi_scope", None)
    if cached is None:
        cached = Scope(user)
        if user.is_authenticated:
            user._dayi_scope = cached
    return cached
