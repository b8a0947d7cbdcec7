from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from dayi.accounts.models import Organisation, User
from dayi.core.errors import DomainError
from dayi.exchange import services
from dayi.exchange.models import ImportJob


class Command(BaseCommand):
    help = "Import instruments from an .xlsx or .csv file in the template's format, printing progress."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="Username of the unit admin or operator importing.")
        parser.add_argument("--unit", help="Id or name of the unit that rows with an empty unit cell belong to.")

    def handle(self, *args, file, user, unit, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        actor = User.objects.filter(username=user).first()
        if actor is None:
            raise CommandError(f"No such user: {user}")
        organisation = self._unit(unit) if unit else None
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        try:
            job = services.create_job(actor=actor, unit=organisation, upload=upload)
        except DomainError as error:
            raise CommandError(error.message) from error
        services.run_import(job=job, progress=self._progress)
        if job.status == ImportJob.Status.REFUSED:
            for error in job.errors:
                where = " ".join(str(part) for part in (error["row"] or "", error["column"], error["letter"]) if part)
                self.stderr.write(f"{where}\t{error['value']}\t{error['message']}")
            raise CommandError(f"{path.name}: refused with {len(job.errors)} errors; nothing was saved.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{path.name}: {job.created_count} created, {job.updated_count} updated, "
                f"{job.unchanged_count} unchanged (job {job.pk})."
            )
        )

    def _unit(self, value):
        condition = Q(name=value) | Q(short_name=value)
        if value.isdigit():
            condition |= Q(pk=int(value))
        units = list(Organisation.objects.filter(condition, is_management_unit=True)[:2])
        if len(units) != 1:
            raise CommandError(f"No single management unit matches {value!r}.")
        return units[0]

    def _progress(self, status, done, total):
        self.stdout.write(f"{ImportJob.Status(status).label}: {done}/{total}")
