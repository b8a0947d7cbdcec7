"""manage.py demo_city: builds the demo city of Huai'an (or a province-sized one for benchmarks)."""

import time

from django.core.management.base import BaseCommand, CommandError

from dayi.catalog.models import Instrument
from dayi.demo.builder import DEFAULT_SCALE, CityBuilder, unit_count
from dayi.demo.people import DEMO_PASSWORD, demo_accounts
from dayi.search import indexing


class Command(BaseCommand):
    help = (
        "Builds a believable demo city: Huai'an's 28 management units, 600 instruments worth about "
        "270 million yuan, themes, and users of every role with a known password. --scale builds "
        "larger catalogues (30000, 100000) for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Same seed, same city.")
        parser.add_argument(
            "--scale", type=int, default=DEFAULT_SCALE, help="Number of instruments (units grow with it)."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if instruments exist; print the demo accounts."
        )
        parser.add_argument(
            "--instruments-only",
            action="store_true",
            help="Only organisations, themes and instruments: no people and no usage rows (benchmarks).",
        )

    def handle(self, *args, seed, scale, if_empty, instruments_only, **options):
        if scale < 1:
            raise CommandError("--scale must be at least 1.")
        existing = Instrument.objects.count()
        if existing:
            if if_empty:
                self.stdout.write(f"The catalogue already holds {existing} instruments; the demo city is not rebuilt.")
                self._print_accounts()
                return
            raise CommandError(
                f"The database already holds {existing} instruments. Build the demo city into an empty database "
                "(or use --if-empty to keep what is there)."
            )
        self.stdout.write(f"Building the demo city: seed {seed}, {scale} instruments, {unit_count(scale)} units …")
        result = CityBuilder(seed=seed, scale=scale, with_people=not instruments_only).build()
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {result.instruments} instruments in {result.categories} categories at {result.units} units, "
                f"total original value {result.total_value / 100_000_000:.2f} 亿元, {result.users} users "
                f"in {result.seconds:.1f} s."
            )
        )
        self._index_for_search()
        if not instruments_only:
            self._print_accounts()

    def _index_for_search(self):
        """The bulk inserts bypass the search app's signals, so the index is built in one go."""
        started = time.perf_counter()
        count = indexing.rebuild()
        self.stdout.write(f"Indexed {count} instruments for search in {time.perf_counter() - started:.1f} s.")

    def _print_accounts(self):
        rows = demo_accounts()
        if not rows:
            return
        widths = {key: max(_width(row[key]) for row in rows) for key in ("role", "username", "name")}
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo accounts — password for all: {DEMO_PASSWORD}"))
        for row in rows:
            self.stdout.write(
                "  "
                + "  ".join(_pad(row[key], widths[key]) for key in ("role", "username", "name"))
                + "  "
                + row["scope"]
            )
        self.stdout.write(f"Log in at /accounts/login/ with a username above and the password {DEMO_PASSWORD}.")


def _width(text: str) -> int:
    """Display width in a terminal: a Chinese character takes two columns."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
