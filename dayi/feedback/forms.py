from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ASPECTS, Outcome

SCORES = [(n, str(n)) for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scores = {
            name: forms.TypedChoiceField(
                label=label,
                choices=SCORES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
            for name, label in ASPECTS
        }
        self.fields = {**scores, **self.fields}

    def scores(self):
        return {name: self.cleaned_data[name] for name, _label in ASPECTS}


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["kind", "title", "reference", "achieved_on", "acknowledges_platform"]
        widgets = {"achieved_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            checkbox = isinstance(field.widget, forms.CheckboxInput)
            field.widget.attrs["class"] = "form-check-input" if checkbox else "form-control"
        self.fields["kind"].widget.attrs["class"] = "form-select"


class ComplaintForm(forms.Form):
    subject = forms.CharField(
        label=_("Subject"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    text = forms.CharField(
        label=_("What happened"), max_length=4000, widget=forms.Textarea(attrs={"class": "form-control", "rows": 5})
    )


class ComplaintStepForm(forms.Form):
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
