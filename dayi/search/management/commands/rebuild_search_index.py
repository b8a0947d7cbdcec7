import time

from django.core.management.base import BaseCommand

from dayi.search import indexing


class Command(BaseCommand):
    help = "Rebuild the search index of every instrument, with progress."

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(done, total):
            self.stdout.write(f"{done}/{total} instruments indexed ({done * 100 // max(total, 1)}%)")

        count = indexing.rebuild(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} instruments in {time.monotonic() - started:.1f} s."))
