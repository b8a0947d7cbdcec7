"""Release what is left of vouchers whose validity has ended (run daily)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from dayi.funding.grants import expire_grants


class Command(BaseCommand):
    help = "Expire voucher grants whose validity ended and release their balances."

    def handle(self, *args, **options):
        count = expire_grants(today=timezone.localdate())
        self.stdout.write(f"{count} grant(s) expired.")
