"""Management units and themes whose names match the query, offered above the instruments: a
person who types a university's or a theme's name usually wants its page, not its devices.
Both lists are public (the catalogue lists every management unit and theme to visitors).
Their names are few and short: matched here in Python, through the synonym dictionary too."""

import time

from django.core.cache import cache
from django.db import transaction

from dayi.accounts.models import Organisation
from dayi.catalog.models import Theme

from .normalize import fold
from .query import ParsedQuery, name_choices

MAX_UNITS = 5
MAX_THEMES = 3
# A province has thousands of units. Scanning their names in the database on every search
# cost 10 ms at 5,000 units, and even reading a cached list back from the cache cost several
# (it is unpickled each time): each process keeps the names in memory, and only a version
# number, changed whenever a unit or a theme changes, is read from the shared cache.
VERSION_KEY = "dayi:search:directory-version"
_loaded: dict = {}


class Names:
    """The management units and themes: folded names to match, display names to label."""

    def __init__(self):
        units = Organisation.objects.filter(is_management_unit=True).order_by("name")
        rows = list(units.values_list("pk", "name", "short_name", "name_en"))
        self.units = [(pk, fold(" ".join(names))) for pk, *names in rows]
        self.unit_labels = {pk: name for pk, name, *_rest in rows}
        rows = list(Theme.objects.order_by("order", "slug").values_list("pk", "name", "name_en", "industry"))
        self.themes = [(pk, fold(" ".join(names))) for pk, *names in rows]
        self.theme_labels = {pk: name for pk, name, *_rest in rows}


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
    """Called when a unit or a theme changes, so that every process reloads the names: at
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
