"""Search over the catalogue: results, facets, highlights and suggestions, each limited to
what the person may see (catalog.selectors.visible_instruments decides, never the index)."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import F

from dayi.catalog.selectors import visible_instruments

from . import backends, facets
from .highlight import highlight, snippet
from .query import ParsedQuery, parse

PAGE_SIZE = 20
# Past this many matches the query says little about which instrument is meant, and scoring
# or sorting every match by open/used costs more than the page is worth (measured: ~0.5 s at
# 60,000 matches): such pages list the newest first, which an index on the catalogue serves.
RANK_LIMIT = 5000
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
    total = matched.count()
    ranked = matched
    if parsed.expression is not None and total <= RANK_LIMIT:
        ranked = backends.match(base, parsed.expression)
    ordered = ranked.select_related(*LIST_RELATIONS).order_by(*_ordering(parsed, sort, total))
    current = _CountedPaginator(ordered, PAGE_SIZE, total).get_page(page)
    for instrument in current.object_list:
        decorate(instrument, parsed)
    counts = facets.counts(matched) if with_facets else {}
    return SearchResult(query=parsed, page=current, facets=counts, sort=sort)


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
