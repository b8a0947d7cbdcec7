from django.db import migrations

from dayi.accounts.reference_data import load_regions


def load(apps, schema_editor):
    load_regions(apps.get_model("accounts", "Region"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
