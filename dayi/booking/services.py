"""An order's life: booking machine time, then every state change (DOMAIN.md §4). The only way
an order's state changes. Each function checks who may do it and which rules allow it, runs in
one transaction, audits and notifies. Sample orders are created in samples.py, documents in
documents.py; both come back here for their state changes."""

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.audit import services as audit
from dayi.catalog.models import Instrument
from dayi.core.errors import DomainError, PermissionDenied

from . import checks, fees
from .availability import held_slots
from .models import Order
from .notifications import notify, unit_staff
from .permissions import require_staff, runs_instrument
from .waiting import slot_freed

Status = Order.Status

# Which state may follow which (DOMAIN.md §4); anything else is a transition out of order.
# Machine time is scheduled when accepted (its slot is fixed); a sample order goes from
# accepted to in service when the samples arrive.
TRANSITIONS = {
    Status.SUBMITTED: {Status.ACCEPTED, Status.REJECTED, Status.CANCELLED},
    Status.ACCEPTED: {Status.SCHEDULED, Status.IN_SERVICE, Status.CANCELLED},
    Status.SCHEDULED: {Status.IN_SERVICE, Status.CANCELLED, Status.NO_SHOW},
    Status.IN_SERVICE: {Status.COMPLETED},
    Status.COMPLETED: {Status.REPORT_ISSUED, Status.SETTLED, Status.REVIEWED},
    Status.REPORT_ISSUED: {Status.SETTLED, Status.REVIEWED},
    Status.SETTLED: {Status.REVIEWED},
    Status.REVIEWED: set(),
    Status.REJECTED: set(),
    Status.CANCELLED: set(),
    Status.NO_SHOW: set(),
}
CANCELLABLE_STATES = (Status.SUBMITTED, Status.ACCEPTED, Status.SCHEDULED)
SETTLEABLE_STATES = (Status.COMPLETED, Status.REPORT_ISSUED)
# The states in which the ordering user may review the service (dayi.feedback).
REVIEWABLE_STATES = (Status.COMPLETED, Status.REPORT_ISSUED, Status.SETTLED)

# Two-key advisory locks: the first key names what is locked, so other apps' locks on ids of
# other tables never queue behind a booking.
BOOKING_LOCK_SPACE = 4401
EXCLUSION_VIOLATION = "23P01"
DEADLOCK_DETECTED = "40P01"


def slot_taken_message():
    return _("This time slot was just booked by someone else; please choose another time.")


def _lock_instrument_slots(instrument_id: int) -> None:
    """Serialize bookings of one instrument on PostgreSQL. Concurrent inserts under the
    exclusion constraint alone sometimes deadlock (ENGINEERING.md); queuing on this lock first
    removes that. SQLite needs nothing: its IMMEDIATE transaction already serializes writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [BOOKING_LOCK_SPACE, instrument_id % 2**31])


def _is_slot_conflict(error: Exception) -> bool:
    return getattr(error.__cause__, "sqlstate", None) in (EXCLUSION_VIOLATION, DEADLOCK_DETECTED)


def book_slot(
    *,
    actor,
    instrument: Instrument,
    starts_at: datetime,
    ends_at: datetime,
    purpose: str,
    note: str = "",
    service_purpose: str = Order.ServicePurpose.RESEARCH,
    series=None,
    now=None,
) -> Order:
    """Book machine time; every rule is checked and a refusal names the rule. The quote is
    computed and kept on the order with its working."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to book machine time."))
    now = now or timezone.now()
    purpose = purpose.strip()
    if not purpose:
        raise DomainError(_("Say what the machine time is for."), field="purpose")
    rules = checks.rules_for_booking(instrument)
    checks.check_time(instrument, rules, starts_at, ends_at, now)
    is_external = checks.check_user(actor, instrument, rules, timezone.localdate(starts_at))
    quote = fees.quote(
        instrument=instrument,
        mode=Order.Mode.MACHINE_TIME,
        organisation=actor.organisation,
        is_external=is_external,
        service_purpose=service_purpose,
        hours=Decimal((ends_at - starts_at).total_seconds()) / 3600,
    )
    try:
        with transaction.atomic():
            _lock_instrument_slots(instrument.pk)
            if held_slots(instrument, starts_at, ends_at).exists():
                raise DomainError(slot_taken_message(), field="starts_at")
            order = Order.objects.create(
                instrument=instrument,
                user=actor,
                organisation_id=actor.organisation_id,
                mode=Order.Mode.MACHINE_TIME,
                starts_at=starts_at,
                ends_at=ends_at,
                is_external=is_external,
                purpose=purpose,
                service_purpose=service_purpose,
                quoted_fee=quote.amount,
                fee_working=quote.working,
                series=series,
                note=note.strip(),
            )
            audit.record(
                actor=actor,
                action="order.submitted",
                target=order,
                changes={
                    "instrument": instrument.pk,
                    "starts_at": str(starts_at),
                    "ends_at": str(ends_at),
                    "quoted_fee": str(quote.amount),
                },
            )
            if rules.needs_approval:
                announce(order, _("waits for the instrument manager's approval"), staff_too=True)
            else:
                transition(order, Status.ACCEPTED, actor=None)
                transition(order, Status.SCHEDULED, actor=None)
                announce(order, _("is confirmed"), staff_too=True)
    except (IntegrityError, OperationalError) as error:
        if _is_slot_conflict(error):
            raise DomainError(slot_taken_message(), field="starts_at") from error
        raise
    return order


