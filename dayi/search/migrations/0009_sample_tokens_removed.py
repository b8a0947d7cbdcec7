from django.db import migrations

# The facet samples' tokens that 0008 added to the vectors: each sample now has its own index
# (0010), and the vectors hold the texts' tokens alone again.
STRIP = (
    "UPDATE search_searchdocument SET vector = ts_delete(vector, ARRAY['~s4', '~s16', '~s64', '~s256']) "
    "WHERE sample_bucket < 64 AND vector IS NOT NULL"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STRIP, params=None)


class Migration(migrations.Migration):
    dependencies = [("search", "0008_fill_sample_bucket")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
