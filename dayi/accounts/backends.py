from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


def find_account(identifier: str):
    """The one account whose username, mobile number or email is `identifier`, or None."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    matches = list(
        get_user_model().objects.filter(
            Q(username__iexact=identifier) | Q(phone=identifier) | Q(email__iexact=identifier)
        )[:2]
    )
    return matches[0] if len(matches) == 1 else None


class UsernamePhoneEmailBackend(ModelBackend):
    """Log in with the username, the mobile number or the email address, and the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = find_account(username)
        if user is None:
            # Run the hasher anyway so that a missing account takes as long as a wrong password.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def lockout_username(request, credentials) -> str:
    """What django-axes counts failures against: the account, however it was named, so that
    guessing through the username, the phone and the email shares one limit."""
    typed = (credentials or {}).get("username") or request.POST.get("username", "")
    account = find_account(typed)
    return account.username if account else typed.strip().lower()
