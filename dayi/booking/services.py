"""Booking machine time: the only way an order's state changes. Each function checks who may do
it and which rules allow it, runs in one transaction, audits and notifies."""

from datetime import datetime, timedelta

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.audit import services as audit
from dayi.catalog.models import Instrument
from dayi.core.errors import DomainError, PermissionDenied

from . import checks
from .availability import held_slots
from .models import ACTIVE_STATES, Order
from .notifications import notify, unit_staff
from .permissions import require_staff, runs_instrument

Status = Order.Status

# Which state may follow which (DOMAIN.md §4); anything else is a transition out of order.
TRANSITIONS = {
    Status.SUBMITTED: {Status.ACCEPTED, Status.REJECTED, Status.CANCELLED},
    Status.ACCEPTED: {Status.SCHEDULED, Status.CANCELLED},
    Status.SCHEDULED: {Status.CANCELLED},
    Status.REJECTED: set(),
    Status.CANCELLED: set(),
}

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
    *, actor, instrument: Instrument, starts_at: datetime, ends_at: datetime, purpose: str, note: str = "", now=None
) -> Order:
    """Book machine time; every rule is checked and a refusal names the rule."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to book machine time."))
    now = now or timezone.now()
    purpose = purpose.strip()
    if not purpose:
        raise DomainError(_("Say what the machine time is for."), field="purpose")
    rules = checks.rules_for_booking(instrument)
    checks.check_time(instrument, rules, starts_at, ends_at, now)
    is_external = checks.check_user(actor, instrument, rules, timezone.localdate(starts_at))
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
                note=note.strip(),
            )
            audit.record(
                actor=actor,
                action="order.submitted",
                target=order,
                changes={"instrument": instrument.pk, "starts_at": str(starts_at), "ends_at": str(ends_at)},
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


def _describe(order: Order) -> str:
    start, end = timezone.localtime(order.starts_at), timezone.localtime(order.ends_at)
    return _("Booking of %(instrument)s on %(date)s %(start)s–%(end)s") % {
        "instrument": order.instrument.name,
        "date": f"{start:%Y-%m-%d}",
        "start": f"{start:%H:%M}",
        "end": f"{end:%H:%M}",
    }


def announce(order: Order, what: str, *, staff_too=False, reason: str = ""):
    message = f"{_describe(order)} {what}"
    if reason:
        message += _(": %(reason)s") % {"reason": reason}
    recipients = {order.user}
    if staff_too:
        recipients.update(unit_staff(order.instrument))
    notify(recipients, message, order=order)


def transition(order: Order, to: str, *, actor, reason: str = "") -> Order:
    if to not in TRANSITIONS[order.status]:
        raise DomainError(
            _("An order that is %(current)s cannot become %(next)s.")
            % {"current": order.get_status_display(), "next": Status(to).label}
        )
    before = order.status
    order.status = to
    order.save(update_fields=["status", "decision_reason", "cancel_reason", "updated_at"])
    audit.record(actor=actor, action=f"order.{to}", target=order, changes={"status": [before, to]}, reason=reason)
    return order


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("instrument", "user").get(pk=order.pk)


def accept_order(*, actor, order: Order) -> Order:
    """The manager accepts; machine time has its slot already, so it is scheduled at once."""
    require_staff(actor, order.instrument)
    with transaction.atomic():
        order = _locked(order)
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
        order = _locked(order)
        order.decision_reason = reason
        transition(order, Status.REJECTED, actor=actor, reason=reason)
        announce(order, _("was rejected"), reason=reason)
    return order


def cancel_order(*, actor, order: Order, reason: str = "", now=None) -> Order:
    """The user cancels before the deadline; the running unit may cancel at any time, with a reason."""
    now = now or timezone.now()
    reason = reason.strip()
    by_staff = runs_instrument(actor, order.instrument)
    if not by_staff and order.user_id != actor.pk:
        raise PermissionDenied(_("You may only cancel your own orders."))
    with transaction.atomic():
        order = _locked(order)
        if order.status not in ACTIVE_STATES:
            raise DomainError(
                _("An order that is %(current)s cannot be cancelled.") % {"current": order.get_status_display()}
            )
        if by_staff and order.user_id != actor.pk:
            if not reason:
                raise DomainError(_("Give the user a reason for the cancellation."), field="reason")
        elif order.status != Status.SUBMITTED:
            _check_cancel_deadline(order, now)
        order.cancel_reason = reason
        transition(order, Status.CANCELLED, actor=actor, reason=reason)
        announce(order, _("was cancelled"), staff_too=order.user_id == actor.pk, reason=reason)
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
