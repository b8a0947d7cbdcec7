from celery import shared_task

from . import services
from .models import ImportJob


@shared_task
def run_import_job(job_id: int) -> str:
    job = ImportJob.objects.select_related("created_by", "unit").get(pk=job_id)
    return services.run_import(job=job).status
