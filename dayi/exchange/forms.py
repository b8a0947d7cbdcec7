from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dayi.accounts.permissions import scope_of

from .selectors import importable_units


class ImportForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=None, label=pgettext_lazy("import job", "Unit"), widget=forms.Select(attrs={"class": "form-select"})
    )
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        validators=[FileExtensionValidator(["xlsx", "csv"], message=_("Upload an .xlsx or .csv file."))],
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = importable_units(user)
        field = self.fields["unit"]
        field.queryset = units
        if scope_of(user).is_operator:
            field.required = False
            field.empty_label = _("the units named in the file")
        else:
            field.empty_label = None
