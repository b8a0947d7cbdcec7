"""Checking the voucher ledger against the balances it explains (`manage.py funding_reconcile`)."""

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .calculator import ZERO, to_fen
from .models import AnnualUsage, LedgerEntry, Payment, VoucherGrant
from .payments import WHOLE_PERIOD


def reconcile() -> list[str]:
    """Every difference between the balances and the ledger, in words; empty when all agree."""
    differences = []
    sums = dict(LedgerEntry.objects.values_list("grant").annotate(total=Sum("amount")).values_list("grant", "total"))
    granted = dict(
        LedgerEntry.objects.filter(kind=LedgerEntry.Kind.GRANT)
        .values_list("grant")
        .annotate(total=Sum("amount"))
        .values_list("grant", "total")
    )
    for grant in VoucherGrant.objects.only("pk", "amount", "remaining"):
        total = to_fen(sums.get(grant.pk, ZERO))
        if total != grant.remaining:
            differences.append(
                _("Grant %(number)s: balance %(balance)s yuan, ledger sum %(sum)s yuan.")
                % {"number": grant.pk, "balance": grant.remaining, "sum": total}
            )
        if to_fen(granted.get(grant.pk, ZERO)) != grant.amount:
            differences.append(
                _("Grant %(number)s: granted %(amount)s yuan, ledger grant entries %(sum)s yuan.")
                % {"number": grant.pk, "amount": grant.amount, "sum": granted.get(grant.pk, ZERO)}
            )
    drawn = {}
    for payment in Payment.objects.filter(status=Payment.Status.PAID, voucher_amount__gt=0).select_related("grant"):
        year = timezone.localdate(payment.paid_at).year
        for key in (
            (payment.grant.rule_set_id, payment.organisation_id, year),
            (payment.grant.rule_set_id, payment.organisation_id, WHOLE_PERIOD),
        ):
            drawn[key] = drawn.get(key, ZERO) + payment.voucher_amount
    for usage in AnnualUsage.objects.all():
        expected = drawn.get((usage.rule_set_id, usage.organisation_id, usage.year), ZERO)
        if usage.used != expected:
            differences.append(
                _(
                    "Usage of scheme %(set)s by organisation %(org)s in %(year)s: "
                    "%(used)s yuan recorded, payments %(sum)s yuan."
                )
                % {
                    "set": usage.rule_set_id,
                    "org": usage.organisation_id,
                    "year": usage.year or _("the whole period"),
                    "used": usage.used,
                    "sum": expected,
                }
            )
    return differences
