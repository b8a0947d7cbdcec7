"""The rule sets of the source documents, shipped approved as published (docs/funding.md)."""

from django.db import migrations


def load(apps, schema_editor):
    from dayi.funding.rulesets import load_seed_rule_sets

    load_seed_rule_sets(
        region_model=apps.get_model("accounts", "Region"),
        rule_set_model=apps.get_model("funding", "RuleSet"),
        rule_model=apps.get_model("funding", "Rule"),
        band_model=apps.get_model("funding", "Band"),
    )


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial"), ("accounts", "0002_regions")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
