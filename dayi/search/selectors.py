"""Search over the catalogue: results, facets, highlights and suggestions, each limited to
what the person may see (the catalogue's visibility rule, see visible_documents)."""

from contextlib import nullcontext
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import F, Q

from dayi.accounts.permissions import scope_of
from dayi.catalog.models import Instrument

from . import backends, directory, facets
from .expressions import to_tsquery
from .highlight import highlight, snippet
from .models import SearchDocument
from .query import ParsedQuery, parse
from .remember import remembered

PAGE_SIZE = 20
# Past this many matches the query says little about which instrument is meant, and scoring
# every match costs more than the page is worth: such pages list the newest first.
RANK_LIMIT = 5000
# Counting all 66,000 matches of 分析仪器 costs more than the whole page may: past this many
# the count stops ("more than 5,000") and the facets count the first 5,000 matches. At
# 100,000 instruments counting 10,000 took twice as long and still said only "more than".
COUNT_LIMIT = 5000
# Past this many matches a query names a kind of instrument rather than one (gc-ms matched
# 3,400 records by name at 100,000 instruments, all of them GC-MS): scoring every name match
# against the query took 10 of the page statement's 17 ms, and only told apart names that
# repeat more of the query's words. Such pages list the name matches first, open and used
# first among them, unscored.
SCORE_LIMIT = 2000
NEWEST = [F("approved_at").desc(nulls_last=True), F("instrument_id").desc()]
MAX_SUGGESTIONS = 8
SUGGESTION_CANDIDATES = 300
SORTS = {
    "relevance": None,
    "value": [F("original_value").desc(), F("instrument_id").desc()],
    "newest": NEWEST,
    "usage": [F("usage_hours").desc(), F("instrument_id").desc()],
}
RELEVANCE = ["-names_match", "-rank"]
OPEN_AND_USED = [F("is_open").desc(), F("usage_hours").desc(), *NEWEST]
NAMES_THEN_OPEN_AND_USED = ["-names_match", *OPEN_AND_USED]
LIST_RELATIONS = ("owner", "category", "region")
# What a result shows (the page, the API, the suggestions): reading only these columns of the
# wide catalogue row made the page's 20 instruments cost 2 ms instead of 5.
LIST_FIELDS = (
    "name",
    "name_en",
    "model_number",
    "manufacturer",
    "main_functions",
    "technical_specs",
    "original_value",
    "owner__name",
    "region__name",
    "category__name",
    "category__name_en",
)


@dataclass
class SearchResult:
    query: ParsedQuery
    page: Page
    facets: dict = field(default_factory=dict)
    sort: str = "relevance"
    # More matched than were counted: `total` is COUNT_LIMIT and means "at least".
    total_is_lower_bound: bool = False
    # Counted in a facet sample (sampling.py): the number of matches it stands for.
    estimated_total: int | None = None
    units: list = field(default_factory=list)
    themes: list = field(default_factory=list)

    @property
    def total_is_estimate(self) -> bool:
        return self.estimated_total is not None

    @property
    def total(self) -> int:
        return self.page.paginator.count if self.estimated_total is None else self.estimated_total


