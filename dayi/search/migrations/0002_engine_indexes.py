"""The full-text structures of each database: a GIN index on the tsvector and trigram indexes
on the vocabulary (PostgreSQL), or the FTS5 table (SQLite). Each runs only on its vendor."""

from django.db import migrations

POSTGRESQL = [
    (
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        None,
    ),
    (
        "CREATE INDEX search_document_vector_gin ON search_searchdocument USING gin (vector)",
        "DROP INDEX IF EXISTS search_document_vector_gin",
    ),
    (
        "CREATE INDEX search_term_trgm ON search_searchterm USING gin (term gin_trgm_ops)",
        "DROP INDEX IF EXISTS search_term_trgm",
    ),
    (
        "CREATE INDEX search_term_prefix ON search_searchterm (term varchar_pattern_ops)",
        "DROP INDEX IF EXISTS search_term_prefix",
    ),
]
SQLITE = [
    (
        "CREATE VIRTUAL TABLE search_fts USING fts5(names, classes, description, "
        "tokenize = 'unicode61 remove_diacritics 0')",
        "DROP TABLE IF EXISTS search_fts",
    ),
]


def _statements(vendor):
    return {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(vendor, [])


def forwards(apps, schema_editor):
    for create, _drop in _statements(schema_editor.connection.vendor):
        schema_editor.execute(create)


def backwards(apps, schema_editor):
    for _create, drop in reversed(_statements(schema_editor.connection.vendor)):
        if drop:
            schema_editor.execute(drop)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
