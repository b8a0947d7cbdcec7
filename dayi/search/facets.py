"""The facets a search can be narrowed by, their filters and their counts."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from dayi.accounts.models import Organisation, Region
from dayi.catalog.models import Category, Instrument, Theme

WAN = Decimal("10000")
# Original value bands in 万元, as the catalogue and the national platform talk about value.
VALUE_BANDS = {
    "lt50": (_("under 500,000 yuan"), None, 50),
    "50-100": (_("500,000 – 1 million yuan"), 50, 100),
    "100-200": (_("1 – 2 million yuan"), 100, 200),
    "200-500": (_("2 – 5 million yuan"), 200, 500),
    "gte500": (_("5 million yuan and more"), 500, None),
}
SERVICE_MODES = {
    "machine_time": ("offers_machine_time", _("machine-time booking")),
    "sample_testing": ("offers_sample_testing", _("sample testing")),
    "joint_rd": ("offers_joint_rd", _("joint R&D")),
    "leasing": ("offers_leasing", _("leasing")),
}
TOP_UNITS = 15


@dataclass
class Filters:
    category: int | None = None
    region: int | None = None
    unit: int | None = None
    mode: str = ""
    value: str = ""
    status: str = ""
    theme: int | None = None
    pilot: bool = False


def _band_q(key) -> Q:
    _label, low, high = VALUE_BANDS[key]
    condition = Q()
    if low is not None:
        condition &= Q(original_value__gte=low * WAN)
    if high is not None:
        condition &= Q(original_value__lt=high * WAN)
    return condition


def apply(queryset, filters: Filters):
    if filters.category:
        queryset = queryset.filter(category_id=filters.category)
    if filters.region:
        region = Region.objects.filter(pk=filters.region).first()
        queryset = queryset.filter(region__path__startswith=region.path) if region else queryset.none()
    if filters.unit:
        queryset = queryset.filter(owner_id=filters.unit)
    if filters.mode in SERVICE_MODES:
        queryset = queryset.filter(**{SERVICE_MODES[filters.mode][0]: True})
    if filters.value in VALUE_BANDS:
        queryset = queryset.filter(_band_q(filters.value))
    if filters.status in Instrument.UsageStatus.values:
        queryset = queryset.filter(usage_status=filters.status)
    if filters.theme:
        queryset = queryset.filter(themes__id=filters.theme)
    if filters.pilot:
        queryset = queryset.filter(is_pilot_scale=True)
    return queryset


def _labelled(rows, model, label_field="name", limit=None) -> list[dict]:
    """[(id, count)] → facet values with the names of the ids, most frequent first."""
    rows = sorted(((pk, n) for pk, n in rows if pk is not None), key=lambda r: -r[1])[:limit]
    names = dict(model.objects.filter(pk__in=[pk for pk, _n in rows]).values_list("pk", label_field))
    return [{"value": pk, "label": names.get(pk, ""), "count": n} for pk, n in rows]


def _statuses(rows) -> list[dict]:
    labels = dict(Instrument.UsageStatus.choices)
    ordered = sorted(((key, n) for key, n in rows if key), key=lambda r: -r[1])
    return [{"value": key, "label": str(labels.get(key, "")), "count": n} for key, n in ordered]


def _flags(totals: dict) -> dict:
    return {
        "mode": [
            {"value": key, "label": str(label), "count": totals[f"mode_{key}"]}
            for key, (_field, label) in SERVICE_MODES.items()
            if totals[f"mode_{key}"]
        ],
        "value": [
            {"value": key, "label": str(band[0]), "count": totals[f"value_{key}"]}
            for key, band in VALUE_BANDS.items()
            if totals[f"value_{key}"]
        ],
    }


def _theme_counts(plain) -> list[dict]:
    # From the link table alone: joining every match's catalogue row only to reach its
    # themes cost as much as the other facets together.
    links = Instrument.themes.through.objects.filter(instrument_id__in=plain.values("pk"))
    rows = links.values_list("theme_id").annotate(count=Count("pk")).order_by()
    return _labelled(rows, Theme)


def _counts_by_queries(plain) -> dict:
    totals = plain.aggregate(
        **{f"mode_{key}": Count("pk", filter=Q(**{field: True})) for key, (field, _l) in SERVICE_MODES.items()},
        **{f"value_{key}": Count("pk", filter=_band_q(key)) for key in VALUE_BANDS},
    )

    def by(field):
        return plain.values_list(field).annotate(count=Count("pk")).order_by()

    return {
        "category": _labelled(by("category_id"), Category),
        "region": _labelled(by("region_id"), Region),
        "unit": _labelled(by("owner_id"), Organisation, limit=TOP_UNITS),
        **_flags(totals),
        "status": _statuses(by("usage_status")),
    }


def _band_sql(key) -> str:
    _label, low, high = VALUE_BANDS[key]
    parts = []
    if low is not None:
        parts.append(f"original_value >= {low * WAN}")
    if high is not None:
        parts.append(f"original_value < {high * WAN}")
    return " AND ".join(parts)


def _counts_by_grouping_sets(plain) -> dict:
    """One pass over the matches for every single-valued facet: on a large result set each
    pass costs the full-text match again, so seven queries would cost seven times as much."""
    try:
        ids_sql, params = plain.values("pk").query.sql_with_params()
    except EmptyResultSet:
        return {"category": [], "region": [], "unit": [], "mode": [], "value": [], "status": []}
    flags = [f"COUNT(*) FILTER (WHERE {field})" for field, _label in SERVICE_MODES.values()]
    flags += [f"COUNT(*) FILTER (WHERE {_band_sql(key)})" for key in VALUE_BANDS]
    # Only constants of this module and the compiled, parametrized match query are formatted in.
    sql = (
        "SELECT GROUPING(category_id, region_id, owner_id, usage_status), category_id, region_id, owner_id, "  # noqa: S608
        f"usage_status, COUNT(*), {', '.join(flags)} FROM {Instrument._meta.db_table} WHERE id IN ({ids_sql}) "
        "GROUP BY GROUPING SETS ((category_id), (region_id), (owner_id), (usage_status), ())"
    )
    groups = {7: [], 11: [], 13: [], 14: []}
    totals = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for grouping, category, region, owner, status, count, *flag_counts in cursor.fetchall():
            if grouping == 15:
                keys = [f"mode_{k}" for k in SERVICE_MODES] + [f"value_{k}" for k in VALUE_BANDS]
                totals = dict(zip(keys, flag_counts, strict=True))
            else:
                value = {7: category, 11: region, 13: owner, 14: status}[grouping]
                groups[grouping].append((value, count))
    return {
        "category": _labelled(groups[7], Category),
        "region": _labelled(groups[11], Region),
        "unit": _labelled(groups[13], Organisation, limit=TOP_UNITS),
        **_flags(totals),
        "status": _statuses(groups[14]),
    }


def counts(queryset) -> dict:
    """Counts of the matching instruments per facet value (values with no match left out)."""
    plain = queryset.order_by()
    if connection.vendor == "postgresql":
        found = _counts_by_grouping_sets(plain)
    else:
        found = _counts_by_queries(plain)
    found["theme"] = _theme_counts(plain)
    return found
