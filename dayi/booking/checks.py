"""The booking rules, checked one by one; a refusal names the rule that refused, in the
person's language, and the form field it concerns."""

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.catalog.models import Instrument
from dayi.core.errors import DomainError

from .availability import closures_overlapping, pattern_of, windows_on
from .models import BookingRules, Qualification


def refuse(rule, explanation, field=None):
    raise DomainError(
        _("Refused by the rule “%(rule)s”: %(explanation)s") % {"rule": rule, "explanation": explanation},
        field=field,
    )


def rules_for_booking(instrument: Instrument) -> BookingRules:
    """The rules of an instrument open to machine-time booking, or a refusal saying why not."""
    rule = _("machine-time booking")
    if not instrument.is_public or instrument.sharing_mode == Instrument.SharingMode.NONE:
        refuse(rule, _("this instrument is not open for sharing."))
    if not instrument.offers_machine_time:
        refuse(rule, _("this instrument does not offer machine time."))
    if instrument.usage_status != Instrument.UsageStatus.IN_USE:
        refuse(rule, _("the instrument is %(status)s.") % {"status": instrument.get_usage_status_display()})
    try:
        return instrument.booking_rules
    except BookingRules.DoesNotExist:
        refuse(rule, _("the unit has not published booking rules yet."))


def check_user(actor, instrument: Instrument, rules: BookingRules, day) -> bool:
    """Who may book: internal or external users, and training for self-operation. Returns
    whether the person is external to the owning unit."""
    is_external = actor.organisation_id != instrument.owner_id
    rule = _("who may book")
    if is_external and (not rules.allow_external or instrument.sharing_mode == Instrument.SharingMode.INTERNAL):
        refuse(rule, _("this instrument is open to members of %(unit)s only.") % {"unit": instrument.owner})
    if not is_external and not rules.allow_internal:
        refuse(rule, _("members of the owning unit book through the unit's own arrangements."))
    if rules.training_required:
        qualification = Qualification.objects.filter(user=actor, instrument=instrument).first()
        if qualification is None:
            refuse(
                _("training for self-operation"),
                _("you have not been trained on this instrument; ask its manager for training or send samples."),
            )
        if qualification.valid_until is not None and qualification.valid_until < day:
            refuse(
                _("training for self-operation"),
                _("your training on this instrument expired on %(date)s.") % {"date": qualification.valid_until},
            )
    return is_external


def check_time(instrument: Instrument, rules: BookingRules, starts_at: datetime, ends_at: datetime, now: datetime):
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if end <= start:
        refuse(_("time"), _("the end must come after the start."), field="ends_at")
    if start < now:
        refuse(_("time"), _("the start is in the past."), field="starts_at")
    if start - now < timedelta(hours=rules.lead_hours):
        refuse(
            _("lead time"),
            _("book at least %(hours)s hours before the start.") % {"hours": rules.lead_hours},
            field="starts_at",
        )
    last_day = timezone.localdate(now) + timedelta(days=rules.max_days_ahead)
    if start.date() > last_day:
        refuse(
            _("how far ahead"),
            _("bookings open %(days)s days ahead, up to %(date)s.") % {"days": rules.max_days_ahead, "date": last_day},
            field="starts_at",
        )
    step = rules.granularity_minutes
    for moment, field in ((start, "starts_at"), (end, "ends_at")):
        if moment.second or moment.microsecond or (moment.hour * 60 + moment.minute) % step:
            refuse(
                _("slot granularity"),
                _("start and end on a multiple of %(minutes)s minutes (for example 09:00, 09:%(step)02d).")
                % {"minutes": step, "step": step % 60},
                field=field,
            )
    minutes = (end - start) / timedelta(minutes=1)
    if minutes < rules.min_minutes:
        refuse(
            _("minimum length"),
            _("a booking lasts at least %(minutes)s minutes.") % {"minutes": rules.min_minutes},
            field="ends_at",
        )
    if minutes > rules.max_minutes:
        refuse(
            _("maximum length"),
            _("a booking lasts at most %(minutes)s minutes.") % {"minutes": rules.max_minutes},
            field="ends_at",
        )
    windows = windows_on(start.date(), pattern_of(instrument), rules.closed_on_holidays)
    if not any(opens <= start and end <= closes for opens, closes in windows):
        if not windows:
            refuse(_("opening hours"), _("the instrument is closed on %(date)s.") % {"date": start.date()}, "starts_at")
        hours = "、".join(f"{opens:%H:%M}–{closes:%H:%M}" for opens, closes in windows)
        refuse(
            _("opening hours"),
            _("the instrument is open on %(date)s at %(hours)s only.") % {"date": start.date(), "hours": hours},
            field="starts_at",
        )
    closure = closures_overlapping(instrument, start, end).first()
    if closure is not None:
        refuse(
            _("closures"),
            _("the instrument is closed from %(start)s to %(end)s (%(kind)s: %(reason)s).")
            % {
                "start": f"{timezone.localtime(closure.starts_at):%Y-%m-%d %H:%M}",
                "end": f"{timezone.localtime(closure.ends_at):%Y-%m-%d %H:%M}",
                "kind": closure.get_kind_display(),
                "reason": closure.reason,
            },
            field="starts_at",
        )
