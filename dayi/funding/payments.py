"""Payment of an order with real-time voucher deduction (无感直兑), and refund.

Caps under concurrency: a payment locks the grant row, then the organisation's usage rows
(always in that order, so two payments never wait on each other in a cycle), and moves the
balance with a conditional UPDATE; the check constraints on the rows are the last line of
defence. On SQLite the IMMEDIATE transaction serializes writers anyway.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.accounts.permissions import scope_of
from dayi.audit import services as audit
from dayi.booking import services as booking_services
from dayi.booking.models import Order
from dayi.booking.notifications import notify, unit_staff
from dayi.core.errors import DomainError, PermissionDenied

from . import local_match
from .calculator import ZERO, Subject, Used, basis, calculate, money, yuan
from .grants import release
from .models import AnnualUsage, LedgerEntry, Payment, RuleSet, VoucherGrant
from .models.vouchers import HALF_FEN

PAYABLE = (Order.Status.COMPLETED, Order.Status.REPORT_ISSUED)
# The usage row that stands for a scheme's whole period (its cap per organisation).
WHOLE_PERIOD = 0


def subject_of(order: Order) -> Subject:
    return Subject(
        organisation=order.organisation,
        instrument_region_path=order.instrument.region.path,
        is_external=order.is_external,
        fee_type=order.mode,
        service_purpose=order.service_purpose,
    )


def _rule_for(rule_set: RuleSet, subject: Subject, pays: str):
    """The first rule of the set that applies; a refusal lists why none does."""
    results = []
    for rule in rule_set.rules.filter(pays=pays).select_related("rule_set__region").prefetch_related("bands"):
        result = calculate(rule, Decimal(0), subject)
        if result.eligible:
            return rule
        results.append(result.working)
    raise DomainError(_("No rule of “%(set)s” applies: %(why)s") % {"set": rule_set, "why": " ".join(results)})


def _locked_usage(rule_set, organisation_id, year, cap) -> AnnualUsage:
    key = {"rule_set": rule_set, "organisation_id": organisation_id, "year": year}
    usage = AnnualUsage.objects.select_for_update().filter(**key).first()
    if usage is None:
        # The first payment of the year creates the row; a concurrent first one waits on the
        # unique index and then finds it.
        AnnualUsage.objects.get_or_create(**key, defaults={"cap": cap})
        usage = AnnualUsage.objects.select_for_update().get(**key)
    return usage


def _draw(model, pk, amount, field="remaining") -> bool:
    """Take `amount` from a balance only if it is there: one conditional UPDATE."""
    return model.objects.filter(pk=pk, **{f"{field}__gte": amount - HALF_FEN}).update(**{field: F(field) - amount}) == 1


def _add_usage(pks, amount) -> bool:
    """Add to usage rows only where the cap leaves room: conditional UPDATEs."""
    room = Q(cap__isnull=True) | Q(cap__gte=F("used") + amount - HALF_FEN)
    return AnnualUsage.objects.filter(room, pk__in=pks).update(used=F("used") + amount) == len(pks)


def pay_order(*, actor, order: Order, grant: VoucherGrant | None = None, voucher_limit=None, now=None) -> Payment:
    """The ordering user pays a completed order; a voucher grant, if chosen, is deducted at once
    by the scheme's rule and caps, and the user pays the rest (无感直兑)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("instrument__region", "organisation")
            .get(pk=order.pk)
        )
        if order.user_id != actor.pk:
            raise PermissionDenied(_("Only the person who placed the order pays it."))
        if Payment.objects.filter(order=order, status=Payment.Status.PAID).exists():
            raise DomainError(_("This order is paid already."))
        if order.status not in PAYABLE or order.final_fee is None:
            raise DomainError(_("Only a completed order with its final fee can be paid."))
        fee = order.final_fee
        if voucher_limit is not None and voucher_limit > fee:
            raise DomainError(
                _("The voucher part cannot be larger than the fee (%(fee)s yuan).") % {"fee": money(fee)},
                field="voucher_limit",
            )
        # Everything that needs no lock on the grant comes first, so that concurrent payments
        # on one grant hold its row only for the deduction itself.
        booking_services.settle_order(actor=actor, order=order)
        notify(
            unit_staff(order.instrument),
            _("Order %(number)s was paid on the platform.") % {"number": order.pk},
            order=order,
        )
        deduction = province = city = ZERO
        working = ""
        if grant is not None:
            rule_set = RuleSet.objects.select_related("region").get(pk=grant.rule_set_id)
            rule = _rule_for(rule_set, subject_of(order), "voucher_deduction")
            catalogue_line = local_match.check(rule, order.instrument)
            grant = VoucherGrant.objects.select_for_update().get(pk=grant.pk)
            _check_grant(grant, order, today)
            year_usage = _locked_usage(rule_set, order.organisation_id, today.year, rule.cap_per_year)
            period_usage = _locked_usage(rule_set, order.organisation_id, WHOLE_PERIOD, rule.cap_per_organisation)
            limits = [(_("voucher balance"), grant.remaining)]
            if voucher_limit is not None:
                limits.append((_("voucher part asked for"), yuan(voucher_limit)))
            result = calculate(
                rule,
                fee,
                subject_of(order),
                Used(year=year_usage.used, organisation=period_usage.used),
                limits=limits,
            )
            if catalogue_line:
                result.lines.insert(len(basis(rule)), catalogue_line)
            deduction, province, city, working = result.amount, result.province_part, result.city_part, result.working
            if deduction > 0 and not (
                _draw(VoucherGrant, grant.pk, deduction) and _add_usage([year_usage.pk, period_usage.pk], deduction)
            ):
                raise DomainError(_("The voucher balance or the yearly cap was just used up; try again."))
        payment = Payment.objects.create(
            order=order,
            organisation_id=order.organisation_id,
            unit_id=order.instrument.owner_id,
            grant=grant,
            fee=fee,
            voucher_amount=deduction,
            province_part=province,
            city_part=city,
            paid_by_user=fee - deduction,
            working=working,
            paid_by=actor,
            paid_at=now,
        )
        if deduction > 0:
            LedgerEntry.objects.create(
                grant=grant,
                kind=LedgerEntry.Kind.DEDUCTION,
                amount=-deduction,
                balance_after=grant.remaining - deduction,
                payment=payment,
                actor=actor,
                note=working,
            )
        audit.record(
            actor=actor,
            action="funding.payment.pay",
            target=payment,
            changes={"fee": str(fee), "voucher": str(deduction), "user": str(fee - deduction)},
        )
    return payment


