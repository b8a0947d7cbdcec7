"""The daily idle-rule job, the offline-sensor check and the readings upkeep, scheduled by CELERY_BEAT_SCHEDULE in
settings. Without REDIS_URL Celery runs tasks in process when called."""

from celery import shared_task

from . import idle, partitions


@shared_task
def apply_idle_rules() -> dict:
    return idle.apply_idle_rules()


@shared_task
def notify_offline_sensors() -> int:
    return idle.notify_offline_sensors()


@shared_task
def maintain_readings() -> dict:
    """Monthly reading partitions ahead, and the raw-reading retention."""
    return partitions.maintain()
