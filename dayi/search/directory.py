"""Management units and themes whose names match the query, offered above the instruments: a
person who types a university's or a theme's name usually wants its page, not its devices.
Both lists are public (the catalogue lists every management unit and theme to visitors)."""

from django.core.cache import cache
from django.db.models import Q

from dayi.accounts.models import Organisation
from dayi.catalog.models import Theme

from .normalize import fold
from .query import ParsedQuery

MAX_UNITS = 5
MAX_THEMES = 3
# A province has thousands of units: scanning their names in the database on every search
# cost 10 ms at 5,000 units, scanning a cached list of them costs about one.
UNITS_CACHE_KEY = "dayi:search:unit-names"
UNITS_CACHE_SECONDS = 600


def _all_words(parsed: ParsedQuery, fields) -> Q | None:
    words = parsed.text.split()
    if not words:
        return None
    condition = Q()
    for word in words:
        either = Q()
        for name in fields:
            either |= Q(**{f"{name}__icontains": word})
        condition &= either
    return condition


def _unit_names() -> list[tuple[int, str]]:
    def load():
        units = Organisation.objects.filter(is_management_unit=True).order_by("name")
        return [(pk, fold(" ".join(names))) for pk, *names in units.values_list("pk", "name", "short_name", "name_en")]

    return cache.get_or_set(UNITS_CACHE_KEY, load, UNITS_CACHE_SECONDS)


def forget_units() -> None:
    """Called when an organisation changes, so that the next search sees it."""
    cache.delete(UNITS_CACHE_KEY)


def matching_units(parsed: ParsedQuery, limit: int = MAX_UNITS) -> list:
    words = parsed.text.split()
    if not words:
        return []
    found = [pk for pk, names in _unit_names() if all(word in names for word in words)][:limit]
    rows = Organisation.objects.in_bulk(found)
    return [rows[pk] for pk in found if pk in rows]


def matching_themes(parsed: ParsedQuery, limit: int = MAX_THEMES) -> list:
    condition = _all_words(parsed, ("name", "name_en", "industry"))
    if condition is None:
        return []
    return list(Theme.objects.filter(condition).order_by("order", "slug")[:limit])
