from django import forms
from django.utils.translation import gettext_lazy as _

from dayi.catalog.models import Instrument

from . import facets

SORT_CHOICES = [
    ("relevance", _("Relevance")),
    ("value", _("Highest value")),
    ("newest", _("Newest")),
    ("usage", _("Most used")),
]
MAX_QUERY_LENGTH = 2000


class SearchForm(forms.Form):
    """The query string and facets. A value that does not parse is ignored, never an error:
    people edit URLs and follow old links."""

    q = forms.CharField(label=_("Search"), required=False, max_length=MAX_QUERY_LENGTH, strip=True)
    category = forms.IntegerField(required=False, min_value=1)
    region = forms.IntegerField(required=False, min_value=1)
    unit = forms.IntegerField(required=False, min_value=1)
    mode = forms.ChoiceField(required=False, choices=[(k, v[1]) for k, v in facets.SERVICE_MODES.items()])
    value = forms.ChoiceField(required=False, choices=[(k, v[0]) for k, v in facets.VALUE_BANDS.items()])
    status = forms.ChoiceField(required=False, choices=Instrument.UsageStatus.choices)
    theme = forms.IntegerField(required=False, min_value=1)
    pilot = forms.BooleanField(required=False)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, label=_("Sort by"))
    page = forms.IntegerField(required=False)

    def __init__(self, data=None, **kwargs):
        data = data.copy() if data is not None else None
        if data is not None and len(data.get("q", "")) > MAX_QUERY_LENGTH:
            data["q"] = data["q"][:MAX_QUERY_LENGTH]
        super().__init__(data, **kwargs)

    def values(self) -> dict:
        self.is_valid()
        return self.cleaned_data

    def filters(self) -> facets.Filters:
        v = self.values()
        return facets.Filters(
            category=v.get("category"),
            region=v.get("region"),
            unit=v.get("unit"),
            mode=v.get("mode") or "",
            value=v.get("value") or "",
            status=v.get("status") or "",
            theme=v.get("theme"),
            pilot=bool(v.get("pilot")),
        )


class SynonymForm(forms.Form):
    term = forms.CharField(
        label=_("Term people type"), max_length=64, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    expansions = forms.CharField(
        label=_("Stands for"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text=_("One per line: full names, English names, acronyms."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=200, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
