"""Testing subsidies: an enterprise claims a year's testing fees (platform orders and invoices of
tests done elsewhere); the operator decides; the amount is computed by the rule set, with its
working, and recomputed at approval."""

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from dayi.audit import services as audit
from dayi.booking.notifications import notify
from dayi.core.errors import DomainError, PermissionDenied

from .calculator import ZERO, Subject, Used, calculate, money, refusals
from .models import Payment, RuleSet, SubsidyApplication, SubsidyItem
from .permissions import require_operator
from .years import DONE, one_rule, orders_of_year


def apply_for_subsidy(*, actor, rule_set: RuleSet, year: int, order_ids=(), invoices=()) -> SubsidyApplication:
    """An enterprise claims the testing fees of one year: its platform orders and uploaded
    invoices of tests done elsewhere. Refused whole if any order is not its own, not done, or
    claimed already."""
    if not actor.is_authenticated or actor.organisation_id is None:
        raise PermissionDenied(_("Only a member of an enterprise applies for subsidies."))
    if rule_set.kind != RuleSet.Kind.SUBSIDY or rule_set.status != RuleSet.Status.APPROVED:
        raise DomainError(_("Choose an approved subsidy scheme."), field="rule_set")
    if not order_ids and not invoices:
        raise DomainError(_("Claim at least one order or invoice."), field="orders")
    rule = one_rule(rule_set, "subsidy")
    organisation = actor.organisation
    org_refusals = calculate(rule, ZERO, Subject(organisation=organisation))
    if not org_refusals.eligible:
        raise DomainError(org_refusals.working)
    with transaction.atomic():
        orders = list(
            orders_of_year(year).select_for_update(of=("self",)).filter(pk__in=order_ids).select_related("instrument")
        )
        if len(orders) != len(set(order_ids)):
            raise DomainError(_("Some orders are not orders of %(year)s.") % {"year": year}, field="orders")
        application = SubsidyApplication.objects.create(
            organisation=organisation, applicant=actor, rule_set=rule_set, year=year
        )
        items = []
        paid = dict(
            Payment.objects.filter(order__in=orders, status=Payment.Status.PAID).values_list("order", "paid_by_user")
        )
        for order in orders:
            if order.organisation_id != organisation.pk:
                raise PermissionDenied(_("Order %(number)s is not your organisation's.") % {"number": order.pk})
            if order.status not in DONE:
                raise DomainError(_("Order %(number)s is not paid yet.") % {"number": order.pk}, field="orders")
            if SubsidyItem.objects.filter(order=order, active=True).exists():
                raise DomainError(
                    _("Order %(number)s has been subsidised already.") % {"number": order.pk}, field="orders"
                )
            # What the enterprise itself paid: a voucher part is public money already.
            fee = paid.get(order.pk, order.final_fee)
            if fee <= 0:
                raise DomainError(
                    _("Order %(number)s was paid entirely by vouchers.") % {"number": order.pk}, field="orders"
                )
            reasons = refusals(rule, Subject(fee_type=order.mode, service_purpose=order.service_purpose))
            items.append(
                SubsidyItem(
                    application=application,
                    order=order,
                    amount=fee,
                    service_purpose=order.service_purpose,
                    counted=not reasons,
                    reason=" ".join(reasons)[:200],
                )
            )
        for invoice in invoices:
            if not invoice.get("invoice_number") or not invoice.get("amount") or invoice["amount"] <= 0:
                raise DomainError(_("Each invoice needs its number and an amount above zero."), field="invoices")
            reasons = refusals(rule, Subject(service_purpose=invoice.get("service_purpose")))
            items.append(
                SubsidyItem(application=application, counted=not reasons, reason=" ".join(reasons)[:200], **invoice)
            )
        try:
            with transaction.atomic():
                for item in items:
                    item.save()
        except IntegrityError as error:
            # Another application claimed one of the orders between the check and the insert.
            raise DomainError(
                _("One of the orders was just claimed in another application."), field="orders"
            ) from error
        _compute_subsidy(application, rule)
        audit.record(
            actor=actor,
            action="funding.subsidy.apply",
            target=application,
            changes={"amount": str(application.amount), "items": len(items)},
        )
    return application


def _compute_subsidy(application, rule):
    counted = application.items.filter(counted=True).aggregate(total=Sum("amount"))["total"] or ZERO
    before = (
        SubsidyApplication.objects.filter(
            organisation=application.organisation,
            rule_set=application.rule_set,
            year=application.year,
            status=SubsidyApplication.Status.APPROVED,
        ).aggregate(total=Sum("amount"))["total"]
        or ZERO
    )
    result = calculate(rule, counted, used=Used(year=before, organisation=before))
    application.counted_fees = counted
    application.amount = result.amount
    application.working = result.working
    application.save(update_fields=["counted_fees", "amount", "working"])


def decide_subsidy(*, actor, application: SubsidyApplication, approve: bool, reason: str = ""):
    require_operator(actor, _("Only the platform operator reviews subsidy applications."))
    if not approve and not reason.strip():
        raise DomainError(_("Give the reason for rejecting."), field="reason")
    with transaction.atomic():
        application = SubsidyApplication.objects.select_for_update().get(pk=application.pk)
        if application.status != SubsidyApplication.Status.SUBMITTED:
            raise DomainError(_("This application has been decided already."))
        if approve:
            # Recomputed under the lock: an approval meanwhile may have used the yearly cap.
            _compute_subsidy(application, one_rule(application.rule_set, "subsidy"))
            application.status = SubsidyApplication.Status.APPROVED
        else:
            application.status = SubsidyApplication.Status.REJECTED
            application.items.update(active=False)
        application.reviewed_by = actor
        application.decision_reason = reason
        application.save(update_fields=["status", "reviewed_by", "decision_reason"])
        audit.record(
            actor=actor,
            action=f"funding.subsidy.{application.status}",
            target=application,
            changes={"amount": str(application.amount)},
            reason=reason,
        )
        notify(
            [application.applicant],
            _("Your subsidy application %(number)s is %(status)s: %(amount)s yuan.")
            % {
                "number": application.pk,
                "status": application.get_status_display(),
                "amount": money(application.amount),
            },
        )
    return application
