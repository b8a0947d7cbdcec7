from django.db import migrations, models

# The theme ids of each document, ascending, from the link table (as indexing.py writes them).
FILL = {
    "postgresql": (
        "UPDATE search_searchdocument SET theme_key = coalesce((SELECT string_agg(t.theme_id::text, ',' "
        "ORDER BY t.theme_id) FROM catalog_instrument_themes t "
        "WHERE t.instrument_id = search_searchdocument.instrument_id), '')"
    ),
    "sqlite": (
        "UPDATE search_searchdocument SET theme_key = coalesce((SELECT group_concat(theme_id, ',') FROM "
        "(SELECT t.theme_id FROM catalog_instrument_themes t "
        "WHERE t.instrument_id = search_searchdocument.instrument_id ORDER BY t.theme_id)), '')"
    ),
}


def forwards(apps, schema_editor):
    schema_editor.execute(FILL[schema_editor.connection.vendor])


class Migration(migrations.Migration):
    dependencies = [("search", "0005_classes_vector"), ("catalog", "0002_reference_data")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="theme_key",
            field=models.TextField(
                blank=True,
                default="",
                help_text="The theme ids, ascending, joined by commas: counted on PostgreSQL without the theme link table.",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RemoveField(model_name="searchdocument", name="theme_ids"),
    ]
