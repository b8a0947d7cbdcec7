from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dayi.monitoring.models import Sensor
from dayi.monitoring.tracking import rederive


class Command(BaseCommand):
    help = (
        "Derive sessions and daily hours again from the stored readings, from a day on (after "
        "thresholds changed, or sessions were lost). Readings past the retention are gone: "
        "recompute only within it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="first local day to derive again, YYYY-MM-DD")
        parser.add_argument("--sensor", action="append", default=[], help="sensor code (repeatable; default all)")

    def handle(self, *args, **options):
        try:
            since = datetime.combine(date.fromisoformat(options["since"]), time(), timezone.get_default_timezone())
        except ValueError as error:
            raise CommandError("--since must be YYYY-MM-DD") from error
        sensors = Sensor.objects.filter(bindings__isnull=False).distinct().order_by("code")
        if options["sensor"]:
            sensors = sensors.filter(code__in=options["sensor"])
        count = 0
        for sensor in sensors.iterator():
            rederive(sensor, since)
            count += 1
        self.stdout.write(f"{count} sensors derived again from {since:%Y-%m-%d}")
