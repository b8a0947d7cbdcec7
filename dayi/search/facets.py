"""The facets a search can be narrowed by, their filters and their counts."""

from dataclasses import dataclass, fields, replace
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from dayi.accounts.models import Organisation, Region
from dayi.catalog.models import Category, Instrument, Theme

from . import directory

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


@dataclass(frozen=True)
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


def apply(documents, filters: Filters):
    """Narrows a queryset of search documents (whose copies of the catalogue fields it reads)."""
    if filters.category:
        documents = documents.filter(category_id=filters.category)
    if filters.region:
        region = Region.objects.filter(pk=filters.region).first()
        documents = documents.filter(region_path__startswith=region.path) if region else documents.none()
    if filters.unit:
        documents = documents.filter(owner_id=filters.unit)
    if filters.mode in SERVICE_MODES:
        documents = documents.filter(**{SERVICE_MODES[filters.mode][0]: True})
    if filters.value in VALUE_BANDS:
        documents = documents.filter(_band_q(filters.value))
    if filters.status in Instrument.UsageStatus.values:
        documents = documents.filter(usage_status=filters.status)
    if filters.theme:
        links = Instrument.themes.through.objects.filter(theme_id=filters.theme)
        documents = documents.filter(pk__in=links.values("instrument_id"))
    if filters.pilot:
        documents = documents.filter(is_pilot_scale=True)
    return documents


def _names_of(model):
    def names(pks) -> dict:
        return dict(model.objects.filter(pk__in=pks).values_list("pk", "name"))

    return names


def _known_names(labels: str, model):
    """Names from the directory's memory (no query), asked of the database only if missing."""

    def names(pks) -> dict:
        known = getattr(directory.names(), labels)
        found = {pk: known[pk] for pk in pks if pk in known}
        missing = [pk for pk in pks if pk not in found]
        return found | (_names_of(model)(missing) if missing else {})

    return names


def _labelled(rows, names, limit=None) -> list[dict]:
    """[(id, count)] → facet values with the names of the ids, the `limit` most frequent first."""
    rows = sorted(((pk, n) for pk, n in rows if pk is not None), key=lambda r: -r[1])[:limit]
    labels = names([pk for pk, _n in rows])
    return [{"value": pk, "label": labels.get(pk, ""), "count": n} for pk, n in rows]


def _statuses(rows) -> list[dict]:
    labels = dict(Instrument.UsageStatus.choices)
    ordered = sorted(((key, n) for key, n in rows if key), key=lambda r: -r[1])
    return [{"value": key, "label": str(labels.get(key, "")), "count": n} for key, n in ordered]


def _facets(groups: dict, totals: dict) -> dict:
    return {
        "category": _labelled(groups["category"], _names_of(Category)),
        "region": _labelled(groups["region"], _names_of(Region)),
        "unit": _labelled(groups["unit"], _known_names("unit_labels", Organisation), TOP_UNITS),
        "mode": [
            {"value": key, "label": str(label), "count": totals[f"mode_{key}"]}
            for key, (_field, label) in SERVICE_MODES.items()
            if totals.get(f"mode_{key}")
        ],
        "value": [
            {"value": key, "label": str(band[0]), "count": totals[f"value_{key}"]}
            for key, band in VALUE_BANDS.items()
            if totals.get(f"value_{key}")
        ],
        "status": _statuses(groups["status"]),
        "theme": _labelled(groups["theme"], _known_names("theme_labels", Theme)),
        "pilot": totals.get("pilot", 0),
    }


def _flag_counts():
    return {
        **{f"mode_{key}": Count("pk", filter=Q(**{field: True})) for key, (field, _l) in SERVICE_MODES.items()},
        **{f"value_{key}": Count("pk", filter=_band_q(key)) for key in VALUE_BANDS},
        "pilot": Count("pk", filter=Q(is_pilot_scale=True)),
    }


def _count_by_queries(documents, limit) -> tuple[int, dict]:
    """One query per facet over the first `limit` matches, whose ids are fetched first."""
    ids = list(documents.order_by().values_list("pk", flat=True)[: limit + 1])
    found = documents.model.objects.filter(pk__in=ids[:limit])

    def by(field):
        return found.values_list(field).annotate(count=Count("pk")).order_by()

    links = Instrument.themes.through.objects.filter(instrument_id__in=ids[:limit])
    groups = {
        "category": by("category_id"),
        "region": by("region_id"),
        "unit": by("owner_id"),
        "status": by("usage_status"),
        "theme": links.values_list("theme_id").annotate(count=Count("pk")).order_by(),
    }
    return len(ids), _facets(groups, found.aggregate(**_flag_counts()))


GROUPS = {"category": "category_id", "region": "region_id", "unit": "owner_id", "status": "usage_status"}


def _band_sql(key) -> str:
    _label, low, high = VALUE_BANDS[key]
    parts = []
    if low is not None:
        parts.append(f"original_value >= {low * WAN}")
    if high is not None:
        parts.append(f"original_value < {high * WAN}")
    return " AND ".join(parts)


