from django import forms
from django.utils.translation import gettext_lazy as _


class ExplanationForm(forms.Form):
    explanation = forms.CharField(
        label=_("Why does the instrument stand idle?"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("reject", _("Reject"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note (required to reject)"), max_length=300, required=False)
