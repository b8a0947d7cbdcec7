"""Telling people what happened to their orders: the in-platform inbox always, and, once the
change is committed, an email (Django's mail; console by default) to those with an address and
a text message (settings.DAYI_SMS_SENDER) to those with a mobile number."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils.translation import gettext as _

from dayi.accounts.models import Role

from .models import Notification
from .sms import sms_sender

logger = logging.getLogger(__name__)


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
    recipients = list(recipients)
    message = message[:300]
    Notification.objects.bulk_create([Notification(recipient=p, order=order, message=message) for p in recipients])
    emails = sorted({p.email for p in recipients if p.email})
    phones = sorted({p.phone for p in recipients if p.phone})
    transaction.on_commit(lambda: _send(message, emails, phones))


def _send(message: str, emails: list[str], phones: list[str]) -> None:
    """Outside the transaction: a mail server or SMS gateway that fails loses a message, never
    the change it reports (the inbox has it)."""
    subject = _("[Dayi] %(message)s") % {"message": message[:60]}
    try:
        send_mass_mail([(subject, message, settings.DEFAULT_FROM_EMAIL, [address]) for address in emails])
    except OSError:
        logger.exception("mail to %s failed", emails)
    sender = sms_sender()
    for phone in phones:
        try:
            sender.send(phone, message)
        except Exception:
            logger.exception("SMS to %s failed", phone)
