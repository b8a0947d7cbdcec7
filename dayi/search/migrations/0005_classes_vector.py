import django.contrib.postgres.search
from django.db import migrations

POSTGRESQL = [
    # Read for ranking every match: kept in the row, like the names vector.
    "ALTER TABLE search_searchdocument ALTER COLUMN classes_vector SET STORAGE MAIN",
    # The whole B field until the next rebuild narrows it to the class names.
    "UPDATE search_searchdocument SET classes_vector = ts_filter(vector, '{b}')",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_narrow_document")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="classes_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                help_text="The class names of the B field: small, for ranking.", null=True
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
