from django.db import migrations

from dayi.catalog import reference_data


def load(apps, schema_editor):
    reference_data.load_classes(apps.get_model("catalog", "InstrumentClass"))
    reference_data.load_disciplines(apps.get_model("catalog", "Discipline"))
    reference_data.load_categories(apps.get_model("catalog", "Category"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
