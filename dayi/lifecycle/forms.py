"""Forms of the unit's instrument pages and the operator's review; they hold input, the
services decide."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from dayi.catalog.models import Discipline, Instrument, InstrumentClass, Theme
from dayi.catalog.services import EDITABLE_FIELDS, MAX_DISCIPLINES, assignable_class
from dayi.core.errors import DomainError

# The page shows the record in the order a unit fills it in, grouped as the national form groups it.
FIELDSETS = [
    (_("Basic information"), ["name", "name_en", "inventory_number", "is_pilot_scale", "operator"]),
    (_("Classification"), ["instrument_class", "purpose", "disciplines", "themes"]),
    (
        _("Origin and value"),
        [
            "source",
            "customs_supervised",
            "model_number",
            "manufacturer",
            "country",
            "original_value",
            "purchase_date",
            "acceptance_date",
            "funding",
        ],
    ),
    (_("Description"), ["technical_specs", "main_functions", "service_content", "typical_outcomes"]),
    (
        _("Service"),
        [
            "sharing_mode",
            "running_status",
            "usage_status",
            "offers_machine_time",
            "offers_sample_testing",
            "offers_joint_rd",
            "offers_leasing",
            "fee_standard",
            "opening_hours",
            "cma_certified",
            "cnas_accredited",
        ],
    ),
    (_("Place and contact"), ["region", "location", "contact_name", "contact_phone", "contact_email"]),
    (_("Confidentiality"), ["is_confidential"]),
]

WIDE_FIELDS = {"technical_specs", "main_functions", "service_content", "typical_outcomes", "fee_standard"}


class ClassCodeField(forms.CharField):
    """The 6-digit national class code, typed or picked from a list; it must be a leaf or 'other' code."""

    def __init__(self, **kwargs):
        super().__init__(max_length=6, min_length=6, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"list": "class-codes", "inputmode": "numeric", "pattern": "[0-9]{6}", "autocomplete": "off"})
        return attrs

    def prepare_value(self, value):
        return value.pk if isinstance(value, InstrumentClass) else value

    def clean(self, value):
        code = super().clean(value)
        try:
            return assignable_class(code)
        except DomainError as error:
            raise forms.ValidationError(error.message) from error


class BootstrapMixin:
    """Bootstrap classes on every widget, and the invalid state on the fields that have errors."""

    def style_widgets(self):
        for field in self.fields.values():
            _style(field.widget)

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


class InstrumentForm(BootstrapMixin, forms.ModelForm):
    instrument_class = ClassCodeField(label=_("class code"), help_text=_("6 digits, e.g. 010102 (scanning EM)."))
    disciplines = forms.ModelMultipleChoiceField(
        queryset=Discipline.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("disciplines"),
        help_text=_("At most 4."),
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("themes")
    )

    class Meta:
        model = Instrument
        fields = [*EDITABLE_FIELDS, "disciplines", "themes"]
        widgets = {
            "purchase_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "acceptance_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "technical_specs": forms.Textarea(attrs={"rows": 4}),
            "main_functions": forms.Textarea(attrs={"rows": 3}),
            "service_content": forms.Textarea(attrs={"rows": 3}),
            "typical_outcomes": forms.Textarea(attrs={"rows": 3}),
            "fee_standard": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["original_value"].widget.attrs.update({"step": "0.01", "min": "0", "inputmode": "decimal"})
        self.fields["operator"].queryset = self.fields["operator"].queryset.order_by("name")
        self.style_widgets()

    def clean_disciplines(self):
        disciplines = self.cleaned_data["disciplines"]
        if len(disciplines) > MAX_DISCIPLINES:
            raise forms.ValidationError(_("At most 4 disciplines."))
        return disciplines

    def clean_inventory_number(self):
        number = self.cleaned_data["inventory_number"].strip()
        duplicates = Instrument.objects.filter(owner=self.owner, inventory_number=number).exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise forms.ValidationError(_("Your unit already has an instrument with this inventory number."))
        return number

    def service_arguments(self) -> dict:
        """The cleaned input as the catalogue services take it."""
        data = {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}
        return {
            "data": data,
            "disciplines": list(self.cleaned_data["disciplines"]),
            "themes": list(self.cleaned_data["themes"]),
        }

    def fieldsets(self):
        return [(title, [self[name] for name in names]) for title, names in FIELDSETS]

    def show_errors(self, error) -> None:
        """Put a service's refusal next to the field it concerns (or above the form)."""
        cause = error.__cause__
        if hasattr(cause, "message_dict"):
            for name, messages in cause.message_dict.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
            return
        self.add_error(error.field if error.field in self.fields else None, error.message)


def _style(widget):
    if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
        widget.attrs["class"] = "form-check-input"
    elif isinstance(widget, forms.Select):
        widget.attrs["class"] = "form-select"
    else:
        widget.attrs["class"] = "form-control"


def class_choices():
    """The assignable classes grouped by top class, for the code picker."""
    groups = {}
    for node in InstrumentClass.objects.filter(level=1):
        groups[node.code[:2]] = (node, [])
    for node in InstrumentClass.objects.filter(is_assignable=True).select_related("parent"):
        groups.setdefault(node.code[:2], (None, []))[1].append(node)
    return [group for group in groups.values() if group[1]]


class PhotoForm(BootstrapMixin, forms.Form):
    image = forms.ImageField(label=_("photo"), widget=forms.ClearableFileInput(attrs={"accept": "image/*"}))
    caption = forms.CharField(label=_("caption"), max_length=128, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _("JPEG, PNG, WebP or GIF, at most %(limit)s.") % {
            "limit": filesizeformat(settings.DAYI_PHOTO_MAX_BYTES)
        }
        self.style_widgets()


class ReturnForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("reason for return"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tell the unit what to fix."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()
