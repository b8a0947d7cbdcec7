from dayi.accounts.permissions import scope_of
from dayi.booking.selectors import unread_count


def navigation(request):
    """The person's roles and unread messages, for the menu; the pages themselves check
    again through services."""
    user = request.user
    return {
        "scope": scope_of(user),
        "unread_messages": unread_count(user) if user.is_authenticated else 0,
    }
