"""Thin forms: they collect what the services need; the rules live in the services."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from dayi.accounts.models import Organisation
from dayi.booking.models import Order
from dayi.catalog.models import Instrument

from .models import RuleSet, VoucherGrant

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0.01")}


class Styled:
    """Bootstrap classes on every widget, so that fields fit a 375 px screen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
                continue
            widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


def _approved(kind):
    return RuleSet.objects.filter(kind=kind, status=RuleSet.Status.APPROVED).select_related("region")


class VoucherApplicationForm(Styled, forms.Form):
    rule_set = forms.ModelChoiceField(label=_("Voucher scheme"), queryset=_approved(RuleSet.Kind.VOUCHER))
    amount = forms.DecimalField(label=_("Amount requested (yuan)"), **MONEY)
    purpose = forms.CharField(label=_("What the vouchers are for"), widget=forms.Textarea(attrs={"rows": 3}))


class GrantForm(Styled, forms.Form):
    amount = forms.DecimalField(label=_("Amount granted (yuan)"), **MONEY)
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Valid to"), widget=forms.DateInput(attrs={"type": "date"}))


class ReasonForm(Styled, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class PayForm(Styled, forms.Form):
    grant = forms.ModelChoiceField(
        label=_("Voucher"), queryset=VoucherGrant.objects.none(), required=False, empty_label=_("No voucher")
    )

    def __init__(self, *args, grants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grant"].queryset = grants if grants is not None else VoucherGrant.objects.none()
        self.fields["grant"].label_from_instance = lambda g: (
            _("%(scheme)s · balance %(rest)s yuan · until %(end)s")
            % {
                "scheme": g.rule_set.name,
                "rest": g.remaining,
                "end": g.valid_to,
            }
        )


class SubsidyForm(Styled, forms.Form):
    rule_set = forms.ModelChoiceField(label=_("Subsidy scheme"), queryset=_approved(RuleSet.Kind.SUBSIDY))
    year = forms.IntegerField(label=_("Year of the fees"), min_value=2000, max_value=2100)
    orders = forms.MultipleChoiceField(
        label=_("Orders on the platform"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, orders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orders"].choices = [
            (order.pk, f"{order.pk} · {order.instrument.name} · {order.final_fee}") for order in orders
        ]


class InvoiceForm(Styled, forms.Form):
    """One invoice of a test done elsewhere; the rows left empty are not claimed."""

    invoice_number = forms.CharField(label=_("Invoice number"), max_length=40)
    provider = forms.CharField(label=_("Testing provider"), max_length=128, required=False)
    amount = forms.DecimalField(label=_("Invoice amount (yuan)"), **MONEY)
    service_purpose = forms.ChoiceField(
        label=_("Service purpose"), required=False, choices=[("", "—"), *Order.ServicePurpose.choices]
    )
    invoice_file = forms.FileField(label=_("Invoice scan"), required=False)

    def claimed(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("invoice_file"):
            data.pop("invoice_file", None)
        return data


InvoiceFormSet = forms.formset_factory(InvoiceForm, extra=5, max_num=50, validate_max=True)


def claimed_invoices(formset) -> list[dict]:
    return [form.claimed() for form in formset if form.has_changed() and form.cleaned_data]


class RewardComputeForm(Styled, forms.Form):
    rule_set = forms.ModelChoiceField(label=_("Reward rule set"), queryset=_approved(RuleSet.Kind.REWARD))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class PolicyForm(Styled, forms.Form):
    instrument = forms.ModelChoiceField(label=_("Instrument"), queryset=Instrument.objects.none())
    year = forms.IntegerField(label=_("Policy year"), min_value=2000, max_value=2100)
    insurer = forms.CharField(label=_("Insurer"), max_length=128)
    premium = forms.DecimalField(label=_("Premium (yuan)"), **MONEY)
    cover = forms.DecimalField(label=_("Cover (yuan)"), **MONEY)

    def __init__(self, *args, unit_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = Instrument.objects.filter(owner_id__in=unit_ids)


class GradeForm(Styled, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    grade = forms.ChoiceField(
        label=_("Grade"),
        choices=[("excellent", _("excellent")), ("good", _("good")), ("pass", _("pass")), ("poor", _("poor"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Organisation.objects.filter(is_management_unit=True)
