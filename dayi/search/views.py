"""The search page (live results with htmx), its suggestions, and the operator's synonym page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from dayi.accounts.permissions import scope_of
from dayi.core.errors import DomainError

from . import selectors, services
from .forms import SORT_CHOICES, SearchForm, SynonymForm
from .models import Synonym

FACET_LABELS = [
    ("category", gettext_lazy("Class")),
    ("region", gettext_lazy("Region")),
    ("unit", gettext_lazy("Unit")),
    ("mode", gettext_lazy("Service mode")),
    ("value", gettext_lazy("Original value")),
    ("status", gettext_lazy("Status")),
    ("theme", gettext_lazy("Theme")),
]


@require_GET
def search_page(request):
    form = SearchForm(request.GET)
    values = form.values()
    sort, page = values.get("sort") or "relevance", values.get("page") or 1
    result = selectors.search(values.get("q") or "", request.user, form.filters(), sort, page)
    params = request.GET.copy()
    params.pop("page", None)
    facets = result.facets
    context = {
        "form": form,
        "result": result,
        "page": result.page,
        "facet_groups": [
            (key, label, facets.get(key, []), str(values.get(key) or ""), key in facets.get("estimated", ()))
            for key, label in FACET_LABELS
        ],
        "sort_choices": SORT_CHOICES,
        "query_string": params.urlencode(),
    }
    template = "search/_results.html" if request.headers.get("HX-Request") else "search/search.html"
    return render(request, template, context)


@require_GET
def suggestions(request):
    query = SearchForm(request.GET).values().get("q") or ""
    items = selectors.suggest(query, request.user)
    return render(request, "search/_suggestions.html", {"items": items, "q": query})


def _operator_only(request):
    if not scope_of(request.user).is_operator:
        raise Forbidden


@login_required
@require_http_methods(["GET", "POST"])
def synonym_list(request):
    _operator_only(request)
    form = SynonymForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_synonym(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("The dictionary was updated; searches use it from now on."))
            return redirect("search:synonyms")
    filter_text = request.GET.get("q", "").strip()[:64]
    synonyms = Synonym.objects.all()
    if filter_text:
        synonyms = synonyms.filter(term__icontains=filter_text) | synonyms.filter(expansions__icontains=filter_text)
    page = Paginator(synonyms.order_by("term"), 50).get_page(request.GET.get("page"))
    return render(request, "search/synonyms.html", {"form": form, "page": page, "filter_text": filter_text})


@login_required
@require_http_methods(["GET", "POST"])
def synonym_edit(request, pk):
    _operator_only(request)
    synonym = get_object_or_404(Synonym, pk=pk)
    initial = {"term": synonym.term, "expansions": synonym.expansions, "note": synonym.note}
    form = SynonymForm(request.POST or None, initial=initial)
    if request.method == "POST" and "delete" in request.POST:
        services.delete_synonym(actor=request.user, synonym=synonym)
        messages.success(request, _("The term was removed from the dictionary."))
        return redirect("search:synonyms")
    if request.method == "POST" and form.is_valid():
        try:
            services.save_synonym(actor=request.user, synonym=synonym, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("The dictionary was updated; searches use it from now on."))
            return redirect("search:synonyms")
    return render(request, "search/synonym_edit.html", {"form": form, "synonym": synonym})
