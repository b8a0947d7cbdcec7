"""Daily upkeep of vouchers, scheduled in settings.CELERY_BEAT_SCHEDULE."""

from celery import shared_task
from django.utils import timezone

from .grants import expire_grants


@shared_task
def expire_voucher_grants() -> int:
    return expire_grants(today=timezone.localdate())
