from django.db import migrations

# sampling.bucket(instrument_id) in SQL: the top byte of the 32-bit multiplicative hash.
BUCKET = "UPDATE search_searchdocument SET sample_bucket = ((instrument_id * 2654435761) % 4294967296) / 16777216"
# sampling.tokens(bucket) added to the vectors already written, as indexing.py now writes them.
TOKENS = (
    "UPDATE search_searchdocument SET vector = vector || (CASE "
    "WHEN sample_bucket < 1 THEN '''~s4'' ''~s16'' ''~s64'' ''~s256''' "
    "WHEN sample_bucket < 4 THEN '''~s4'' ''~s16'' ''~s64''' "
    "WHEN sample_bucket < 16 THEN '''~s4'' ''~s16''' "
    "ELSE '''~s4''' END)::tsvector WHERE sample_bucket < 64 AND vector IS NOT NULL"
)


def forwards(apps, schema_editor):
    schema_editor.execute(BUCKET, params=None)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TOKENS, params=None)


# Its own migration: on PostgreSQL the index of 0007 cannot be built in the transaction of
# these updates (the documents' deferred foreign key leaves trigger events pending).
class Migration(migrations.Migration):
    dependencies = [("search", "0007_sample_bucket")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
