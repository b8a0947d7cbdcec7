"""Derive sessions and daily hours again from the stored readings (docs/monitoring.md,
"Readings storage"). Sensors are independent of one another: `--processes N` shares them out
over N processes, each deriving its share one sensor at a time."""

import multiprocessing
from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from dayi.monitoring.models import Sensor
from dayi.monitoring.tracking import rederive


class Command(BaseCommand):
    help = (
        "Derive sessions and daily hours again from the stored readings, from a day on (after "
        "thresholds changed, or sessions were lost). Sessions that began before a sensor's oldest "
        "kept reading stay as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="first local day to derive again, YYYY-MM-DD")
        parser.add_argument("--sensor", action="append", default=[], help="sensor code (repeatable; default all)")
        parser.add_argument("--processes", type=int, default=1, help="processes sharing the sensors")

    def handle(self, *args, **options):
        try:
            since = datetime.combine(date.fromisoformat(options["since"]), time(), timezone.get_default_timezone())
        except ValueError as error:
            raise CommandError("--since must be YYYY-MM-DD") from error
        if options["processes"] < 1:
            raise CommandError("--processes must be at least 1")
        sensors = Sensor.objects.filter(bindings__isnull=False).distinct().order_by("code")
        if options["sensor"]:
            sensors = sensors.filter(code__in=options["sensor"])
        ids = list(sensors.values_list("pk", flat=True))
        processes = min(options["processes"], max(len(ids), 1))
        if processes == 1:
            _derive_again(ids, since)
        else:
            # Forked workers must not share the parent's database connection.
            connections.close_all()
            context = multiprocessing.get_context("fork")
            workers = [context.Process(target=_derive_again, args=(ids[n::processes], since)) for n in range(processes)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            failed = [worker.exitcode for worker in workers if worker.exitcode]
            if failed:
                raise CommandError(f"{len(failed)} of {processes} processes failed; derive again what they held")
        self.stdout.write(f"{len(ids)} sensors derived again from {since:%Y-%m-%d}")


def _derive_again(ids, since, chunk=500):
    for start in range(0, len(ids), chunk):
        for sensor in Sensor.objects.filter(pk__in=ids[start : start + chunk]).prefetch_related("bindings"):
            rederive(sensor, since)
