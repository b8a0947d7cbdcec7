"""Running a parsed expression against the index on each database.

Both give every matching instrument a `rank` (higher is better) and `names_match` (the whole
query is found in names, models, makers or pinyin), so the ordering above them is shared.
"""

from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank
from django.db import connection
from django.db.models import BooleanField, Case, F, FloatField, Q, Value, When
from django.db.models.expressions import RawSQL

from .expressions import to_fts5, to_tsquery

# ts_rank weights for D, C, B, A: a name or model hit outweighs any number of description hits.
WEIGHTS = [0.01, 0.05, 0.3, 1.0]
BM25_WEIGHTS = "10.0, 3.0, 1.0"


class RawTsQuery(SearchQuery):
    """A tsquery written by expressions.to_tsquery, cast as it is: no parser, no config."""

    output_field = SearchQueryField()

    def __init__(self, text):
        super().__init__(Value(text))

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql})::tsquery", params


def _postgresql(queryset, expression, ranked, names_only):
    query = RawTsQuery(to_tsquery(expression))
    in_names = RawTsQuery(to_tsquery(expression, weight="A"))
    queryset = queryset.filter(search_document__vector=in_names if names_only else query)
    if not ranked:
        return queryset
    return queryset.annotate(
        rank=SearchRank(F("search_document__vector"), query, weights=WEIGHTS),
        names_match=Case(
            When(Q(search_document__vector=in_names), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def _sqlite(queryset, expression, ranked, names_only):
    fts = to_fts5(expression)
    in_names = "{names} : " + fts
    table = queryset.model._meta.db_table
    matching = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [in_names if names_only else fts])
    queryset = queryset.filter(pk__in=matching)
    if not ranked:
        return queryset
    return queryset.annotate(
        # Only constants and the table name are formatted in; the FTS query is a parameter.
        rank=RawSQL(  # noqa: S611
            f"(SELECT -bm25(search_fts, {BM25_WEIGHTS}) FROM search_fts "  # noqa: S608 - constants only
            f'WHERE search_fts MATCH %s AND search_fts.rowid = "{table}"."id")',
            [fts],
            output_field=FloatField(),
        ),
        names_match=RawSQL(  # noqa: S611
            f'"{table}"."id" IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)',  # noqa: S608
            [in_names],
            output_field=BooleanField(),
        ),
    )


def match(queryset, expression, *, ranked=True, names_only=False):
    """The instruments of `queryset` that match (in names, models, makers and pinyin only, if
    `names_only`); with `rank` and `names_match` when ranked."""
    if connection.vendor == "postgresql":
        return _postgresql(queryset, expression, ranked, names_only)
    return _sqlite(queryset, expression, ranked, names_only)
