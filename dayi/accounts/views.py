"""Pages for a person's own account: register, profile, API token. Log-in and passwords use
Django's own views (see urls.py)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from dayi.core.errors import DomainError

from . import services
from .forms import ProfileForm, RegistrationForm
from .models import RoleGrant

LOGIN_BACKEND = "dayi.accounts.backends.UsernamePhoneEmailBackend"


def _show_domain_error(form, error: DomainError):
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def register(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.register_user(
                username=data["username"],
                password=data["password1"],
                display_name=data["display_name"],
                phone=data["phone"],
                email=data["email"],
                organisation=data["organisation"],
                new_organisation=form.new_organisation(),
            )
        except DomainError as error:
            _show_domain_error(form, error)
        else:
            login(request, user, backend=LOGIN_BACKEND)
            messages.success(request, _("Welcome! Your account has been created."))
            return redirect("accounts:profile")
    return render(request, "accounts/register.html", {"form": form})


def _profile_page(request, form, new_token=None):
    grants = RoleGrant.objects.filter(user=request.user).select_related("organisation", "region").order_by("role")
    context = {
        "form": form,
        "grants": grants,
        "organisation": request.user.organisation,
        "token": Token.objects.filter(user=request.user).first(),
        "new_token": new_token,
    }
    return render(request, "accounts/profile.html", context)


@login_required
def profile(request):
    user = request.user
    if request.method != "POST":
        initial = {"display_name": user.display_name, "phone": user.phone, "email": user.email}
        return _profile_page(request, ProfileForm(initial=initial))
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            services.update_profile(user=user, **form.cleaned_data)
        except DomainError as error:
            _show_domain_error(form, error)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    return _profile_page(request, form)


@login_required
@require_POST
def api_token(request):
    """Create or revoke the person's API token. A new key is shown on this response only."""
    user = request.user
    initial = {"display_name": user.display_name, "phone": user.phone, "email": user.email}
    if request.POST.get("action") == "revoke":
        services.revoke_token(user=user)
        messages.success(request, _("Your API token has been revoked; programs using it can no longer sign in."))
        return redirect("accounts:profile")
    token = services.regenerate_token(user=user)
    return _profile_page(request, ProfileForm(initial=initial), new_token=token.key)
