"""Writing the index: one instrument, a batch, or everything (with progress).

PostgreSQL keeps the weighted tsvector in SearchDocument.vector; SQLite keeps the same three
fields in the FTS5 table `search_fts` (rowid = instrument id), created by migration 0002.
"""

from django.db import connection, transaction
from django.db.models import Prefetch

from dayi.catalog.models import Instrument, YearlyUsage

from . import sampling
from .documents import fields_of, tsvector_literal
from .models import SearchDocument, SearchTerm
from .remember import index_changed

BATCH = 500


def _instruments(ids):
    return (
        Instrument.objects.filter(pk__in=ids)
        .select_related("instrument_class__parent__parent", "category", "owner", "region")
        .prefetch_related("themes", Prefetch("yearly_usage", queryset=YearlyUsage.objects.order_by("-year")))
    )


COPIED_FIELDS = (
    "owner_id",
    "region_id",
    "category_id",
    "usage_status",
    "is_pilot_scale",
    "offers_machine_time",
    "offers_sample_testing",
    "offers_joint_rd",
    "offers_leasing",
    "original_value",
    "approved_at",
)


def _document(instrument, fields) -> SearchDocument:
    latest = next(iter(instrument.yearly_usage.all()), None)
    document = SearchDocument(
        instrument=instrument,
        is_public=instrument.entry_status == Instrument.EntryStatus.APPROVED and not instrument.is_confidential,
        region_path=instrument.region.path,
        theme_key=",".join(str(pk) for pk in sorted(theme.pk for theme in instrument.themes.all())),
        is_open=instrument.offers_machine_time or instrument.offers_sample_testing,
        usage_hours=latest.service_hours if latest else 0,
        sample_bucket=sampling.bucket(instrument.pk),
        **{name: getattr(instrument, name) for name in COPIED_FIELDS},
    )
    if connection.vendor == "postgresql":
        document.vector = tsvector_literal(fields)
        document.name_vector = tsvector_literal(fields, parts=["names"])
        document.classes_vector = tsvector_literal(fields, parts=["class_names"])
    return document


def _write(documents, fields) -> None:
    ids = [d.instrument_id for d in documents]
    # Deleted and inserted rather than updated: each UPDATE left a dead copy of the row behind,
    # and a table three times its size made every large match three times slower.
    SearchDocument.objects.filter(pk__in=ids).delete()
    SearchDocument.objects.bulk_create(documents)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(pk,) for pk in ids])
            cursor.executemany(
                "INSERT INTO search_fts (rowid, names, classes, description) VALUES (%s, %s, %s, %s)",
                [(pk, " ".join(f.names), " ".join(f.classes), " ".join(f.description)) for pk, f in fields.items()],
            )


def index_instruments(ids) -> int:
    """(Re)index these instruments; ids that no longer exist are removed from the index."""
    return _index(list(ids))[0]


def _index(ids) -> tuple[int, set[str]]:
    documents, fields, tokens = [], {}, set()
    for instrument in _instruments(ids):
        found = fields_of(instrument)
        documents.append(_document(instrument, found))
        fields[instrument.pk] = found
        tokens.update(found.names, found.classes, found.description)
    with transaction.atomic():
        remove_instruments(set(ids) - set(fields))
        _write(documents, fields)
        index_changed()
        SearchTerm.objects.bulk_create([SearchTerm(term=t) for t in tokens], ignore_conflicts=True, batch_size=2000)
    return len(documents), tokens


def remove_instruments(ids) -> None:
    ids = list(ids)
    if not ids:
        return
    SearchDocument.objects.filter(pk__in=ids).delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(pk,) for pk in ids])
    index_changed()


def rebuild(progress=None) -> int:
    """Index every instrument again, batch by batch, so that search keeps answering meanwhile;
    then drop what no record holds any more. `progress(done, total)` follows each batch.

    Written class by class: the instruments of one class, which a query about them mostly
    matches, then share pages of the table, and a match visits fewer of them (gc-ms matched
    3,400 documents on 3,500 pages in the order of entry)."""
    ids = list(Instrument.objects.order_by("instrument_class_id", "pk").values_list("pk", flat=True))
    seen: set[str] = set()
    for start in range(0, len(ids), BATCH):
        seen |= _index(ids[start : start + BATCH])[1]
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))
    stale = [pk for pk, term in SearchTerm.objects.values_list("pk", "term").iterator() if term not in seen]
    for start in range(0, len(stale), BATCH):
        SearchTerm.objects.filter(pk__in=stale[start : start + BATCH]).delete()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM search_fts WHERE rowid NOT IN (SELECT id FROM catalog_instrument)")
        elif connection.vendor == "postgresql":
            # Fresh statistics: without them the planner takes a full index as a few rows and
            # joins it row by row (measured 0.9 s instead of 40 ms after a bulk load). Outside
            # a transaction also the old documents' dead rows and the GIN pending list: until
            # autovacuum came, a match read twice the index entries it needed (37,000 for 18,000).
            tables = "search_searchdocument, search_searchterm"
            if connection.in_atomic_block:
                cursor.execute(f"ANALYZE {tables}")
            else:
                cursor.execute(f"VACUUM ANALYZE {tables}")
                # The rebuild wrote every document anew at the table's end, and the vacuum
                # emptied the leaves that held the old ones but cannot remove them: a GIN
                # index then guesses a frequent word's posting list from its first, near-empty
                # leaf, takes the word for rare and walks all of it ('toc' & '分析' 3.9–6 ms
                # instead of 0.3 at 100,000). Built anew, without blocking search: 7 s.
                cursor.execute("REINDEX TABLE CONCURRENTLY search_searchdocument")
    return SearchDocument.objects.count()
