"""Telling people what happened to their orders: the in-platform inbox (email and SMS come with
the rest of the one-stop flow)."""

from django.contrib.auth import get_user_model

from dayi.accounts.models import Role

from .models import Notification


def unit_staff(instrument):
    """The people who run the instrument's bookings: its unit's (and third-party operator's)
    unit admins and instrument managers."""
    units = [instrument.owner_id] + ([instrument.operator_id] if instrument.operator_id else [])
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_grants__role__in=[Role.UNIT_ADMIN, Role.INSTRUMENT_MANAGER],
            role_grants__organisation_id__in=units,
        )
        .distinct()
    )


def notify(recipients, message: str, order=None) -> None:
    Notification.objects.bulk_create(
        [Notification(recipient=person, order=order, message=message[:300]) for person in recipients]
    )
