from dayi.accounts.permissions import scope_of


def navigation(request):
    """The person's roles, for the menu; the pages themselves check again through services."""
    return {"scope": scope_of(request.user)}
