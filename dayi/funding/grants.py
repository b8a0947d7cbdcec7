"""Voucher grants: application, the operator's grant or rejection, and expiry. Every movement of
a grant's balance is a ledger entry written in the same transaction as the balance."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from dayi.audit import services as audit
from dayi.booking.notifications import notify
from dayi.core.errors import DomainError, PermissionDenied

from .calculator import ZERO, money, yuan
from .models import LedgerEntry, RuleSet, VoucherApplication, VoucherGrant
from .permissions import require_operator


def apply_for_vouchers(*, actor, rule_set: RuleSet, amount: Decimal, purpose: str) -> VoucherApplication:
    if not actor.is_authenticated or actor.organisation_id is None:
        raise PermissionDenied(_("Only a member of an enterprise applies for vouchers."))
    if rule_set.kind != RuleSet.Kind.VOUCHER or rule_set.status != RuleSet.Status.APPROVED:
        raise DomainError(_("Choose an approved voucher scheme."), field="rule_set")
    if amount is None or amount <= 0:
        raise DomainError(_("The amount must be above zero."), field="amount")
    if not purpose.strip():
        raise DomainError(_("Say what the vouchers are for."), field="purpose")
    with transaction.atomic():
        application = VoucherApplication.objects.create(
            organisation_id=actor.organisation_id,
            applicant=actor,
            rule_set=rule_set,
            amount_requested=yuan(amount),
            purpose=purpose.strip(),
        )
        audit.record(actor=actor, action="funding.voucher.apply", target=application, changes={"amount": str(amount)})
    return application


def _locked_application(application):
    application = VoucherApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != VoucherApplication.Status.SUBMITTED:
        raise DomainError(_("This application has been decided already."))
    return application


def grant_vouchers(
    *, actor, application: VoucherApplication, amount: Decimal, valid_from: date, valid_to: date
) -> VoucherGrant:
    """The operator grants; the funding parts follow the scheme's province/city shares."""
    require_operator(actor, _("Only the platform operator reviews voucher applications."))
    if amount is None or amount <= 0:
        raise DomainError(_("The amount must be above zero."), field="amount")
    if valid_to < valid_from:
        raise DomainError(_("The validity ends before it starts."), field="valid_to")
    amount = yuan(amount)
    with transaction.atomic():
        application = _locked_application(application)
        rule = application.rule_set.rules.first()
        province = yuan(amount * rule.province_share) if rule and rule.city_share else amount
        grant = VoucherGrant.objects.create(
            application=application,
            organisation=application.organisation,
            rule_set=application.rule_set,
            amount=amount,
            province_part=province,
            city_part=amount - province,
            remaining=amount,
            valid_from=valid_from,
            valid_to=valid_to,
            granted_by=actor,
        )
        LedgerEntry.objects.create(
            grant=grant,
            kind=LedgerEntry.Kind.GRANT,
            amount=amount,
            balance_after=amount,
            actor=actor,
            note=_("Granted %(amount)s yuan (province %(province)s, city %(city)s), valid %(start)s to %(end)s.")
            % {
                "amount": money(amount),
                "province": money(province),
                "city": money(amount - province),
                "start": valid_from,
                "end": valid_to,
            },
        )
        application.status = VoucherApplication.Status.GRANTED
        application.reviewed_by = actor
        application.save(update_fields=["status", "reviewed_by"])
        audit.record(actor=actor, action="funding.voucher.grant", target=grant, changes={"amount": str(amount)})
        notify(
            [application.applicant],
            _("Your voucher application was granted: %(amount)s yuan.") % {"amount": money(amount)},
        )
    return grant


def reject_voucher_application(*, actor, application: VoucherApplication, reason: str) -> VoucherApplication:
    require_operator(actor, _("Only the platform operator reviews voucher applications."))
    if not reason.strip():
        raise DomainError(_("Give the reason for rejecting."), field="reason")
    with transaction.atomic():
        application = _locked_application(application)
        application.status = VoucherApplication.Status.REJECTED
        application.decision_reason = reason.strip()
        application.reviewed_by = actor
        application.save(update_fields=["status", "decision_reason", "reviewed_by"])
        audit.record(actor=actor, action="funding.voucher.reject", target=application, reason=reason)
        notify([application.applicant], _("Your voucher application was rejected: %(reason)s") % {"reason": reason})
    return application


def release(grant: VoucherGrant, actor, note: str):
    rest = grant.remaining
    if rest > 0:
        VoucherGrant.objects.filter(pk=grant.pk).update(remaining=F("remaining") - rest)
        LedgerEntry.objects.create(
            grant=grant, kind=LedgerEntry.Kind.EXPIRY, amount=-rest, balance_after=ZERO, actor=actor, note=note
        )
        grant.remaining = ZERO


def expire_grants(*, today: date, actor=None) -> int:
    """Release what is left of every grant whose validity ended before `today`."""
    count = 0
    for pk in VoucherGrant.objects.filter(status=VoucherGrant.Status.ACTIVE, valid_to__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            grant = VoucherGrant.objects.select_for_update().get(pk=pk)
            if grant.status != VoucherGrant.Status.ACTIVE:
                continue
            release(
                grant,
                actor,
                _("Validity ended on %(day)s; %(rest)s yuan released.")
                % {"day": grant.valid_to, "rest": money(grant.remaining)},
            )
            grant.status = VoucherGrant.Status.EXPIRED
            grant.save(update_fields=["status"])
            audit.record(actor=actor, action="funding.voucher.expire", target=grant)
            count += 1
    return count
