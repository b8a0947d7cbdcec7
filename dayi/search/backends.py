"""Running a parsed expression against the index on each database.

Both give every matching instrument a `rank` (higher is better) and `names_match` (the whole
query is found in names, models, makers or pinyin), so the ordering above them is shared.
"""

from contextlib import contextmanager

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank
from django.db import connection, transaction
from django.db.models import BooleanField, Case, F, FloatField, Q, Value, When
from django.db.models.expressions import RawSQL

from . import sampling
from .expressions import alternatives, to_fts5, to_tsquery

BM25_WEIGHTS = "10.0, 3.0, 1.0"


class RawTsQuery(SearchQuery):
    """A tsquery written by expressions.to_tsquery, cast as it is: no parser, no config."""

    output_field = SearchQueryField()

    def __init__(self, text):
        super().__init__(Value(text))

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql})::tsquery", params


def _postgresql(queryset, parsed, ranked, names_only, sample):
    matching = RawTsQuery(to_tsquery(parsed.matching))
    # No weights in the query: a weighted match makes PostgreSQL read and unpack every
    # candidate's vector to check it, an unweighted one is answered by the GIN index alone.
    column = "name_vector" if names_only else "vector"
    found = Q()
    for alternative in alternatives(parsed.matching):
        found |= Q(**{column: RawTsQuery(to_tsquery(alternative))})
    # Each sample has its own GIN index over its documents alone (migration 0010), which the
    # bucket condition lets the planner choose (see sampled).
    queryset = sampled(queryset.filter(found), sample)
    if not ranked:
        return queryset
    query = RawTsQuery(to_tsquery(parsed.expression))
    # Scored on the names and the classes vectors, both small and kept in the row: scoring the
    # whole vector meant fetching it from the TOAST table for every match. Class words weigh
    # B (0.4 of a name word), and a match in the description alone scores 0 and is ordered
    # by open and used.
    return queryset.annotate(
        rank=SearchRank(F("name_vector"), query) + SearchRank(F("classes_vector"), query),
        names_match=Case(
            When(Q(name_vector=matching), then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
    )


def _sqlite(queryset, parsed, ranked, names_only, sample):
    fts, every_alternative = to_fts5(parsed.matching), to_fts5(parsed.expression)
    in_names = "{names} : " + fts
    column = f'"{queryset.model._meta.db_table}"."instrument_id"'
    matching = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [in_names if names_only else fts])
    queryset = sampled(queryset.filter(pk__in=matching), sample)
    if not ranked:
        return queryset
    return queryset.annotate(
        # Only constants and the column name are formatted in; the FTS query is a parameter.
        # The scores are computed once, in a subquery that LIMIT keeps SQLite from merging into
        # the per-row one (it then indexes them automatically): scored row by row, each row ran
        # the whole FTS query again, 122 ms for the 406 matches of 分析仪器 among 600, now 1.4.
        rank=RawSQL(  # noqa: S611
            f"(SELECT score FROM (SELECT rowid AS scored, -bm25(search_fts, {BM25_WEIGHTS}) AS score "  # noqa: S608
            f"FROM search_fts WHERE search_fts MATCH %s LIMIT -1) WHERE scored = {column})",
            [every_alternative],
            output_field=FloatField(),
        ),
        names_match=RawSQL(  # noqa: S611
            f"{column} IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",  # noqa: S608
            [in_names],
            output_field=BooleanField(),
        ),
    )


def match(queryset, parsed, *, ranked=True, names_only=False, sample=1):
    """The search documents of `queryset` that match the parsed query (in names, models, makers
    and pinyin only, if `names_only`); with `rank` and `names_match` when ranked. The index
    matches the simplified expression, one alternative at a time (expressions.alternatives);
    the rank scores every alternative of the full one. With `sample` > 1, only the matches in
    that facet sample (sampling.py)."""
    if connection.vendor == "postgresql":
        return _postgresql(queryset, parsed, ranked, names_only, sample)
    return _sqlite(queryset, parsed, ranked, names_only, sample)


def sampled(queryset, sample):
    """The documents of `queryset` in facet sample `sample` (all of them for 1). The bound is
    written into the SQL as a constant, which is what lets PostgreSQL's planner match it to
    the predicate of the sample's own partial index."""
    return queryset if sample == 1 else queryset.filter(sample_bucket__lt=sampling.below(sample))


@contextmanager
def through_the_index():
    """On PostgreSQL, read the matches through the GIN indexes only, never by testing rows one
    by one. A sequential scan (or a walk along another index) tests `vector @@ query` on every
    row it meets, and each test fetches that row's vector from the TOAST table: 0.5 s for 光谱仪
    at 100,000 instruments against 15 ms through the GIN index. The planner does not count
    that fetch and chose the scan whenever a query matched a fifth of the table."""
    if connection.vendor != "postgresql":
        yield
        return
    settings = "set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)"
    if not connection.in_atomic_block:
        # Local to this block's own transaction, which ends with it: one statement.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT {settings}")
            yield
        return
    # Inside someone else's transaction: remember what was there, and put it back.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan'), {settings}")
        previous = cursor.fetchone()[:2]
        yield
        cursor.execute(
            "SELECT set_config('enable_seqscan', %s, true), set_config('enable_indexscan', %s, true)", previous
        )


def walk_newest_too() -> None:
    """Inside through_the_index: also allow walking the newest-first index, which a page of a
    very broad query (dense matches, newest first) reads in a few rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('enable_indexscan', 'on', true)")
