"""The public catalogue pages. Who sees what is decided in selectors; these only render."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render

from . import selectors
from .filters import InstrumentFilter

PAGE_SIZE = 20


def _page(request, queryset, per_page=PAGE_SIZE):
    """One page of the list; a page number past the end shows the last page, a bad one the first."""
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    # Kept on the page so that one pagination template serves every list.
    page.elided_range = paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return page


def instrument_list(request, pilot_only=False):
    filterset = InstrumentFilter(
        request.GET or None, queryset=selectors.catalogue(request.user, pilot_only=pilot_only), pilot_only=pilot_only
    )
    page = _page(request, filterset.qs)
    return render(
        request,
        "catalog/instrument_list.html",
        {"filter": filterset, "page": page, "pilot_only": pilot_only, "active_filters": _active(filterset)},
    )


def _active(filterset):
    """How many filters the person has set, shown on the phone's filter button."""
    cleaned = getattr(filterset.form, "cleaned_data", {})
    return sum(1 for name, value in cleaned.items() if name != "sort" and value not in (None, "", [], False))


def instrument_detail(request, pk):
    instrument = get_object_or_404(selectors.instrument_detail(request.user), pk=pk)
    return render(request, "catalog/instrument_detail.html", {"instrument": instrument})


def unit_list(request):
    units = selectors.management_units()
    query = request.GET.get("q", "").strip()
    if query:
        units = units.filter(Q(name__icontains=query) | Q(short_name__icontains=query) | Q(name_en__icontains=query))
    return render(request, "catalog/unit_list.html", {"page": _page(request, units, 30), "q": query})


def unit_detail(request, pk):
    unit = get_object_or_404(selectors.management_units(), pk=pk)
    instruments = selectors.catalogue(request.user).filter(owner=unit)
    return render(request, "catalog/unit_detail.html", {"unit": unit, "page": _page(request, instruments)})


def theme_list(request):
    return render(request, "catalog/theme_list.html", {"themes": selectors.themes_with_figures()})


def theme_detail(request, slug):
    theme = get_object_or_404(selectors.themes_with_figures(), slug=slug)
    instruments = selectors.catalogue(request.user).filter(themes=theme)
    return render(request, "catalog/theme_detail.html", {"theme": theme, "page": _page(request, instruments)})
