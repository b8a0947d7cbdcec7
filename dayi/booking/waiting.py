"""The waiting list: people who wanted a taken slot are told when part of it frees up."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.audit import services as audit
from dayi.core.errors import DomainError, PermissionDenied

from .availability import held_slots
from .models import Order, WaitingEntry
from .notifications import notify


def join_waiting_list(*, actor, instrument, starts_at, ends_at, now=None) -> WaitingEntry:
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to join the waiting list."))
    now = now or timezone.now()
    if ends_at <= starts_at:
        raise DomainError(_("The end must come after the start."), field="ends_at")
    if starts_at < now:
        raise DomainError(_("The start is in the past."), field="starts_at")
    if not held_slots(instrument, starts_at, ends_at).exists():
        raise DomainError(_("This time is free: book it instead of waiting."), field="starts_at")
    try:
        with transaction.atomic():
            entry = WaitingEntry.objects.create(user=actor, instrument=instrument, starts_at=starts_at, ends_at=ends_at)
            audit.record(
                actor=actor,
                action="booking.waiting_joined",
                target=instrument,
                changes={"starts_at": str(starts_at), "ends_at": str(ends_at)},
            )
    except IntegrityError as error:
        raise DomainError(_("You are already on the waiting list for this time.")) from error
    return entry


def slot_freed(order: Order) -> int:
    """Call inside the transaction that frees the slot; returns how many people were told."""
    if order.mode != Order.Mode.MACHINE_TIME:
        return 0
    entries = list(
        WaitingEntry.objects.select_for_update()
        .filter(
            instrument_id=order.instrument_id,
            notified_at__isnull=True,
            starts_at__lt=order.ends_at,
            ends_at__gt=order.starts_at,
        )
        .select_related("user")
    )
    for entry in entries:
        start, end = timezone.localtime(entry.starts_at), timezone.localtime(entry.ends_at)
        notify(
            [entry.user],
            _("Time you were waiting for on %(instrument)s (%(date)s %(start)s–%(end)s) is free again; book it soon.")
            % {
                "instrument": order.instrument.name,
                "date": f"{start:%Y-%m-%d}",
                "start": f"{start:%H:%M}",
                "end": f"{end:%H:%M}",
            },
        )
    WaitingEntry.objects.filter(pk__in=[e.pk for e in entries]).update(notified_at=timezone.now())
    return len(entries)