def describe(order: Order) -> str:
    if order.mode == Order.Mode.SAMPLE_TESTING:
        return _("Sample testing order %(number)s on %(instrument)s (%(samples)s samples)") % {
            "number": order.pk,
            "instrument": order.instrument.name,
            "samples": order.sample_count,
        }
    start, end = timezone.localtime(order.starts_at), timezone.localtime(order.ends_at)
    return _("Booking of %(instrument)s on %(date)s %(start)s–%(end)s") % {
        "instrument": order.instrument.name,
        "date": f"{start:%Y-%m-%d}",
        "start": f"{start:%H:%M}",
        "end": f"{end:%H:%M}",
    }


def announce(order: Order, what: str, *, staff_too=False, reason: str = ""):
    message = f"{describe(order)} {what}"
    if reason:
        message += _(": %(reason)s") % {"reason": reason}
    recipients = {order.user}
    if staff_too:
        recipients.update(unit_staff(order.instrument))
    notify(recipients, message, order=order)


def check_transition(order: Order, to: str) -> None:
    if to not in TRANSITIONS[order.status]:
        raise DomainError(
            _("An order that is %(current)s cannot become %(next)s.")
            % {"current": order.get_status_display(), "next": Status(to).label}
        )


def transition(order: Order, to: str, *, actor, reason: str = "", fields=()) -> Order:
    check_transition(order, to)
    before = order.status
    order.status = to
    order.save(update_fields=["status", "decision_reason", "cancel_reason", "updated_at", *fields])
    changes = {"status": [before, to]}
    for name in fields:
        value = getattr(order, name)
        changes[name] = None if value is None else str(value)
    audit.record(actor=actor, action=f"order.{to}", target=order, changes=changes, reason=reason)
    return order


def lock_order(order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("instrument", "user", "organisation")
        .get(pk=order.pk)
    )


def accept_order(*, actor, order: Order) -> Order:
    """The manager accepts; machine time has its slot already, so it is scheduled at once."""
    require_staff(actor, order.instrument)
    with transaction.atomic():
        order = lock_order(order)
        transition(order, Status.ACCEPTED, actor=actor)
        if order.mode == Order.Mode.MACHINE_TIME:
            transition(order, Status.SCHEDULED, actor=actor)
        announce(order, _("was accepted"))
    return order


def reject_order(*, actor, order: Order, reason: str) -> Order:
    require_staff(actor, order.instrument)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the user a reason for the rejection."), field="reason")
    with transaction.atomic():
        order = lock_order(order)
        order.decision_reason = reason
        transition(order, Status.REJECTED, actor=actor, reason=reason)
        announce(order, _("was rejected"), reason=reason)
        slot_freed(order)
    return order


def cancel_order(*, actor, order: Order, reason: str = "", now=None) -> Order:
    """The user cancels before the deadline; the running unit may cancel at any time, with a reason."""
    now = now or timezone.now()
    reason = reason.strip()
    by_staff = runs_instrument(actor, order.instrument)
    if not by_staff and order.user_id != actor.pk:
        raise PermissionDenied(_("You may only cancel your own orders."))
    with transaction.atomic():
        order = lock_order(order)
        if order.status not in CANCELLABLE_STATES:
            raise DomainError(
                _("An order that is %(current)s cannot be cancelled.") % {"current": order.get_status_display()}
            )
        if by_staff and order.user_id != actor.pk:
            if not reason:
                raise DomainError(_("Give the user a reason for the cancellation."), field="reason")
        elif order.status != Status.SUBMITTED and order.mode == Order.Mode.MACHINE_TIME:
            _check_cancel_deadline(order, now)
        order.cancel_reason = reason
        transition(order, Status.CANCELLED, actor=actor, reason=reason)
        announce(order, _("was cancelled"), staff_too=order.user_id == actor.pk, reason=reason)
        slot_freed(order)
    return order


def _check_cancel_deadline(order: Order, now: datetime) -> None:
    rules = getattr(order.instrument, "booking_rules", None)
    hours = rules.cancel_deadline_hours if rules else 0
    deadline = order.starts_at - timedelta(hours=hours)
    if now > deadline:
        checks.refuse(
            _("cancellation deadline"),
            _("a scheduled booking can be cancelled until %(deadline)s (%(hours)s hours before the start).")
            % {"deadline": f"{timezone.localtime(deadline):%Y-%m-%d %H:%M}", "hours": hours},
        )


def start_service(*, actor, order: Order) -> Order:
    """The user is at the instrument (machine time) or the samples have arrived (sample testing)."""
    require_staff(actor, order.instrument)
    with transaction.atomic():
        order = lock_order(order)
        if order.mode == Order.Mode.SAMPLE_TESTING and order.status == Status.SCHEDULED:
            raise DomainError(_("A sample order has no slot to schedule."))
        if order.mode == Order.Mode.MACHINE_TIME and order.status == Status.ACCEPTED:
            raise DomainError(_("Machine time starts from its scheduled slot."))
        transition(order, Status.IN_SERVICE, actor=actor)
        announce(order, _("is in service"))
    return order


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise DomainError(_("Write the fee as an amount in yuan, e.g. 1200.50."), field=field) from error
    if not amount.is_finite():
        raise DomainError(_("Write the fee as an amount in yuan, e.g. 1200.50."), field=field)
    if amount < 0:
        raise DomainError(_("A fee cannot be below zero."), field=field)
    if amount != fees.yuan(amount):
        raise DomainError(_("A fee has at most two decimal places (fen)."), field=field)
    return amount


def complete_order(*, actor, order: Order, final_fee=None, fee_reason: str = "", now=None) -> Order:
    """The manager completes the service and sets the final fee: the quote unless stated
    otherwise, and a final fee that differs from the quote needs a reason."""
    require_staff(actor, order.instrument)
    fee_reason = fee_reason.strip()
    with transaction.atomic():
        order = lock_order(order)
        check_transition(order, Status.COMPLETED)
        if final_fee in (None, ""):
            if order.quoted_fee is None:
                raise DomainError(_("There is no quote for this order: state the final fee."), field="final_fee")
            amount = order.quoted_fee
        else:
            amount = _money(final_fee, "final_fee")
        if order.quoted_fee is not None and amount != order.quoted_fee and not fee_reason:
            raise DomainError(
                _("The final fee %(final)s differs from the quote %(quote)s yuan: give the reason.")
                % {"final": amount, "quote": order.quoted_fee},
                field="fee_reason",
            )
        order.final_fee = amount
        order.fee_reason = fee_reason
        order.completed_at = now or timezone.now()
        transition(
            order,
            Status.COMPLETED,
            actor=actor,
            reason=fee_reason,
            fields=("final_fee", "fee_reason", "completed_at"),
        )
        announce(order, _("is completed; the fee is %(fee)s yuan") % {"fee": amount})
    return order


def mark_no_show(*, actor, order: Order, now=None) -> Order:
    """The user did not come: only once the slot has started."""
    require_staff(actor, order.instrument)
    now = now or timezone.now()
    with transaction.atomic():
        order = lock_order(order)
        if order.status == Status.SCHEDULED and order.starts_at > now:
            raise DomainError(_("A booking can be marked as a no-show only after its start."))
        transition(order, Status.NO_SHOW, actor=actor)
        announce(order, _("was marked as a no-show"))
    return order


def settle_order(*, actor, order: Order) -> Order:
    """The order is paid: by the ordering user on the platform (the funding app calls this
    inside its payment transaction) or confirmed by the running unit for an off-platform
    payment."""
    if order.user_id != actor.pk and not runs_instrument(actor, order.instrument):
        raise PermissionDenied(_("Only the ordering user or the unit that runs the instrument settles an order."))
    with transaction.atomic():
        order = lock_order(order)
        if order.status not in SETTLEABLE_STATES:
            raise DomainError(
                _("An order that is %(current)s cannot be settled.") % {"current": order.get_status_display()}
            )
        if order.final_fee is None:
            raise DomainError(_("The final fee is not set yet."))
        transition(order, Status.SETTLED, actor=actor, fields=("final_fee",))
        announce(order, _("is settled (%(fee)s yuan)") % {"fee": order.final_fee}, staff_too=True)
    return order


def mark_reviewed(*, actor, order: Order) -> Order:
    """The ordering user reviewed the service (called by the feedback app when a review is saved)."""
    if order.user_id != actor.pk:
        raise PermissionDenied(_("Only the ordering user reviews an order."))
    with transaction.atomic():
        order = lock_order(order)
        if order.status not in REVIEWABLE_STATES:
            raise DomainError(
                _("An order that is %(current)s cannot be reviewed.") % {"current": order.get_status_display()}
            )
        transition(order, Status.REVIEWED, actor=actor)
        announce(order, _("was reviewed by the user"), staff_too=True)
    return order
