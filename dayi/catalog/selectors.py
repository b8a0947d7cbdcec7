"""Reads of the catalogue, each already limited to what the person may see."""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from dayi.accounts.permissions import scope_of

from .models import Instrument


def visible_instruments(user):
    """Public instruments for everyone; plus, for staff roles, the records in their scope:
    their own units' drafts and confidential records, an authority's region subtree, all for
    the operator."""
    queryset = Instrument.objects.all()
    scope = scope_of(user)
    if scope.is_operator:
        return queryset
    public = Q(entry_status=Instrument.EntryStatus.APPROVED, is_confidential=False)
    condition = public
    if scope.managed_unit_ids:
        condition |= Q(owner_id__in=scope.managed_unit_ids)
    if scope.authority_region_paths:
        condition |= scope.region_filter("region")
    return queryset.filter(condition)


def unit_instruments(user, organisation_id):
    """A unit's whole list, drafts included, for the people who manage that unit."""
    scope = scope_of(user)
    if not (scope.is_operator or organisation_id in scope.managed_unit_ids):
        return Instrument.objects.none()
    return Instrument.objects.filter(owner_id=organisation_id)


def headline_figures():
    """The home page figures: public instruments, their units, total original value, classes."""
    public = Instrument.objects.public()
    totals = public.aggregate(
        instruments=Count("id"),
        units=Count("owner", distinct=True),
        total_value=Sum("original_value"),
        categories=Count("category", distinct=True),
    )
    totals["total_value"] = totals["total_value"] or Decimal("0")
    totals["total_value_yi"] = (totals["total_value"] / Decimal("100000000")).quantize(Decimal("0.01"))
    return totals
