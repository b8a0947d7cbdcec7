"""Writes about people: registration, their own profile, their API token."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from dayi.core.errors import DomainError

from .models import Organisation, Region, User


def _check_unique_contact(*, phone: str, email: str, exclude_user_id=None):
    """Phone and email are login names too, so two people may not share one."""
    others = User.objects.exclude(pk=exclude_user_id) if exclude_user_id else User.objects.all()
    if phone and others.filter(phone=phone).exists():
        raise DomainError(_("This mobile number is already registered. Log in, or reset your password."), field="phone")
    if email and others.filter(email__iexact=email).exists():
        raise DomainError(_("This email address is already registered. Log in, or reset your password."), field="email")


def _new_user_organisation(*, name, category, region: Region, is_tech_sme, is_small_micro, is_startup_team):
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Enter the name of your organisation."), field="new_organisation_name")
    if Organisation.objects.filter(name=name).exists():
        raise DomainError(
            _("An organisation named %(name)s already exists; choose it from the list.") % {"name": name},
            field="new_organisation_name",
        )
    if category not in Organisation.Category.values:
        raise DomainError(_("Choose the kind of organisation."), field="new_organisation_category")
    if region is None:
        raise DomainError(_("Choose the region of your organisation."), field="new_organisation_region")
    return Organisation.objects.create(
        name=name,
        category=category,
        region=region,
        is_user_organisation=True,
        is_management_unit=False,
        is_tech_sme=is_tech_sme,
        is_small_micro=is_small_micro,
        is_startup_team=is_startup_team,
    )


def register_user(
    *,
    username: str,
    password: str,
    display_name: str,
    phone: str,
    email: str,
    organisation: Organisation | None = None,
    new_organisation: dict | None = None,
) -> User:
    """Create a person and, when they name one that is not listed yet, their user organisation.

    `new_organisation` holds name, category, region and the three enterprise flags.
    """
    username = username.strip()
    email = email.strip().lower()
    phone = phone.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This username is taken; choose another one."), field="username")
    _check_unique_contact(phone=phone, email=email)
    if organisation is not None and not organisation.is_user_organisation:
        raise DomainError(_("Choose a user organisation from the list."), field="organisation")
    user = User(username=username, display_name=display_name.strip(), phone=phone, email=email)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password1") from error
    user.set_password(password)
    try:
        with transaction.atomic():
            if organisation is None:
                if not new_organisation:
                    raise DomainError(_("Choose your organisation or enter a new one."), field="organisation")
                organisation = _new_user_organisation(**new_organisation)
            user.organisation = organisation
            user.save()
    except IntegrityError as error:
        # Two registrations with the same phone or email at once: the database constraint decides.
        raise DomainError(_("This mobile number or email address was just registered by someone else.")) from error
    return user


def update_profile(*, user: User, display_name: str, phone: str, email: str) -> User:
    """A person edits their own name and contact details."""
    phone = phone.strip()
    email = email.strip().lower()
    _check_unique_contact(phone=phone, email=email, exclude_user_id=user.pk)
    user.display_name = display_name.strip()
    user.phone = phone
    user.email = email
    try:
        with transaction.atomic():
            user.save(update_fields=["display_name", "phone", "email"])
    except IntegrityError as error:
        raise DomainError(_("This mobile number or email address was just registered by someone else.")) from error
    return user


def obtain_token(*, user: User) -> Token:
    """The person's API token, created on first use."""
    token, _created = Token.objects.get_or_create(user=user)
    return token


@transaction.atomic
def regenerate_token(*, user: User) -> Token:
    """A fresh token; the old one stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def revoke_token(*, user: User) -> None:
    Token.objects.filter(user=user).delete()
