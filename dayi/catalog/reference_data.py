"""Loads the reference tables shipped in data/ (national class table, disciplines, city
categories). Used by a data migration, so it works on historical models."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def read_tsv(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def is_other_code(code: str, level: int) -> bool:
    """`99` in the code's own level segment means "other" at that level."""
    return code[2 * level - 2 : 2 * level] == "99"


def load_classes(InstrumentClass):
    rows = read_tsv("instrument_classes.tsv")
    parents = {row["parent"] for row in rows if row["parent"]}
    for row in sorted(rows, key=lambda r: int(r["level"])):
        level = int(row["level"])
        InstrumentClass.objects.update_or_create(
            code=row["code"],
            defaults={
                "level": level,
                "parent_id": row["parent"] or None,
                "name": row["name"],
                "is_assignable": row["code"] not in parents or is_other_code(row["code"], level),
            },
        )


def load_disciplines(Discipline):
    for row in read_tsv("disciplines.tsv"):
        Discipline.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})


def load_categories(Category):
    for order, row in enumerate(read_tsv("categories.tsv")):
        Category.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "name_en": row["name_en"],
                "class_prefixes": row["class_prefixes"],
                "order": order,
            },
        )
