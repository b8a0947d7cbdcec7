"""Reference tables (classes, regions, units, disciplines, themes) read once per file, so that
a file of 50,000 rows costs a handful of queries instead of several per row."""

from collections import defaultdict
from functools import cached_property

from django.utils.translation import gettext as _

from dayi.accounts.models import Organisation, Region
from dayi.catalog.models import Discipline, InstrumentClass, Theme

from .values import CellError, as_text, parse_code


def _unique_index(objects, key):
    """{key: object} for the keys that name exactly one object; ambiguous keys map to None."""
    index = defaultdict(list)
    for item in objects:
        value = key(item)
        if value:
            index[value].append(item)
    return {value: items[0] if len(items) == 1 else None for value, items in index.items()}


class Lookups:
    @cached_property
    def classes(self):
        return {item.code: item for item in InstrumentClass.objects.all()}

    def instrument_class(self, value) -> InstrumentClass:
        code = parse_code(value, digits=6)
        found = self.classes.get(code)
        if found is None:
            raise CellError(_("Unknown class code %(code)s: it is not in the national class table.") % {"code": code})
        if not found.is_assignable:
            raise CellError(
                _("Class code %(code)s (%(name)s) is not a leaf class; use one of its sub-classes.")
                % {"code": code, "name": found.name}
            )
        return found

    @cached_property
    def _regions(self):
        regions = list(Region.objects.all())
        by_code = {region.code: region for region in regions}
        for region in regions:
            codes = [code for code in region.path.split("/") if code]
            region.joined_name = "".join(by_code[code].name for code in codes if code in by_code)
        return by_code, _unique_index(regions, lambda r: r.name), _unique_index(regions, lambda r: r.joined_name)

    def region(self, value) -> Region:
        by_code, by_name, by_full_name = self._regions
        text = parse_code(value, digits=6)
        if text in by_code:
            return by_code[text]
        for index in (by_full_name, by_name):
            if text in index:
                if index[text] is None:
                    raise CellError(
                        _("The region name %(name)s is ambiguous; write its division code.") % {"name": text}
                    )
                return index[text]
        raise CellError(_("Unknown region %(name)s; write a division code such as 320812.") % {"name": text})

    def region_label(self, region) -> str:
        """The region's name when it names one region only, else its division code."""
        _by_code, by_name, _by_full_name = self._regions
        return region.name if by_name.get(region.name) is not None else region.code

    @cached_property
    def _units(self):
        units = list(Organisation.objects.filter(is_management_unit=True))
        return {unit.name: unit for unit in units}, _unique_index(units, lambda u: u.short_name)

    def unit(self, value) -> Organisation:
        by_name, by_short_name = self._units
        text = as_text(value)
        found = by_name.get(text) or by_short_name.get(text)
        if found is None:
            raise CellError(_("Unknown unit %(name)s: no management unit has this name.") % {"name": text})
        return found

    @cached_property
    def _third_parties(self):
        return {unit.name: unit for unit in Organisation.objects.filter(is_third_party_operator=True)}

    def third_party(self, value) -> Organisation:
        text = as_text(value)
        if text not in self._third_parties:
            raise CellError(_("Unknown third-party operator %(name)s.") % {"name": text})
        return self._third_parties[text]

    @cached_property
    def _disciplines(self):
        disciplines = list(Discipline.objects.all())
        return {d.code: d for d in disciplines}, {d.name: d for d in disciplines}

    def discipline(self, text) -> Discipline:
        by_code, by_name = self._disciplines
        found = by_code.get(parse_code(text, digits=3)) or by_name.get(text)
        if found is None:
            raise CellError(_("Unknown discipline %(value)s; write GB/T 13745 codes such as 140.") % {"value": text})
        return found

    @cached_property
    def _themes(self):
        themes = list(Theme.objects.all())
        return {t.slug: t for t in themes}, _unique_index(themes, lambda t: t.name)

    def theme(self, text) -> Theme:
        by_slug, by_name = self._themes
        found = by_slug.get(text) or by_name.get(text)
        if found is None:
            raise CellError(_("Unknown theme %(value)s.") % {"value": text})
        return found

    def theme_label(self, theme) -> str:
        by_slug, by_name = self._themes
        unique_name = by_name.get(theme.name) is not None and theme.name not in by_slug
        return theme.name if unique_name else theme.slug
