from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("search", "0006_theme_key")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="sample_bucket",
            field=models.PositiveSmallIntegerField(
                default=0,
                db_index=True,
                help_text="0–255 by a hash of the id: which facet samples hold the document (see sampling.py).",
            ),
        ),
    ]
