"""The daily escalation of overdue complaints (schedule it in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .services import escalate_overdue


@shared_task
def escalate_overdue_complaints() -> int:
    return escalate_overdue()
