from django import forms
from django.utils.translation import gettext_lazy as _

from dayi.catalog.models import Instrument

from .models import Sensor


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


class Styled:
    """Bootstrap classes on every widget, so templates render fields with {% include %} only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class CorrectionForm(Styled, forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    in_use_hours = forms.DecimalField(
        label=_("Effective working hours"), min_value=0, max_value=24, decimal_places=2, max_digits=4
    )
    reason = forms.CharField(label=_("Reason"), min_length=5, max_length=300)


class SensorSettingsForm(Styled, forms.ModelForm):
    class Meta:
        model = Sensor
        fields = [
            "device_model",
            "sampling_interval_s",
            "on_current_ma",
            "on_power_w",
            "in_use_current_ma",
            "in_use_power_w",
            "install_date",
        ]
        widgets = {"install_date": forms.DateInput(attrs={"type": "date"})}


class SensorRegisterForm(SensorSettingsForm):
    instrument = forms.ModelChoiceField(
        label=_("Bind to instrument"), queryset=Instrument.objects.none(), required=False
    )

    class Meta(SensorSettingsForm.Meta):
        fields = ["code", *SensorSettingsForm.Meta.fields]

    def __init__(self, *args, instruments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments


class BindForm(Styled, forms.Form):
    instrument = forms.ModelChoiceField(label=_("Instrument"), queryset=Instrument.objects.none())

    def __init__(self, *args, instruments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments
