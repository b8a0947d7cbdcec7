"""The owner unit redeems the voucher parts of its orders from the platform. An order done end
to end on the platform (booked, used, paid with voucher, reviewed) is its own evidence, so a
batch needs no paperwork (无感直兑, seeds/002 §十一); an order is redeemed once."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.accounts.models import Role
from dayi.accounts.permissions import scope_of
from dayi.audit import services as audit
from dayi.booking.models import Order
from dayi.booking.notifications import notify
from dayi.core.errors import DomainError, PermissionDenied

from .calculator import money
from .models import Payment, RedemptionBatch
from .permissions import require_operator

# The order must have reached its review: payment and review are the evidence.
EVIDENCED = (Order.Status.REVIEWED,)


def redeemable(unit_id):
    return Payment.objects.filter(
        unit_id=unit_id,
        status=Payment.Status.PAID,
        voucher_amount__gt=0,
        batch__isnull=True,
        order__status__in=EVIDENCED,
    )


def submit_batch(*, actor, unit, payment_ids: list[int]) -> RedemptionBatch:
    if unit.pk not in scope_of(actor).administered_unit_ids:
        raise PermissionDenied(_("Only the unit's administrator redeems its vouchers."))
    payment_ids = sorted(set(payment_ids))
    if not payment_ids:
        raise DomainError(_("Choose at least one paid order to redeem."), field="payments")
    with transaction.atomic():
        payments = list(Payment.objects.select_for_update().filter(pk__in=payment_ids).select_related("order"))
        if len(payments) != len(payment_ids):
            raise DomainError(_("One of the chosen payments does not exist."), field="payments")
        for payment in payments:
            if payment.unit_id != unit.pk:
                raise PermissionDenied(
                    _("Order %(number)s was not served by your unit.") % {"number": payment.order_id}
                )
            if payment.batch_id is not None:
                raise DomainError(
                    _("Order %(number)s is redeemed already (batch %(batch)s).")
                    % {"number": payment.order_id, "batch": payment.batch_id},
                    field="payments",
                )
            if payment.status != Payment.Status.PAID or payment.voucher_amount <= 0:
                raise DomainError(
                    _("Order %(number)s has no voucher part to redeem.") % {"number": payment.order_id},
                    field="payments",
                )
            if payment.order.status not in EVIDENCED:
                raise DomainError(
                    _("Order %(number)s has not been reviewed by its user yet.") % {"number": payment.order_id},
                    field="payments",
                )
        batch = RedemptionBatch.objects.create(
            unit=unit, submitted_by=actor, total=sum(p.voucher_amount for p in payments)
        )
        # Conditional: a payment another batch took meanwhile makes the count differ.
        taken = Payment.objects.filter(pk__in=payment_ids, batch__isnull=True).update(batch=batch)
        if taken != len(payment_ids):
            raise DomainError(_("One of the orders was just redeemed in another batch."), field="payments")
        audit.record(
            actor=actor,
            action="funding.redemption.submit",
            target=batch,
            changes={"payments": payment_ids, "total": str(batch.total)},
        )
    return batch


def _decide(actor, batch, expected, to, reason="", now=None):
    require_operator(actor, _("Only the platform operator decides on redemptions."))
    with transaction.atomic():
        batch = RedemptionBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != expected:
            raise DomainError(
                _("A batch that is %(current)s cannot become %(next)s.")
                % {"current": batch.get_status_display(), "next": RedemptionBatch.Status(to).label}
            )
        before = batch.status
        batch.status = to
        batch.decided_by = actor
        batch.decision_reason = reason
        if to == RedemptionBatch.Status.PAID:
            batch.paid_at = now or timezone.now()
        if to == RedemptionBatch.Status.REJECTED:
            Payment.objects.filter(batch=batch).update(batch=None)
        batch.save()
        audit.record(
            actor=actor,
            action=f"funding.redemption.{to}",
            target=batch,
            changes={"status": [before, to]},
            reason=reason,
        )
        staff = scope_staff(batch.unit_id)
        notify(
            staff,
            _("Redemption batch %(number)s (%(total)s yuan) is now %(status)s.")
            % {"number": batch.pk, "total": money(batch.total), "status": batch.get_status_display()},
        )
    return batch


def scope_staff(unit_id):
    return get_user_model().objects.filter(role_grants__role=Role.UNIT_ADMIN, role_grants__organisation_id=unit_id)


def approve_batch(*, actor, batch):
    return _decide(actor, batch, RedemptionBatch.Status.SUBMITTED, RedemptionBatch.Status.APPROVED)


def reject_batch(*, actor, batch, reason: str):
    if not reason.strip():
        raise DomainError(_("Give the reason for rejecting."), field="reason")
    return _decide(actor, batch, RedemptionBatch.Status.SUBMITTED, RedemptionBatch.Status.REJECTED, reason)


def mark_batch_paid(*, actor, batch, now=None):
    return _decide(actor, batch, RedemptionBatch.Status.APPROVED, RedemptionBatch.Status.PAID, now=now)


def decide_batch(*, actor, batch, action: str, reason: str = ""):
    """One door for the operator's three decisions, as pages and the API name them."""
    if action == "approve":
        return approve_batch(actor=actor, batch=batch)
    if action == "reject":
        return reject_batch(actor=actor, batch=batch, reason=reason)
    if action == "paid":
        return mark_batch_paid(actor=actor, batch=batch)
    raise DomainError(_("Unknown decision."), field="action")
