"""Presentation helpers for catalogue pages: names in the reader's language, money in 万元."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from dayi.catalog import selectors

register = template.Library()

TEN_THOUSAND = Decimal("10000")
HUNDRED_MILLION = Decimal("100000000")


@register.filter
def local_name(obj):
    """The English name when the page is in English and the record has one; else the Chinese."""
    english = getattr(obj, "name_en", "")
    if english and (get_language() or "").startswith("en"):
        return english
    return obj.name


@register.filter
def wan(yuan):
    """Yuan as 万元 with 2 decimals, the unit the national platform uses."""
    return ((yuan or Decimal("0")) / TEN_THOUSAND).quantize(Decimal("0.01"))


@register.filter
def yi(yuan):
    """Yuan as 亿元 with 2 decimals, for city-wide totals."""
    return ((yuan or Decimal("0")) / HUNDRED_MILLION).quantize(Decimal("0.01"))


@register.simple_tag
def catalogue_home():
    """What the home page shows below the figures. A tag, so that the home view (dayi.web)
    need not know the catalogue's reads one by one."""
    return {
        "categories": selectors.categories_with_counts(),
        "newest": selectors.newest_instruments(),
        "themes": selectors.themes_with_figures(),
    }
