"""The facets a search can be narrowed by, their filters and their counts."""

from dataclasses import dataclass, fields, replace
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from dayi.accounts.models import Organisation, Region
from dayi.catalog.models import Instrument

from . import directory, sampling

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


FACETS = ("category", "region", "unit", "status", "theme")
FLAGS = (*(f"mode_{key}" for key in SERVICE_MODES), *(f"value_{key}" for key in VALUE_BANDS), "pilot")


@dataclass
class Counts:
    """What a count found, without a name in it (names are added when shown, see labelled):
    per facet [(value, count)], and the flag counts (service modes, value bands, pilot), in
    the facet sample `level` (1: every match; see sampling.py)."""

    total: int
    groups: dict
    flags: dict
    level: int = 1

    def estimated(self) -> "Counts":
        """The counts of the whole catalogue that these sampled counts stand for."""
        if self.level == 1:
            return self
        level = self.level
        groups = {kind: [(v, sampling.estimate(n, level)) for v, n in rows] for kind, rows in self.groups.items()}
        flags = {key: sampling.estimate(n, level) for key, n in self.flags.items()}
        return Counts(sampling.estimate(self.total, level), groups, flags, level)


def _label(names, kind: str, pk) -> str:
    label = names.label(kind, pk)
    if label is None and kind == "unit":
        # A unit that is not a management unit is not in the directory's memory.
        return Organisation.objects.filter(pk=pk).values_list("name", flat=True).first() or ""
    return label or ""


def _labelled(names, kind: str, rows) -> list[dict]:
    """[(id, count)] → facet values with the names of the ids, the most frequent first."""
    rows = sorted(((pk, n) for pk, n in rows if pk is not None), key=lambda r: (-r[1], r[0]))
    return [{"value": pk, "label": _label(names, kind, pk), "count": n} for pk, n in rows]


def _statuses(rows) -> list[dict]:
    labels = dict(Instrument.UsageStatus.choices)
    ordered = sorted(((key, n) for key, n in rows if key), key=lambda r: -r[1])
    return [{"value": key, "label": str(labels.get(key, "")), "count": n} for key, n in ordered]


def labelled(groups: dict, flags: dict, estimated=()) -> dict:
    """The facets as the page and the API show them; `estimated`, those whose counts are estimates."""
    names = directory.names()
    return {
        "estimated": sorted(estimated),
        **{kind: _labelled(names, kind, groups[kind]) for kind in ("category", "region", "unit", "theme")},
        "mode": [
            {"value": key, "label": str(label), "count": flags[f"mode_{key}"]}
            for key, (_field, label) in SERVICE_MODES.items()
            if flags.get(f"mode_{key}")
        ],
        "value": [
            {"value": key, "label": str(band[0]), "count": flags[f"value_{key}"]}
            for key, band in VALUE_BANDS.items()
            if flags.get(f"value_{key}")
        ],
        "status": _statuses(groups["status"]),
        "pilot": flags.get("pilot", 0),
    }


def _flag_counts():
    return {
        **{f"mode_{key}": Count("pk", filter=Q(**{field: True})) for key, (field, _l) in SERVICE_MODES.items()},
        **{f"value_{key}": Count("pk", filter=_band_q(key)) for key in VALUE_BANDS},
        "pilot": Count("pk", filter=Q(is_pilot_scale=True)),
    }


def _count_by_queries(documents, limit) -> Counts:
    """One query per facet over the first `limit` matches, whose ids are fetched first."""
    ids = list(documents.order_by().values_list("pk", flat=True)[: limit + 1])
    found = documents.model.objects.filter(pk__in=ids[:limit])

    def by(field):
        return list(found.values_list(field).annotate(count=Count("pk")).order_by())

    links = Instrument.themes.through.objects.filter(instrument_id__in=ids[:limit])
    busiest = found.values_list("owner_id").annotate(count=Count("pk")).order_by("-count", "owner_id")
    groups = {
        "category": by("category_id"),
        "region": by("region_id"),
        "unit": list(busiest[:TOP_UNITS]),
        "status": by("usage_status"),
        "theme": list(links.values_list("theme_id").annotate(count=Count("pk")).order_by()),
    }
    return Counts(len(ids), groups, found.aggregate(**_flag_counts()))


GROUPS = {"category": "category_id", "region": "region_id", "status": "usage_status"}


def _band_sql(key) -> str:
    _label, low, high = VALUE_BANDS[key]
    parts = []
    if low is not None:
        parts.append(f"original_value >= {low * WAN}")
    if high is not None:
        parts.append(f"original_value < {high * WAN}")
    return " AND ".join(parts)


def _flags_sql() -> list[str]:
    conditions = [field for field, _label in SERVICE_MODES.values()]
    conditions += [_band_sql(key) for key in VALUE_BANDS] + ["is_pilot_scale"]
    return [f"COUNT(*) FILTER (WHERE {condition})" for condition in conditions]


