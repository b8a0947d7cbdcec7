"""Forms of the accounts pages; the writes themselves live in services.py."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Region, User, phone_validator


class BootstrapMixin:
    """Gives every widget its Bootstrap class, and marks the fields that failed."""

    def _style(self):
        # Read _errors, not errors: the latter would validate (and log in) from __init__.
        errors = self._errors or {}
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if name in errors:
                css += " is-invalid"
            widget.attrs["class"] = css

    def full_clean(self):
        super().full_clean()
        self._style()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class LoginForm(BootstrapMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username, phone or email and the password do not match. Passwords are case-sensitive."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username, phone or email")
        self.fields["username"].max_length = 150


class RegistrationForm(BootstrapMixin, forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[User.username_validator],
        help_text=_("Letters, digits and @/./+/-/_ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    display_name = forms.CharField(
        label=_("Your name"), max_length=64, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=11,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}),
    )
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    organisation = forms.ModelChoiceField(
        label=_("Your organisation"),
        queryset=Organisation.objects.filter(is_user_organisation=True),
        required=False,
        empty_label=_("— not listed: enter it below —"),
    )
    new_organisation_name = forms.CharField(label=_("Organisation name"), max_length=128, required=False)
    new_organisation_category = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=[("", "—"), *Organisation.Category.choices],
        required=False,
    )
    new_organisation_region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, empty_label="—"
    )
    is_tech_sme = forms.BooleanField(label=_("technology-based SME (科技型中小企业)"), required=False)
    is_small_micro = forms.BooleanField(label=_("small or micro enterprise (小微企业)"), required=False)
    is_startup_team = forms.BooleanField(label=_("innovation and start-up team (创新创业团队)"), required=False)

    new_organisation_fields = [
        "new_organisation_name",
        "new_organisation_category",
        "new_organisation_region",
        "is_tech_sme",
        "is_small_micro",
        "is_startup_team",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_organisation_region"].label_from_instance = lambda region: region.full_name

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        if not cleaned.get("organisation"):
            if not cleaned.get("new_organisation_name"):
                self.add_error("organisation", _("Choose your organisation or enter a new one."))
            else:
                if not cleaned.get("new_organisation_category"):
                    self.add_error("new_organisation_category", _("Choose the kind of organisation."))
                if not cleaned.get("new_organisation_region"):
                    self.add_error("new_organisation_region", _("Choose the region of your organisation."))
        return cleaned

    def new_organisation(self):
        """The fields of a new user organisation, or None when one was chosen from the list."""
        data = self.cleaned_data
        if data.get("organisation"):
            return None
        return {
            "name": data["new_organisation_name"],
            "category": data["new_organisation_category"],
            "region": data["new_organisation_region"],
            "is_tech_sme": data["is_tech_sme"],
            "is_small_micro": data["is_small_micro"],
            "is_startup_team": data["is_startup_team"],
        }


class ProfileForm(BootstrapMixin, forms.Form):
    display_name = forms.CharField(label=_("Your name"), max_length=64)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=11,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}),
    )
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class StyledPasswordChangeForm(BootstrapMixin, PasswordChangeForm):
    pass


class StyledPasswordResetForm(BootstrapMixin, PasswordResetForm):
    pass


class StyledSetPasswordForm(BootstrapMixin, SetPasswordForm):
    pass
