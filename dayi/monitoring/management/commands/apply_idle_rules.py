from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dayi.monitoring import idle


class Command(BaseCommand):
    help = "Apply the idle rules for one day (default: today) and notify units of offline sensors."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to apply the rules for, YYYY-MM-DD")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else timezone.localdate()
        except ValueError as error:
            raise CommandError("--today must be YYYY-MM-DD") from error
        counts = idle.apply_idle_rules(today=today)
        offline = idle.notify_offline_sensors()
        self.stdout.write(
            f"{today}: reminded {counts['reminded']}, internal {counts['internal']}, "
            f"departmental {counts['departmental']}, closed {counts['closed']}; offline notices {offline}"
        )