def _count_in_one_statement(documents, limit) -> Counts:
    """Every facet in one statement over the first `limit` matches: the match runs once
    and each facet reads the narrow rows it found (the facet columns are copied into them).

    Measured at 100,000 instruments (broad queries, 5,001 rows): the match itself takes 7–13
    ms; one pass with GROUPING SETS took 20 ms more, mostly because every grouping set
    computed every flag count and the unit set sent 3,000 rows back for the 15 shown. Here
    each facet is its own small GROUP BY, the busiest units are chosen in the database, the
    themes are grouped by their combination (a dozen) before the combinations are unpacked,
    and the flags are one row turned into a row per flag. A combination is a text key
    ("4,11"): grouping 5,000 rows by a jsonb array of ids cost 5–7 ms, by the text 1."""
    columns = [*GROUPS.values(), "owner_id", "theme_key", "original_value", "is_pilot_scale"]
    columns += [field for field, _label in SERVICE_MODES.values()]
    try:
        matches_sql, params = documents.order_by().values(*columns).query.sql_with_params()
    except EmptyResultSet:
        return Counts(0, {kind: [] for kind in FACETS}, {})
    flags = ", ".join(f"{sql} AS f{i}" for i, sql in enumerate(_flags_sql()))
    unpivot = ", ".join(["('total', total)", *(f"('{key}', f{i})" for i, key in enumerate(FLAGS))])
    # Only constants of this module and the compiled, parametrized match query are formatted in.
    branches = [
        f"SELECT '{kind}', {column}::text, COUNT(*) FROM c GROUP BY {column}"  # noqa: S608
        for kind, column in GROUPS.items()
    ]
    branches += [
        # Ties in the order of the ids, as on SQLite (ordered after the cast, "119" came before "6").
        "SELECT 'unit', owner_id::text, n FROM "
        "(SELECT owner_id, COUNT(*) AS n FROM c GROUP BY owner_id ORDER BY n DESC, owner_id LIMIT %s) busiest",
        "SELECT 'theme', theme.value, SUM(combination.n) FROM "
        "(SELECT theme_key, COUNT(*) AS n FROM c GROUP BY theme_key) combination, "
        "unnest(string_to_array(combination.theme_key, ',')) theme (value) GROUP BY theme.value",
        f"SELECT flag.key, NULL, flag.n FROM (SELECT (SELECT COUNT(*) FROM m) AS total, {flags} FROM c) counted, "  # noqa: S608
        f"LATERAL (VALUES {unpivot}) flag (key, n)",
    ]
    # m: the matches, one more than counted, to tell whether there were more; c: those counted.
    sql = (
        f"WITH m AS MATERIALIZED (SELECT * FROM ({matches_sql}) found LIMIT %s), "  # noqa: S608
        "c AS NOT MATERIALIZED (SELECT * FROM m LIMIT %s) " + " UNION ALL ".join(branches)
    )
    groups, found = {kind: [] for kind in FACETS}, {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit + 1, limit, TOP_UNITS])
        for kind, value, count in cursor.fetchall():
            if kind in groups:
                groups[kind].append(
                    (value if kind == "status" else int(value) if value is not None else None, int(count))
                )
            else:
                found[kind] = int(count)
    total = found.pop("total", 0)
    return Counts(total, groups, found)


def _chosen(filters: Filters) -> list[str]:
    """The facets whose filter is set. Pilot scale is left out: its one count is the same
    with and without its own filter."""
    return [f.name for f in fields(filters) if f.name != "pilot" and getattr(filters, f.name) != f.default]


def _without(filters: Filters, name: str) -> Filters:
    return replace(filters, **{name: Filters.__dataclass_fields__[name].default})


def _compute(_filters, compute):
    return compute()


def count(matches, filters: Filters, limit: int, remember=_compute) -> tuple[int, bool, dict]:
    """How many documents pass `filters` among `matches(level)` (the matching documents, in
    facet sample `level`), their counts per facet value (values with no match left out; the
    TOP_UNITS busiest units), and whether the total is an estimate.

    A query that the probe (sampling.PROBE) shows to match few records is counted exactly, up
    to `limit` + 1 (more than `limit` means "at least", and the facets then count the first
    `limit` matches); a broad one is counted in a sample and multiplied up (sampling.py).

    A facet whose filter is set is counted without that filter (and with all the others), so
    a person who picked one region still sees how many the other regions hold: one more count
    per chosen facet. `remember(filters, compute)` may give back what compute() gave before
    for the same filters: the counts without the filter are usually those of the search the
    person just narrowed."""
    counter = _count_in_one_statement if connection.vendor == "postgresql" else _count_by_queries

    def compute(chosen: Filters) -> Counts:
        probed = apply(matches(sampling.PROBE), chosen).order_by()[: limit + 1].count()
        level = sampling.level_for(probed, limit)
        counted = counter(apply(matches(level), chosen), limit)
        counted.level = level
        return counted

    def of(chosen: Filters) -> Counts:
        return remember(chosen, lambda: compute(chosen)).estimated()

    counted = of(filters)
    groups, flags = dict(counted.groups), dict(counted.flags)
    estimated = set(FACETS) | {"mode", "value", "pilot"} if counted.level > 1 else set()
    for name in _chosen(filters):
        without = of(_without(filters, name))
        if name in FACETS:
            groups[name] = without.groups[name]
        else:
            # mode and value are flag counts: the chosen one's own flags, counted without it.
            flags.update({k: v for k, v in without.flags.items() if k.startswith(f"{name}_")})
        estimated.discard(name)
        if without.level > 1:
            estimated.add(name)
    if filters.unit and all(pk != filters.unit for pk, _n in groups["unit"]):
        # Not among the busiest units: it holds every match of the search.
        held = counted.total if counted.level > 1 else min(counted.total, limit)
        groups["unit"] = [*groups["unit"], (filters.unit, held)]
    return counted.total, counted.level > 1, labelled(groups, flags, estimated)
