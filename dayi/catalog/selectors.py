"""Reads of the catalogue, each already limited to what the person may see."""

from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from dayi.accounts.models import Organisation
from dayi.accounts.permissions import scope_of

from .models import Category, Instrument, Theme


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


# The catalogue pages ------------------------------------------------------------------------
# Each read below fetches its rows and their relations in a fixed number of queries, so that a
# page costs the same whether it shows 3 instruments or 25.

LIST_RELATIONS = ("owner", "category", "region", "instrument_class")
PUBLIC_INSTRUMENTS = Q(instruments__entry_status=Instrument.EntryStatus.APPROVED, instruments__is_confidential=False)


def catalogue(user, *, pilot_only=False):
    """The instruments a catalogue list shows to this person, with what each row needs."""
    queryset = visible_instruments(user).select_related(*LIST_RELATIONS).prefetch_related("photos")
    if pilot_only:
        queryset = queryset.filter(is_pilot_scale=True)
    return queryset


def instrument_detail(user):
    """The records whose whole page this person may open, with every relation the page shows."""
    return (
        visible_instruments(user)
        .select_related(
            *LIST_RELATIONS,
            "operator",
            "region__parent__parent",
            "instrument_class__parent__parent",
        )
        .prefetch_related("disciplines", "themes", "photos", "yearly_usage")
    )


def newest_instruments(limit=6):
    return Instrument.objects.public().select_related(*LIST_RELATIONS).prefetch_related("photos")[:limit]


def _with_public_figures(queryset):
    return queryset.annotate(
        instrument_count=Count("instruments", filter=PUBLIC_INSTRUMENTS),
        total_value=Coalesce(Sum("instruments__original_value", filter=PUBLIC_INSTRUMENTS), Decimal("0")),
    )


def categories_with_counts():
    """The city's major categories, each with its number of public instruments."""
    counted = Category.objects.annotate(instrument_count=Count("instruments", filter=PUBLIC_INSTRUMENTS))
    # Meta.ordering does not apply to a grouped query, so the order is spelt out.
    return counted.order_by("order", "slug")


def management_units():
    """Every management unit with the number and total original value of its public instruments."""
    units = Organisation.objects.filter(is_management_unit=True).select_related("region")
    return _with_public_figures(units).order_by("-total_value", "name")


def themes_with_figures():
    return _with_public_figures(Theme.objects.all()).order_by("order", "slug")
