"""Check that every voucher balance equals the sum of its ledger entries and every usage row
equals its payments; print each difference and exit non-zero if there is any."""

from django.core.management.base import BaseCommand, CommandError

from dayi.funding.reconciliation import reconcile


class Command(BaseCommand):
    help = "Reconcile voucher balances and yearly usage with the ledger and the payments."

    def handle(self, *args, **options):
        differences = reconcile()
        for line in differences:
            self.stdout.write(line)
        if differences:
            raise CommandError(f"{len(differences)} difference(s)")
        self.stdout.write(self.style.SUCCESS("Ledger and balances agree."))
