"""Management units and themes whose names match the query, offered above the instruments: a
person who types a university's or a theme's name usually wants its page, not its devices.
Both lists are public (the catalogue lists every management unit and theme to visitors).
Their names are few and short: matched here in Python, through the synonym dictionary too.

The same memory labels the facet counts (units, themes, categories, regions), so that the
counts, which are remembered, never carry a name: a renamed record shows its new name at once."""

import time

from django.core.cache import cache
from django.db import transaction
from django.utils import translation

from dayi.accounts.models import Organisation, Region
from dayi.catalog.models import Category, Theme

from .normalize import fold
from .query import ParsedQuery, name_choices

MAX_UNITS = 5
MAX_THEMES = 3
# A province has thousands of units. Scanning their names in the database on every search
# cost 10 ms at 5,000 units, and even reading a cached list back from the cache cost several
# (it is unpickled each time): each process keeps the names in memory, and only a version
# number, changed whenever a unit, a theme, a category or a region changes, is read from the
# shared cache.
VERSION_KEY = "dayi:search:directory-version"
_loaded: dict = {}


class Names:
    """The management units and themes: folded names to match; with the categories and the
    regions, (Chinese, English) display names to label."""

    def __init__(self):
        units = Organisation.objects.filter(is_management_unit=True).order_by("name")
        rows = list(units.values_list("pk", "name", "short_name", "name_en"))
        self.units = [(pk, fold(" ".join(names))) for pk, *names in rows]
        self.labels = {"unit": {pk: (name, name_en) for pk, name, _short, name_en in rows}}
        rows = list(Theme.objects.order_by("order", "slug").values_list("pk", "name", "name_en", "industry"))
        self.themes = [(pk, fold(" ".join(names))) for pk, *names in rows]
        self.labels["theme"] = {pk: (name, name_en) for pk, name, name_en, _industry in rows}
        for kind, model in (("category", Category), ("region", Region)):
            self.labels[kind] = {pk: names for pk, *names in model.objects.values_list("pk", "name", "name_en")}

    def label(self, kind: str, pk) -> str | None:
        """The name in the page's language (English where the record has one), None if unknown."""
        names = self.labels[kind].get(pk)
        if names is None:
            return None
        chinese, english = names
        return english if english and (translation.get_language() or "").startswith("en") else chinese


def names() -> Names:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    if _loaded.get("version") != version:
        _loaded.update(version=version, names=Names())
    return _loaded["names"]


def _new_version() -> None:
    cache.set(VERSION_KEY, time.time_ns(), None)


def forget() -> None:
    """Called when a unit, a theme, a category or a region changes, so that every process reloads the names: at
    once, and again after the commit, lest another process reloaded them in between."""
    _new_version()
    transaction.on_commit(_new_version)


def _matching(named, choices, limit: int) -> list[int]:
    """The ids of [(id, folded names)] whose names hold some way of writing every span:
    narrowed word by word, which at 5,000 units is several times faster than testing each
    unit against the whole query."""
    candidates = named
    for span in choices:
        found = set()
        for option in span:
            matching = candidates
            for word in option:
                matching = [row for row in matching if word in row[1]]
            found.update(pk for pk, _names in matching)
        candidates = [row for row in candidates if row[0] in found]
    return [pk for pk, _names in candidates[:limit]]


def matching(parsed: ParsedQuery) -> tuple[list, list]:
    """The units and the themes whose names hold the typed words, or what they stand for."""
    choices = name_choices(parsed)
    if not choices:
        return [], []
    known = names()
    units, themes = _matching(known.units, choices, MAX_UNITS), _matching(known.themes, choices, MAX_THEMES)
    unit_rows, theme_rows = Organisation.objects.in_bulk(units), Theme.objects.in_bulk(themes)
    return [unit_rows[pk] for pk in units if pk in unit_rows], [theme_rows[pk] for pk in themes if pk in theme_rows]
