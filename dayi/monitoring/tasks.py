"""The daily idle-rule job and the offline-sensor check, scheduled by CELERY_BEAT_SCHEDULE in
settings. Without REDIS_URL Celery runs tasks in process when called."""

from celery import shared_task

from . import idle


@shared_task
def apply_idle_rules() -> dict:
    return idle.apply_idle_rules()


@shared_task
def notify_offline_sensors() -> int:
    return idle.notify_offline_sensors()