class _CountedPaginator(Paginator):
    """A paginator told the count, which the search already had to know."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


def visible_documents(user):
    """The search documents of the instruments `user` may see: the rule of
    catalog.selectors.visible_instruments, applied to the fields copied into the documents
    (tests/test_views.py checks that both always agree)."""
    documents = SearchDocument.objects.all()
    scope = scope_of(user)
    if scope.is_operator:
        return documents
    condition = Q(is_public=True)
    if scope.managed_unit_ids:
        condition |= Q(owner_id__in=scope.managed_unit_ids)
    for path in scope.authority_region_paths:
        condition |= Q(region_path__startswith=path)
    return documents.filter(condition)


def scope_key(user) -> str:
    """Who sees the same records as `user`: made of exactly what visible_documents reads."""
    scope = scope_of(user)
    if scope.is_operator:
        return "everything"
    return repr((sorted(scope.managed_unit_ids), sorted(scope.authority_region_paths)))


def _ordering(parsed: ParsedQuery, sort: str, total: int) -> list:
    if SORTS.get(sort):
        return SORTS[sort]
    if total > RANK_LIMIT:
        return NEWEST
    if parsed.expression is None:
        return OPEN_AND_USED
    return NAMES_THEN_OPEN_AND_USED if total > SCORE_LIMIT else RELEVANCE + OPEN_AND_USED


def decorate(instrument, parsed: ParsedQuery):
    """Highlighted name, English name, model, maker and description excerpt for display."""
    words = parsed.highlights
    instrument.hl_name = highlight(instrument.name, words)
    instrument.hl_name_en = highlight(instrument.name_en, words)
    instrument.hl_model = highlight(instrument.model_number, words)
    instrument.hl_maker = highlight(instrument.manufacturer, words)
    instrument.hl_snippet = snippet(instrument.main_functions or instrument.technical_specs, words)
    return instrument


def _instruments(ids, parsed: ParsedQuery, relations=LIST_RELATIONS) -> list:
    shown = [name for name in LIST_FIELDS if "__" not in name or name.split("__")[0] in relations]
    rows = Instrument.objects.select_related(*relations).only(*shown).in_bulk(ids)
    return [decorate(rows[pk], parsed) for pk in ids if pk in rows]


def _page_ids(documents, matched, parsed: ParsedQuery, ordering, rows: slice) -> list[int]:
    """The ids of one page, ordered on the narrow documents (only its 20 wide rows are read
    afterwards). Ranked by relevance, records that match in their names come first: when
    they fill the page, only they are ranked (through the small names index), not every
    match. At 100,000 instruments 比表面 matched 4,976 records of which a few hundred by name."""
    if rows.start == rows.stop:
        return []
    if parsed.expression is None or ordering[0] != RELEVANCE[0]:
        return list(matched.order_by(*ordering).values_list("pk", flat=True)[rows])
    # Every one of them matches in its names: names_match would be tested on each for nothing.
    within_names = ordering[1:]
    by_name = backends.match(documents, parsed, names_only=True, ranked=within_names[0] == RELEVANCE[1])
    page_ids = list(by_name.order_by(*within_names).values_list("pk", flat=True)[rows])
    if len(page_ids) == rows.stop - rows.start:
        return page_ids
    ranked = backends.match(documents, parsed)
    return list(ranked.order_by(*ordering).values_list("pk", flat=True)[rows])


def search(
    query: str, user, filters: facets.Filters | None = None, sort: str = "relevance", page=1, *, with_facets=True
) -> SearchResult:
    """One page of the instruments matching `query` that `user` may see, best first, with
    facet counts over all of them. Never raises on what a person typed."""
    parsed = parse(query)
    sort = sort if sort in SORTS else "relevance"
    filters = filters or facets.Filters()
    visible = visible_documents(user)

    def matches(sample=1):
        if parsed.matches_nothing:
            return visible.none()
        if parsed.is_empty:
            return backends.sampled(visible, sample)
        return backends.match(visible, parsed, ranked=False, sample=sample)

    documents, matched = facets.apply(visible, filters), facets.apply(matches(), filters)
    indexed = parsed.expression is not None
    estimated = False
    # One transaction for the counts and the page, with the planner held to the indexes.
    with backends.through_the_index() if indexed else nullcontext():
        if with_facets:
            asked = (scope_key(user), to_tsquery(parsed.matching) if indexed else parsed.text, COUNT_LIMIT)
            total, estimated, counts = facets.count(
                matches, filters, COUNT_LIMIT, remember=lambda chosen, compute: remembered((*asked, chosen), compute)
            )
        else:
            total, counts = matched.order_by()[: COUNT_LIMIT + 1].count(), {}
        # Decided on the count before capping: more than COUNT_LIMIT is more than RANK_LIMIT.
        ordering = _ordering(parsed, sort, total)
        estimated_total = total if estimated else None
        capped = total > COUNT_LIMIT and not estimated
        total = min(total, COUNT_LIMIT)
        current = _CountedPaginator(range(total), PAGE_SIZE, total).get_page(page)
        bottom = (current.number - 1) * PAGE_SIZE
        rows = slice(bottom, bottom + len(current.object_list))
        if indexed and ordering is NEWEST:
            backends.walk_newest_too()
        page_ids = _page_ids(documents, matched, parsed, ordering, rows)
    current.object_list = _instruments(page_ids, parsed)
    result = SearchResult(
        query=parsed,
        page=current,
        facets=counts,
        sort=sort,
        total_is_lower_bound=capped,
        estimated_total=estimated_total,
    )
    if current.number == 1:
        result.units, result.themes = directory.matching(parsed)
    return result


def suggest(query: str, user, limit: int = MAX_SUGGESTIONS) -> list:
    """Instruments to offer while the person types, one per distinct name (the best of each):
    the last word counts as a prefix, so '原' already offers 原子吸收光谱仪."""
    parsed = parse(query, autocomplete=True)
    if parsed.expression is None:
        return []
    matched = backends.match(visible_documents(user), parsed, names_only=True)
    # The best matches on the narrow documents first, then their names: many records share a
    # name (one 扫描电镜 per unit), and each name is offered once, by its best record.
    with backends.through_the_index():
        ranked = list(matched.order_by("-rank", *OPEN_AND_USED).values_list("pk", flat=True)[:SUGGESTION_CANDIDATES])
    names = dict(Instrument.objects.filter(pk__in=ranked).values_list("pk", "name"))
    best = {}
    for pk in ranked:
        best.setdefault(names.get(pk), pk)
        if len(best) == limit:
            break
    return _instruments(list(best.values()), parsed, relations=("owner",))
