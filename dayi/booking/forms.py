import re
from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from .configuration import RULE_FIELDS
from .models import BookingRules, Closure, FeeStandard, OpeningHours, Order, OrderDocument, Preference

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~至]\s*(\d{1,2}):(\d{2})\s*$")


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, step_minutes=None):
        attrs = {"class": "form-control"}
        if step_minutes:
            attrs["step"] = step_minutes * 60
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


def local_datetime_field(label, step_minutes=None):
    return forms.DateTimeField(label=label, input_formats=[DATETIME_LOCAL], widget=LocalDateTimeInput(step_minutes))


def service_purpose_field():
    return forms.TypedChoiceField(
        label=_("Service purpose"),
        choices=Order.ServicePurpose.choices,
        initial=Order.ServicePurpose.RESEARCH,
        required=False,
        empty_value=Order.ServicePurpose.RESEARCH,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("Public-interest research may have a preferential rate."),
    )


class BookingForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose of use"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("e.g. surface morphology of samples")}),
    )
    note = forms.CharField(
        label=_("Note to the instrument manager"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )

    def __init__(self, *args, step_minutes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "starts_at": local_datetime_field(_("Start"), step_minutes),
            "ends_at": local_datetime_field(_("End"), step_minutes),
            **self.fields,
            "service_purpose": service_purpose_field(),
        }


class RulesForm(forms.ModelForm):
    class Meta:
        model = BookingRules
        fields = RULE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            checkbox = isinstance(field.widget, forms.CheckboxInput)
            field.widget.attrs["class"] = "form-check-input" if checkbox else "form-control"


class OpeningHoursForm(forms.Form):
    """One line per weekday: windows such as "08:00-12:00, 13:30-17:30"; empty means closed."""

    def __init__(self, *args, windows=(), **kwargs):
        super().__init__(*args, **kwargs)
        by_day: dict[int, list[str]] = {}
        for window in windows:
            by_day.setdefault(window.weekday, []).append(f"{window.opens:%H:%M}-{window.closes:%H:%M}")
        for weekday, label in OpeningHours.Weekday.choices:
            self.fields[f"day_{weekday}"] = forms.CharField(
                label=label,
                required=False,
                initial=", ".join(by_day.get(weekday, [])),
                widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("closed")}),
            )

    def clean(self):
        windows = []
        for weekday in OpeningHours.Weekday.values:
            text = self.cleaned_data.get(f"day_{weekday}", "")
            for part in filter(None, (p.strip() for p in re.split(r"[,，;；、]", text))):
                match = WINDOW.match(part)
                try:
                    numbers = [int(n) for n in match.groups()] if match else []
                    opens, closes = time(numbers[0], numbers[1]), time(numbers[2], numbers[3])
                except (IndexError, ValueError):
                    self.add_error(f"day_{weekday}", _("Write windows as 08:00-12:00, 13:30-17:30."))
                    break
                windows.append((weekday, opens, closes))
        self.cleaned_data["windows"] = windows
        return self.cleaned_data


class ClosureForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"), choices=Closure.Kind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    starts_at = local_datetime_field(_("from"))
    ends_at = local_datetime_field(_("until"))
    reason = forms.CharField(label=_("reason"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"}))


class QualificationForm(forms.Form):
    person = forms.CharField(
        label=_("User (username, phone or email)"), widget=forms.TextInput(attrs={"class": "form-control"})
    )
    valid_until = forms.DateField(
        label=_("valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.TextInput(attrs={"class": "form-control form-control-sm"})
    )


def _text(rows=None, **attrs):
    if rows:
        return forms.Textarea(attrs={"class": "form-control", "rows": rows, **attrs})
    return forms.TextInput(attrs={"class": "form-control", **attrs})


class SampleOrderForm(forms.Form):
    sample_count = forms.IntegerField(
        label=_("Number of samples"), min_value=1, widget=forms.NumberInput(attrs={"class": "form-control"})
    )
    test_items = forms.CharField(
        label=_("Test items"),
        widget=_text(3, placeholder=_("one a line, e.g. surface morphology, EDS element analysis")),
    )
    sample_description = forms.CharField(
        label=_("Sample description"), widget=_text(3, placeholder=_("material, form, size, conductivity"))
    )
    hazard = forms.ChoiceField(
        label=_("Hazard declaration"),
        choices=Order.Hazard.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    hazard_details = forms.CharField(label=_("Hazard details and handling"), required=False, widget=_text(2))
    disposal = forms.ChoiceField(label=_("After testing"), choices=Order.Disposal.choices, widget=forms.RadioSelect)
    purpose = forms.CharField(label=_("Purpose of use"), max_length=200, widget=_text())
    service_purpose = service_purpose_field()
    note = forms.CharField(label=_("Note to the instrument manager"), required=False, widget=_text(2))


class CompleteForm(forms.Form):
    final_fee = forms.CharField(
        label=_("Final fee (yuan)"),
        required=False,
        widget=_text(inputmode="decimal"),
        help_text=_("Empty: the quote."),
    )
    fee_reason = forms.CharField(label=_("Reason if it differs from the quote"), required=False, widget=_text())


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=OrderDocument.Kind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    file = forms.FileField(
        label=_("PDF file"), widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".pdf"})
    )


class FeeStandardForm(forms.ModelForm):
    class Meta:
        model = FeeStandard
        fields = ["per_hour", "per_sample", "per_item", "startup", "note"]

    def __init__(self, *args, mode, **kwargs):
        super().__init__(*args, prefix=mode, **kwargs)
        shown = (
            ["per_hour", "startup", "note"]
            if mode == Order.Mode.MACHINE_TIME
            else ["per_sample", "per_item", "startup", "note"]
        )
        for name in list(self.fields):
            if name not in shown:
                del self.fields[name]
            else:
                self.fields[name].widget.attrs["class"] = "form-control"
                self.fields[name].required = False


class PreferenceForm(forms.Form):
    """One discount per preferential class; empty means none."""

    def __init__(self, *args, preferences=(), **kwargs):
        super().__init__(*args, **kwargs)
        current = {p.kind: p.discount_percent for p in preferences}
        for kind, label in Preference.Kind.choices:
            self.fields[kind] = forms.DecimalField(
                label=label,
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=2,
                initial=current.get(kind),
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01", "placeholder": "%"}),
            )


class RecurringForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("weekday"),
        coerce=int,
        choices=OpeningHours.Weekday.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    starts = forms.TimeField(label=_("from"), widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}))
    ends = forms.TimeField(label=_("until"), widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}))
    first_day = forms.DateField(
        label=_("first day"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
    )
    last_day = forms.DateField(
        label=_("last day"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
    )
    purpose = forms.CharField(label=_("Purpose of use"), max_length=200, widget=_text())
    service_purpose = service_purpose_field()