def _check_grant(grant: VoucherGrant, order: Order, today: date):
    if grant.organisation_id != order.organisation_id:
        raise DomainError(_("This voucher belongs to another organisation."), field="grant")
    if grant.status == VoucherGrant.Status.EXPIRED or today > grant.valid_to:
        raise DomainError(_("This voucher expired on %(day)s.") % {"day": grant.valid_to}, field="grant")
    if today < grant.valid_from:
        raise DomainError(_("This voucher is valid from %(day)s.") % {"day": grant.valid_from}, field="grant")


def refund_payment(*, actor, payment: Payment, reason: str, now=None) -> Payment:
    """The unit or the operator refunds a payment (the order was cancelled or charged wrongly);
    the voucher part goes back to the grant, or is released at once if the grant has expired."""
    if not reason.strip():
        raise DomainError(_("Give the reason for the refund."), field="reason")
    now = now or timezone.now()
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
        scope = scope_of(actor)
        if not (scope.is_operator or payment.unit_id in scope.managed_unit_ids):
            raise PermissionDenied(_("Only the unit that ran the order or the operator refunds it."))
        if payment.status != Payment.Status.PAID:
            raise DomainError(_("This payment was refunded already."))
        if payment.batch_id and payment.batch.status != "rejected":
            raise DomainError(_("The voucher part of this payment is being redeemed; it can no longer be refunded."))
        amount = payment.voucher_amount
        if amount > 0:
            grant = VoucherGrant.objects.select_for_update().get(pk=payment.grant_id)
            year = timezone.localdate(payment.paid_at).year
            AnnualUsage.objects.filter(
                rule_set_id=grant.rule_set_id, organisation_id=payment.organisation_id, year__in=[year, WHOLE_PERIOD]
            ).update(used=F("used") - amount)
            VoucherGrant.objects.filter(pk=grant.pk).update(remaining=F("remaining") + amount)
            grant.refresh_from_db(fields=["remaining"])
            LedgerEntry.objects.create(
                grant=grant,
                kind=LedgerEntry.Kind.REFUND,
                amount=amount,
                balance_after=grant.remaining,
                payment=payment,
                actor=actor,
                note=_("Refund of order %(number)s: %(reason)s") % {"number": payment.order_id, "reason": reason},
            )
            if grant.status == VoucherGrant.Status.EXPIRED:
                release(grant, actor, _("Returned after the voucher expired; released at once."))
        payment.status = Payment.Status.REFUNDED
        payment.refunded_at = now
        payment.save(update_fields=["status", "refunded_at"])
        audit.record(
            actor=actor,
            action="funding.payment.refund",
            target=payment,
            reason=reason,
            changes={"voucher": str(amount)},
        )
        notify(
            [payment.order.user],
            _("Order %(number)s was refunded: %(reason)s") % {"number": payment.order_id, "reason": reason},
            order=payment.order,
        )
    return payment
