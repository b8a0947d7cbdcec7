"""The region tree shipped in data/regions.tsv (administrative division codes)."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def load_regions(Region):
    with open(DATA / "regions.tsv", encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle, delimiter="\t"), key=lambda r: int(r["level"]))
    paths = {}
    for row in rows:
        path = paths.get(row["parent"], "") + row["code"] + "/"
        paths[row["code"]] = path
        parent = Region.objects.get(code=row["parent"]) if row["parent"] else None
        Region.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row["name_en"],
                "level": int(row["level"]),
                "parent": parent,
                "path": path,
            },
        )
