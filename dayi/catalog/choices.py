"""The option lists of the catalogue's filter panel, and a <select> that renders them cheaply.

Every list page shows the same regions, categories, classes, themes and busiest units. They
change rarely, so each list is built once per language and kept in the shared cache (cleared
when one of its records is saved, see signals.py); and a <select> written in Python replaces
Django's one-template-per-option rendering, which cost more than the page's own queries.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.forms import Select
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dayi.accounts.models import Organisation, Region

from .models import Category, InstrumentClass, Theme
from .selectors import PUBLIC_INSTRUMENTS
from .templatetags.catalog_tags import local_name

TIMEOUT = 600
LISTS = ("regions", "categories", "themes", "classes", "units")


def _key(name: str, language: str) -> str:
    return f"catalog:filter-choices:{name}:{language}"


def _cached(name: str, build) -> list:
    return cache.get_or_set(_key(name, get_language() or settings.LANGUAGE_CODE), build, TIMEOUT)


def forget(*names: str) -> None:
    """Drop the cached lists, in every language, after one of their records changed."""
    cache.delete_many([_key(name, code) for name in names or LISTS for code, _label in settings.LANGUAGES])


def regions() -> list:
    """Division code and name, indented by level under its parent (Region is ordered by path)."""
    return _cached(
        "regions", lambda: [(r.code, "\u3000" * (r.level - 1) + local_name(r)) for r in Region.objects.all()]
    )


def categories() -> list:
    return _cached("categories", lambda: [(c.slug, local_name(c)) for c in Category.objects.order_by("order", "slug")])


def themes() -> list:
    return _cached("themes", lambda: [(t.slug, local_name(t)) for t in Theme.objects.order_by("order", "slug")])


def _class_groups() -> list:
    groups, current = [], None
    for node in InstrumentClass.objects.filter(level__lte=2).order_by("code"):
        label = str(node)
        if node.level == 1:
            current = (label, [(node.code, _("%(name)s (all)") % {"name": label})])
            groups.append(current)
        elif current is not None:
            current[1].append((node.code, label))
    return groups


def classes(wanted: str = "") -> list:
    """Top and middle levels grouped under their top class; a deeper code that came in the
    address (a link from an instrument page) is added so that the panel shows it."""
    groups = _cached("classes", _class_groups)
    if len(wanted) == 6 and not wanted.endswith("00"):
        deeper = InstrumentClass.objects.filter(pk=wanted).first()
        if deeper is not None:
            groups = [
                (label, sorted([*options, (deeper.code, str(deeper))]) if options[0][0][:2] == wanted[:2] else options)
                for label, options in groups
            ]
    return groups


UNITS_OFFERED = 60


def _busiest_units() -> list:
    busiest = (
        Organisation.objects.filter(is_management_unit=True)
        .annotate(public=Count("instruments", filter=PUBLIC_INSTRUMENTS))
        .order_by("-public", "name")[:UNITS_OFFERED]
    )
    return [(unit.pk, local_name(unit)) for unit in sorted(busiest, key=lambda unit: unit.name)]


def units(selected=None) -> list:
    """The units with the most public instruments, plus the one already chosen. A province has
    thousands of units, and a dropdown of all of them made the list page several times slower
    than its query; the units page (searchable) links to any unit's filtered list."""
    offered = _cached("units", _busiest_units)
    if selected and str(selected).isdigit() and int(selected) not in {pk for pk, _label in offered}:
        chosen = Organisation.objects.filter(pk=int(selected), is_management_unit=True).first()
        if chosen is not None:
            offered = [*offered, (chosen.pk, local_name(chosen))]
    return offered


class PlainSelect(Select):
    """The same <select> markup as Django's widget, written without a template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group, options, _index in widget["optgroups"]:
            html = _joined(
                format_html(SELECTED if option["selected"] else OPTION, option["value"], option["label"])
                for option in options
            )
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', group, html) if group else html)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), _joined(parts))


OPTION = '<option value="{}">{}</option>'
SELECTED = '<option value="{}" selected>{}</option>'


def _joined(pieces):
    return format_html_join("", "{}", ((piece,) for piece in pieces))
