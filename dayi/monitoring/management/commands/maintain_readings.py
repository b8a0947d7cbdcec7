from django.core.management.base import BaseCommand

from dayi.monitoring import partitions


class Command(BaseCommand):
    help = (
        "Create the monthly reading partitions ahead (PostgreSQL) and remove raw readings older "
        "than DAYI_MONITORING_RAW_RETENTION_DAYS; sessions and hours are kept."
    )

    def handle(self, *args, **options):
        done = partitions.maintain()
        created = ", ".join(done["created_partitions"]) or "none"
        dropped = ", ".join(done["dropped_partitions"]) or "none"
        deleted = done["deleted_readings"]
        self.stdout.write(
            f"partitions created: {created}; dropped: {dropped}"
            + ("" if deleted is None else f"; readings deleted: {deleted}")
        )
