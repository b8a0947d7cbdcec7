"""The synonym dictionary's starting set, from data/synonyms.tsv (term, expansions joined by |)."""

from pathlib import Path

from django.db import migrations

TSV = Path(__file__).resolve().parent.parent / "data" / "synonyms.tsv"


def load(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    DictionaryVersion = apps.get_model("search", "DictionaryVersion")
    rows = []
    for line in TSV.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, expansions = line.split("\t")
        rows.append(Synonym(term=term.strip(), expansions="\n".join(e.strip() for e in expansions.split("|"))))
    Synonym.objects.bulk_create(rows, ignore_conflicts=True)
    DictionaryVersion.objects.create(version=1)


def unload(apps, schema_editor):
    apps.get_model("search", "Synonym").objects.all().delete()
    apps.get_model("search", "DictionaryVersion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_engine_indexes")]

    operations = [migrations.RunPython(load, unload)]
