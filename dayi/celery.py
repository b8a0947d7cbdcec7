"""Celery application.

With no REDIS_URL the embedded default runs every job in process (eager), so a fresh
machine needs no broker; production sets REDIS_URL and runs `celery -A dayi worker`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dayi.settings")

app = Celery("dayi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
