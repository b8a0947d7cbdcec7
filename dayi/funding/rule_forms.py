"""The rule-set editor as forms: the set's fields, one form per rule and, under each rule, one
row per rate band. The forms only read what was typed (numbers, choices); whether the rules make
sense is for `rulesets.problems_of`, the one place those rules are written.

Rates and shares are typed in percent (40 for 40 %) and stored as fractions."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from dayi.accounts.models import Organisation
from dayi.booking.models import Order

from .calculator import FLAG_LABELS, GRADES
from .forms import Styled
from .models import Rule, RuleSet
from .rulesets import RULE_FIELDS

HUNDRED = Decimal(100)
AMOUNT = {"max_digits": 14, "decimal_places": 2, "required": False}
PERCENT = {"max_digits": 9, "decimal_places": 4}
PERCENT_FIELDS = ("province_share", "city_share")


class RuleSetForm(Styled, forms.ModelForm):
    class Meta:
        model = RuleSet
        fields = ["region", "kind", "name", "valid_from", "valid_to", "source", "budget_total"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
            "source": forms.Textarea(attrs={"rows": 3}),
        }


def _boxes(label, choices):
    return forms.MultipleChoiceField(label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple)


class RuleForm(Styled, forms.Form):
    name = forms.CharField(label=_("Rule name"), max_length=120)
    pays = forms.ChoiceField(label=_("What it pays"), choices=Rule.Pays.choices)
    categories = _boxes(_("Organisation categories (none: any)"), Organisation.Category.choices)
    flags = _boxes(_("Organisation flags (any of; none: no flag needed)"), list(FLAG_LABELS.items()))
    location = forms.ChoiceField(label=_("Instrument location"), choices=Rule.Location.choices)
    only_without_local_match = forms.BooleanField(
        label=_("Outside the region only when no instrument in the region fits"), required=False
    )
    relation = forms.ChoiceField(label=_("Users"), choices=Rule.Relation.choices)
    fee_types = _boxes(_("Fee types that count (none: all)"), Order.Mode.choices)
    excluded_purposes = _boxes(_("Excluded service purposes"), Order.ServicePurpose.choices)
    grade = forms.ChoiceField(label=_("Unit grade required"), required=False, choices=[("", "—"), *GRADES.items()])
    base_cap = forms.DecimalField(label=_("Most of the base that counts (yuan)"), **AMOUNT)
    cap_per_order = forms.DecimalField(label=_("Cap per order (yuan)"), **AMOUNT)
    cap_per_instrument = forms.DecimalField(label=_("Cap per instrument (yuan)"), **AMOUNT)
    cap_per_organisation = forms.DecimalField(label=_("Cap per organisation (yuan)"), **AMOUNT)
    cap_per_year = forms.DecimalField(label=_("Cap per organisation per year (yuan)"), **AMOUNT)
    province_share = forms.DecimalField(label=_("Province share (%)"), initial=100, **PERCENT)
    city_share = forms.DecimalField(label=_("City share (%)"), initial=0, **PERCENT)
    min_city_match = forms.DecimalField(
        label=_("City matches at least × the province"), required=False, max_digits=6, decimal_places=4
    )
    note = forms.CharField(label=_("Condition in words"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def as_rule(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in RULE_FIELDS}
        for name in PERCENT_FIELDS:
            data[name] = data[name] / HUNDRED
        return data


class BandForm(Styled, forms.Form):
    lower = forms.DecimalField(label=_("From (yuan)"), max_digits=14, decimal_places=2)
    upper = forms.DecimalField(label=_("Up to (yuan; empty: no end)"), **AMOUNT)
    rate = forms.DecimalField(label=_("Rate (%)"), **PERCENT)

    def as_band(self) -> dict:
        data = self.cleaned_data
        return {"lower": data["lower"], "upper": data.get("upper"), "rate": data["rate"] / HUNDRED}


class DeletableRules(forms.BaseFormSet):
    """The formset adds its delete box after the form has styled its own fields."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs.setdefault("class", "form-check-input")


RuleFormSet = forms.formset_factory(RuleForm, formset=DeletableRules, extra=1, can_delete=True)
BandFormSet = forms.formset_factory(BandForm, extra=2)


def _percent(value) -> Decimal:
    return (Decimal(value) * HUNDRED).normalize()


class RuleSetEditor:
    """The set's form, the rules' formset and each rule's bands, bound together to one POST."""

    def __init__(self, data=None, *, rule_set=None, rules=()):
        initial_rules = [{**rule, **{name: _percent(rule[name]) for name in PERCENT_FIELDS}} for rule in rules]
        self.form = RuleSetForm(data, instance=rule_set)
        self.rules = RuleFormSet(data, initial=initial_rules, prefix="rules")
        self.bands = [
            BandFormSet(
                data,
                initial=[
                    {**band, "rate": _percent(band["rate"])}
                    for band in (initial_rules[index]["bands"] if index < len(initial_rules) else [])
                ],
                prefix=f"rules-{index}-bands",
            )
            for index in range(len(self.rules.forms))
        ]

    def __iter__(self):
        """Each rule form with its bands, for the template."""
        return iter(zip(self.rules.forms, self.bands, strict=True))

    def is_valid(self) -> bool:
        checks = [self.form.is_valid(), self.rules.is_valid(), *(bands.is_valid() for bands in self.bands)]
        for form, bands in self:
            if not form.has_changed() and any(band.has_changed() for band in bands):
                form.add_error("name", _("Name the rule these bands belong to."))
                checks.append(False)
        return all(checks)

    def fields(self) -> dict:
        return {name: self.form.cleaned_data[name] for name in RuleSetForm.Meta.fields}

    def rule_dicts(self) -> list[dict]:
        """The rules typed, leaving out deleted ones, untouched empty ones and empty band rows."""
        rules = []
        for form, bands in self:
            if not form.has_changed() and not any(band.has_changed() for band in bands):
                continue
            if form.cleaned_data.get("DELETE"):
                continue
            rule = form.as_rule()
            rule["bands"] = [band.as_band() for band in bands if band.has_changed() and band.cleaned_data]
            rules.append(rule)
        return rules
