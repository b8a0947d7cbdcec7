"""Management units and themes whose names match the query, offered above the instruments: a
person who types a university's or a theme's name usually wants its page, not its devices.
Both lists are public (the catalogue lists every management unit and theme to visitors).
Their names are few and short: matched here in Python, through the synonym dictionary too."""

from django.core.cache import cache

from dayi.accounts.models import Organisation
from dayi.catalog.models import Theme

from .normalize import fold
from .query import ParsedQuery, name_choices

MAX_UNITS = 5
MAX_THEMES = 3
# A province has thousands of units: scanning their names in the database on every search
# cost 10 ms at 5,000 units, scanning a cached list of them costs about one.
UNITS_CACHE_KEY = "dayi:search:unit-names"
UNITS_CACHE_SECONDS = 600


def _matching(named, choices, limit: int) -> list[int]:
    """The ids of [(id, folded names)] whose names hold some way of writing every span."""
    found = []
    for pk, names in named:
        if all(any(all(word in names for word in option) for option in span) for span in choices):
            found.append(pk)
            if len(found) == limit:
                break
    return found


def _unit_names() -> list[tuple[int, str]]:
    def load():
        units = Organisation.objects.filter(is_management_unit=True).order_by("name")
        return [(pk, fold(" ".join(names))) for pk, *names in units.values_list("pk", "name", "short_name", "name_en")]

    return cache.get_or_set(UNITS_CACHE_KEY, load, UNITS_CACHE_SECONDS)


def forget_units() -> None:
    """Called when an organisation changes, so that the next search sees it."""
    cache.delete(UNITS_CACHE_KEY)


def _themes():
    themes = Theme.objects.order_by("order", "slug").values_list("pk", "name", "name_en", "industry")
    return [(pk, fold(" ".join(names))) for pk, *names in themes]


def matching(parsed: ParsedQuery) -> tuple[list, list]:
    """The units and the themes whose names hold the typed words, or what they stand for."""
    choices = name_choices(parsed)
    if not choices:
        return [], []
    units, themes = _matching(_unit_names(), choices, MAX_UNITS), _matching(_themes(), choices, MAX_THEMES)
    unit_rows, theme_rows = Organisation.objects.in_bulk(units), Theme.objects.in_bulk(themes)
    return [unit_rows[pk] for pk in units if pk in unit_rows], [theme_rows[pk] for pk in themes if pk in theme_rows]
