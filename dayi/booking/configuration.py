"""Services for a unit's booking settings of one instrument: rules, weekly opening hours,
closures (which cancel the bookings they cover, with notice), training records, fee standards;
and the preferential rates that a unit or the platform grants."""

from decimal import Decimal
from itertools import pairwise

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dayi.accounts.permissions import scope_of
from dayi.audit import services as audit
from dayi.core.errors import DomainError, PermissionDenied

from .availability import held_slots
from .models import BookingRules, Closure, FeeStandard, OpeningHours, Order, Preference, Qualification
from .permissions import require_rules_editor
from .services import announce, transition

RULE_FIELDS = [
    "min_minutes",
    "max_minutes",
    "granularity_minutes",
    "max_days_ahead",
    "lead_hours",
    "needs_approval",
    "cancel_deadline_hours",
    "training_required",
    "allow_internal",
    "allow_external",
    "closed_on_holidays",
]


def save_rules(*, actor, instrument, data: dict) -> BookingRules:
    require_rules_editor(actor, instrument)
    if data["min_minutes"] > data["max_minutes"]:
        raise DomainError(_("The minimum length cannot exceed the maximum length."), field="min_minutes")
    if data["min_minutes"] % data["granularity_minutes"] or data["max_minutes"] % data["granularity_minutes"]:
        raise DomainError(
            _("The minimum and maximum lengths must be multiples of the granularity."), field="min_minutes"
        )
    if not (data["allow_internal"] or data["allow_external"]):
        raise DomainError(_("Allow internal users, external users or both."), field="allow_external")
    with transaction.atomic():
        rules, created = BookingRules.objects.select_for_update().get_or_create(
            instrument=instrument, defaults={name: data[name] for name in RULE_FIELDS}
        )
        before = {name: getattr(rules, name) for name in RULE_FIELDS}
        if not created:
            for name in RULE_FIELDS:
                setattr(rules, name, data[name])
            rules.save()
        after = {name: getattr(rules, name) for name in RULE_FIELDS}
        audit.record(
            actor=actor,
            action="booking.rules_changed",
            target=instrument,
            changes=audit.changed_fields({} if created else before, after),
        )
    return rules


def set_opening_hours(*, actor, instrument, windows: list[tuple[int, object, object]]) -> list[OpeningHours]:
    """Replace the weekly pattern with `windows` of (weekday, opens, closes)."""
    require_rules_editor(actor, instrument)
    ordered = sorted(windows)
    for _weekday, opens, closes in ordered:
        if opens >= closes:
            raise DomainError(_("A window must close after it opens."), field="opening_hours")
    for (day_a, _opens_a, closes_a), (day_b, opens_b, _closes_b) in pairwise(ordered):
        if day_a == day_b and opens_b < closes_a:
            raise DomainError(
                _("Two windows on %(day)s overlap.") % {"day": OpeningHours.Weekday(day_a).label},
                field="opening_hours",
            )
    with transaction.atomic():
        OpeningHours.objects.filter(instrument=instrument).delete()
        created = OpeningHours.objects.bulk_create(
            [OpeningHours(instrument=instrument, weekday=d, opens=o, closes=c) for d, o, c in ordered]
        )
        audit.record(
            actor=actor,
            action="booking.opening_hours_changed",
            target=instrument,
            changes={"opening_hours": [str(window) for window in created]},
        )
    return created


def add_closure(*, actor, instrument, kind: str, starts_at, ends_at, reason: str) -> tuple[Closure, list[Order]]:
    """Block a period; the active bookings inside it are cancelled and their users told why."""
    require_rules_editor(actor, instrument)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the instrument is closed; the affected users read it."), field="reason")
    if ends_at <= starts_at:
        raise DomainError(_("The end must come after the start."), field="ends_at")
    with transaction.atomic():
        closure = Closure.objects.create(
            instrument=instrument, kind=kind, starts_at=starts_at, ends_at=ends_at, reason=reason, created_by=actor
        )
        audit.record(
            actor=actor,
            action="booking.closure_added",
            target=instrument,
            changes={"kind": kind, "starts_at": str(starts_at), "ends_at": str(ends_at)},
            reason=reason,
        )
        cancelled = []
        for order in held_slots(instrument, starts_at, ends_at).select_for_update().select_related("instrument"):
            notice = _("%(kind)s of the instrument: %(reason)s") % {
                "kind": closure.get_kind_display(),
                "reason": reason,
            }
            order.cancel_reason = notice
            transition(order, Order.Status.CANCELLED, actor=actor, reason=notice)
            announce(order, _("was cancelled"), reason=notice)
            cancelled.append(order)
    return closure, cancelled


