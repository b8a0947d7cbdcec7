"""Errors that services raise for a person to read; views and the API map them in one place."""


class DomainError(Exception):
    """A rule refused the request; the message says which rule, in the user's language."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    """The person may not do this to this record."""
