"""Search over the catalogue: results, facets, highlights and suggestions, each limited to
what the person may see (catalog.selectors.visible_instruments decides, never the index)."""

from dataclasses import dataclass, field

from django.contrib.postgres.fields import ArrayField
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BigIntegerField, BooleanField, F, Func, Value

from dayi.catalog.selectors import visible_instruments

from . import backends, facets
from .highlight import highlight, snippet
from .query import ParsedQuery, parse

PAGE_SIZE = 20
# Past this many matches the query says little about which instrument is meant, and scoring
# or sorting every match by open/used costs more than the page is worth (measured: ~0.5 s at
# 60,000 matches): such pages list the newest first, which an index on the catalogue serves.
RANK_LIMIT = 5000
# Counting all 66,000 matches of 分析仪器 costs more than the whole page may: past this many
# the count stops ("more than 10,000") and the facets count the first 10,000 matches.
COUNT_LIMIT = 10000
NEWEST = [F("approved_at").desc(nulls_last=True), "-id"]
MAX_SUGGESTIONS = 8
# Many records share a name (one 扫描电镜 per unit): look a little further to offer 8 names.
SUGGESTION_POOL = 4
SUGGESTION_CANDIDATES = 300
SORTS = {
    "relevance": None,
    "value": ["-original_value", "-id"],
    "newest": NEWEST,
    "usage": [F("search_document__usage_hours").desc(nulls_last=True), "-id"],
}
RELEVANCE = ["-names_match", "-rank"]
OPEN_AND_USED = [
    F("search_document__is_open").desc(nulls_last=True),
    F("search_document__usage_hours").desc(nulls_last=True),
    F("approved_at").desc(nulls_last=True),
    "-id",
]
LIST_RELATIONS = ("owner", "category", "region", "instrument_class", "search_document")


@dataclass
class SearchResult:
    query: ParsedQuery
    page: Page
    facets: dict = field(default_factory=dict)
    sort: str = "relevance"
    # More matched than were counted: `total` is COUNT_LIMIT and means "at least".
    total_is_lower_bound: bool = False

    @property
    def total(self) -> int:
        return self.page.paginator.count


class _CountedPaginator(Paginator):
    """A paginator told the count, which the search already had to know."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


def _ordering(parsed: ParsedQuery, sort: str, total: int) -> list:
    if SORTS.get(sort):
        return SORTS[sort]
    if total > RANK_LIMIT:
        return NEWEST
    return (RELEVANCE if parsed.expression is not None else []) + OPEN_AND_USED


def _with_ids(model, ids):
    """The instruments with these ids. On PostgreSQL one array parameter: 10,000 literals in
    the SQL cost more to write, send and parse than the query takes to run."""
    if connection.vendor == "postgresql":
        array = Value(ids, output_field=ArrayField(BigIntegerField()))
        return model.objects.filter(
            Func(F("pk"), array, arg_joiner=" = ANY(", template="%(expressions)s)", output_field=BooleanField())
        )
    return model.objects.filter(pk__in=ids)


def decorate(instrument, parsed: ParsedQuery):
    """Highlighted name, English name, model, maker and description excerpt for display."""
    words = parsed.highlights
    instrument.hl_name = highlight(instrument.name, words)
    instrument.hl_name_en = highlight(instrument.name_en, words)
    instrument.hl_model = highlight(instrument.model_number, words)
    instrument.hl_maker = highlight(instrument.manufacturer, words)
    instrument.hl_snippet = snippet(instrument.main_functions or instrument.technical_specs, words)
    return instrument


def search(
    query: str, user, filters: facets.Filters | None = None, sort: str = "relevance", page=1, *, with_facets=True
) -> SearchResult:
    """One page of the instruments matching `query` that `user` may see, best first, with
    facet counts over all of them. Never raises on what a person typed."""
    parsed = parse(query)
    sort = sort if sort in SORTS else "relevance"
    base = facets.apply(visible_instruments(user), filters or facets.Filters())
    if parsed.matches_nothing:
        matched = base.none()
    elif parsed.is_empty:
        matched = base
    else:
        matched = backends.match(base, parsed.expression, ranked=False)
    # The words are matched against the index once: the page and the facets then look the
    # matches up by id, which costs a fraction of matching the words again for each of them.
    # Newest first, an order no index offers: asked for the first rows in an order it can
    # read from an index, PostgreSQL tests the words row by row (0.8 s for 光谱仪).
    ids = list(matched.order_by(*NEWEST).values_list("pk", flat=True)[: COUNT_LIMIT + 1])
    capped = len(ids) > COUNT_LIMIT
    ids = ids[:COUNT_LIMIT]
    total = len(ids)
    # Only the first COUNT_LIMIT matches are known by id; a page of more must be sorted from all.
    found = matched if capped else _with_ids(base.model, ids)
    ranked = found
    if parsed.expression is not None and total <= RANK_LIMIT:
        ranked = backends.match(found, parsed.expression)
    # The page's ids first, then its rows: sorting whole rows with their relations joined
    # would carry every match's unit, region and class through the sort for 20 of them.
    ordered = ranked.order_by(*_ordering(parsed, sort, total)).values_list("pk", flat=True)
    current = _CountedPaginator(ordered, PAGE_SIZE, total).get_page(page)
    page_ids = list(current.object_list)
    rows = base.model.objects.select_related(*LIST_RELATIONS).in_bulk(page_ids)
    current.object_list = [decorate(rows[pk], parsed) for pk in page_ids if pk in rows]
    counts = facets.counts(_with_ids(base.model, ids)) if with_facets else {}
    return SearchResult(query=parsed, page=current, facets=counts, sort=sort, total_is_lower_bound=capped)


def suggest(query: str, user, limit: int = MAX_SUGGESTIONS) -> list:
    """Instruments to offer while the person types, one per distinct name (the best of each):
    the last word counts as a prefix, so '原子' already offers 原子吸收光谱仪."""
    parsed = parse(query, autocomplete=True)
    if parsed.expression is None:
        return []
    visible = visible_instruments(user)
    # The first candidates the index yields, then the best of them: scoring every record
    # whose name starts with one typed character would cost more than the keystroke allows.
    candidates = backends.match(visible, parsed.expression, ranked=False, names_only=True)
    candidate_ids = list(candidates.order_by().values_list("pk", flat=True)[:SUGGESTION_CANDIDATES])
    found = backends.match(visible.filter(pk__in=candidate_ids), parsed.expression)
    rows = found.select_related("owner").order_by(*RELEVANCE, *OPEN_AND_USED)[: limit * SUGGESTION_POOL]
    best = {}
    for instrument in rows:
        best.setdefault(instrument.name, instrument)
    return [decorate(instrument, parsed) for instrument in list(best.values())[:limit]]
