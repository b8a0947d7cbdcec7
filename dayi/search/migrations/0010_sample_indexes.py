"""One GIN index per facet sample on PostgreSQL, over the documents of that sample alone
(sampling.py): the bounds are sampling.below(level) for levels 4, 16, 64 and 256."""

from django.db import migrations

BOUNDS = {4: 64, 16: 16, 64: 4, 256: 1}


def _statements():
    for level, bound in BOUNDS.items():
        name = f"search_document_vector_s{level}"
        yield (
            f"CREATE INDEX {name} ON search_searchdocument USING gin (vector) WHERE sample_bucket < {bound}",
            f"DROP INDEX IF EXISTS {name}",
        )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for create, _drop in _statements():
            schema_editor.execute(create, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for _create, drop in _statements():
            schema_editor.execute(drop, params=None)


# Its own migration: the index cannot be built in the transaction of 0009's update (the
# documents' deferred foreign key leaves trigger events pending, as in 0007 and 0008).
class Migration(migrations.Migration):
    dependencies = [("search", "0009_sample_tokens_removed")]

    operations = [migrations.RunPython(forwards, backwards)]