def remove_closure(*, actor, closure: Closure) -> None:
    require_rules_editor(actor, closure.instrument)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="booking.closure_removed",
            target=closure.instrument,
            changes={"starts_at": str(closure.starts_at), "ends_at": str(closure.ends_at)},
        )
        closure.delete()


def grant_qualification(*, actor, instrument, user, valid_until=None) -> Qualification:
    require_rules_editor(actor, instrument)
    if valid_until is not None and valid_until < timezone.localdate():
        raise DomainError(_("The qualification would already have expired."), field="valid_until")
    with transaction.atomic():
        qualification, _created = Qualification.objects.update_or_create(
            user=user, instrument=instrument, defaults={"valid_until": valid_until, "granted_by": actor}
        )
        audit.record(
            actor=actor,
            action="booking.qualification_granted",
            target=instrument,
            changes={"user": user.username, "valid_until": str(valid_until or "")},
        )
    return qualification


def revoke_qualification(*, actor, qualification: Qualification) -> None:
    require_rules_editor(actor, qualification.instrument)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="booking.qualification_revoked",
            target=qualification.instrument,
            changes={"user": qualification.user.username},
        )
        qualification.delete()


FEE_FIELDS = ["per_hour", "per_sample", "per_item", "startup", "note"]


def save_fee_standard(*, actor, instrument, mode: str, data: dict) -> FeeStandard:
    """Publish the fee standard of one service mode; amounts are yuan and never below zero."""
    require_rules_editor(actor, instrument)
    values = {name: data.get(name) or (Decimal("0.00") if name != "note" else "") for name in FEE_FIELDS}
    for name in FEE_FIELDS[:-1]:
        if values[name] < 0:
            raise DomainError(_("A fee cannot be below zero."), field=name)
    with transaction.atomic():
        standard = FeeStandard.objects.select_for_update().filter(instrument=instrument, mode=mode).first()
        before = {name: getattr(standard, name) for name in FEE_FIELDS} if standard else {}
        if standard is None:
            standard = FeeStandard(instrument=instrument, mode=mode)
        for name, value in values.items():
            setattr(standard, name, value)
        standard.save()
        audit.record(
            actor=actor,
            action="booking.fee_standard_changed",
            target=instrument,
            changes={"mode": mode, **audit.changed_fields(before, values)},
        )
    return standard


def require_preference_editor(actor, unit) -> None:
    scope = scope_of(actor)
    allowed = scope.is_operator if unit is None else scope.can_administer_unit(unit.pk)
    if not allowed:
        raise PermissionDenied(
            _("Only the platform operator sets the platform's preferential rates.")
            if unit is None
            else _("Only an admin of the unit sets its preferential rates.")
        )


def save_preferences(*, actor, unit, discounts: dict) -> list[Preference]:
    """Set the discount of each preferential class for a unit (or the platform when `unit` is
    None); an empty value removes the class's rate."""
    require_preference_editor(actor, unit)
    for kind, percent in discounts.items():
        if percent is not None and not (0 <= percent <= 100):
            raise DomainError(_("A discount is between 0 and 100 per cent."), field=kind)
    with transaction.atomic():
        current = {p.kind: p for p in Preference.objects.select_for_update().filter(unit=unit)}
        before = {kind: p.discount_percent for kind, p in current.items()}
        for kind in Preference.Kind.values:
            percent = discounts.get(kind)
            if percent is None:
                if kind in current:
                    current.pop(kind).delete()
            elif kind in current:
                current[kind].discount_percent = percent
                current[kind].save()
            else:
                current[kind] = Preference.objects.create(unit=unit, kind=kind, discount_percent=percent)
        after = {kind: p.discount_percent for kind, p in current.items()}
        audit.record(
            actor=actor,
            action="booking.preferences_changed",
            target=unit if unit is not None else actor,
            changes=audit.changed_fields(before, after) | {"scope": unit.name if unit else "platform"},
        )
    return list(current.values())