def _count_by_grouping_sets(documents, limit) -> tuple[int, dict]:
    """Every facet in one pass over the first `limit` matches: the match runs once, and the
    counts read only the narrow rows it found (the facet columns are copied into them)."""
    columns = [*GROUPS.values(), "theme_ids", "original_value", "is_pilot_scale"]
    columns += [field for field, _label in SERVICE_MODES.values()]
    try:
        matches_sql, params = documents.order_by().values(*columns).query.sql_with_params()
    except EmptyResultSet:
        return 0, _facets({key: [] for key in [*GROUPS, "theme"]}, {})
    counted = "WHERE n <= %s"
    flags = [f"COUNT(*) FILTER ({counted} AND {field})" for field, _label in SERVICE_MODES.values()]
    flags += [f"COUNT(*) FILTER ({counted} AND {_band_sql(key)})" for key in VALUE_BANDS]
    flags += [f"COUNT(*) FILTER ({counted} AND is_pilot_scale)"]
    keys = [*GROUPS.values()]
    # One more row than counted tells whether there were more; it is left out of every count.
    # Only constants of this module and the compiled, parametrized match query are formatted in.
    sql = (
        f"WITH m AS MATERIALIZED (SELECT *, row_number() OVER () AS n FROM ({matches_sql}) found LIMIT %s) "  # noqa: S608
        f"SELECT GROUPING({', '.join(keys)}), {', '.join(keys)}, COUNT(*) FILTER ({counted}), COUNT(*), "
        f"{', '.join(flags)} FROM m "
        f"GROUP BY GROUPING SETS ({', '.join(f'({k})' for k in keys)}, ()) "
        "UNION ALL SELECT -1, theme.value::int, NULL, NULL, NULL, COUNT(*), NULL, "
        f"{', '.join(['NULL'] * len(flags))} FROM m, jsonb_array_elements_text(m.theme_ids) theme "
        f"{counted} GROUP BY theme.value"
    )
    flag_keys = [f"mode_{k}" for k in SERVICE_MODES] + [f"value_{k}" for k in VALUE_BANDS] + ["pilot"]
    arguments = [*params, limit + 1, limit, *([limit] * len(flags)), limit]
    groups = {name: [] for name in [*GROUPS, "theme"]}
    total, totals = 0, {}
    # GROUPING() sets one bit per key column left out, the first column highest.
    single = {(1 << len(keys)) - 1 - (1 << (len(keys) - 1 - i)): name for i, name in enumerate(GROUPS)}
    with connection.cursor() as cursor:
        cursor.execute(sql, arguments)
        for row in cursor.fetchall():
            grouping, values = row[0], row[1 : 1 + len(keys)]
            count, every, flag_counts = row[1 + len(keys)], row[2 + len(keys)], row[3 + len(keys) :]
            if grouping == -1:
                groups["theme"].append((values[0], count))
            elif grouping == (1 << len(keys)) - 1:
                total = every
                totals = dict(zip(flag_keys, flag_counts, strict=True))
            else:
                name = single[grouping]
                groups[name].append((values[list(GROUPS).index(name)], count))
    return total, _facets(groups, totals)


def _chosen(filters: Filters) -> list[str]:
    """The facets whose filter is set. Pilot scale is left out: its one count is the same
    with and without its own filter."""
    return [f.name for f in fields(filters) if f.name != "pilot" and getattr(filters, f.name) != f.default]


def _without(filters: Filters, name: str) -> Filters:
    return replace(filters, **{name: Filters.__dataclass_fields__[name].default})


def _compute(_filters, compute):
    return compute()


def count(documents, filters: Filters, limit: int, remember=_compute) -> tuple[int, dict]:
    """How many of `documents` pass `filters`, counting up to `limit` + 1 (more than `limit`
    means "at least"), and their counts per facet value (values with no match left out).

    A facet whose filter is set is counted without that filter (and with all the others), so
    a person who picked one region still sees how many the other regions hold: one more
    statement per chosen facet. `remember(filters, compute)` may give back what compute()
    gave before for the same filters: the counts without the filter are usually those of the
    search the person just narrowed."""
    counter = _count_by_grouping_sets if connection.vendor == "postgresql" else _count_by_queries

    def of(chosen: Filters):
        return remember(chosen, lambda: counter(apply(documents, chosen), limit))

    total, counts = of(filters)
    counts = {**counts, **{name: of(_without(filters, name))[1][name] for name in _chosen(filters)}}
    if filters.unit and all(v["value"] != filters.unit for v in counts["unit"]):
        # Not among the most frequent units: it holds every match of the search.
        label = _known_names("unit_labels", Organisation)([filters.unit]).get(filters.unit, "")
        counts["unit"] = [*counts["unit"], {"value": filters.unit, "label": label, "count": min(total, limit)}]
    return total, counts
