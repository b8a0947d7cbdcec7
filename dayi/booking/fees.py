"""The fee of an order from the published standard and the best preferential rate, with its
working written out line by line so that the user, the unit and the funding rules can check it.
Amounts are Decimal yuan rounded half up to fen, never below zero."""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import FeeStandard, Order, Preference

FEN = Decimal("0.01")


def yuan(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass
class Quote:
    amount: Decimal | None
    lines: list[str] = field(default_factory=list)

    @property
    def working(self) -> str:
        return "\n".join(self.lines)


def standard_for(instrument, mode) -> FeeStandard | None:
    return FeeStandard.objects.filter(instrument=instrument, mode=mode).first()


def preference_classes(*, organisation, is_external: bool, service_purpose: str) -> list[str]:
    """The preferential classes an order falls into (Organisation flags, purpose, internal)."""
    kinds = []
    if organisation is not None and organisation.is_small_micro:
        kinds.append(Preference.Kind.SMALL_MICRO)
    if organisation is not None and organisation.is_startup_team:
        kinds.append(Preference.Kind.STARTUP_TEAM)
    if service_purpose == Order.ServicePurpose.PUBLIC_INTEREST:
        kinds.append(Preference.Kind.PUBLIC_INTEREST)
    if not is_external:
        kinds.append(Preference.Kind.INTERNAL)
    return kinds


def best_preference(instrument, kinds) -> Preference | None:
    """The largest discount among the unit's and the platform's rates for these classes; on a
    tie the unit's own rate is named."""
    if not kinds:
        return None
    return (
        Preference.objects.filter(Q(unit_id=instrument.owner_id) | Q(unit__isnull=True), kind__in=kinds)
        .order_by("-discount_percent", "unit_id")
        .first()
    )


def quote(
    *,
    instrument,
    mode: str,
    organisation,
    is_external: bool,
    service_purpose: str,
    hours: Decimal | None = None,
    samples: int | None = None,
    items: int | None = None,
) -> Quote:
    standard = standard_for(instrument, mode)
    if standard is None:
        return Quote(None, [_("No fee standard is published for this service; the unit states the fee.")])
    lines = []
    total = Decimal("0")
    if standard.startup:
        lines.append(_("Start-up fee: %(amount)s yuan") % {"amount": standard.startup})
        total += standard.startup
    if mode == Order.Mode.MACHINE_TIME:
        part = standard.per_hour * hours
        lines.append(
            _("Machine time: %(hours)s h × %(rate)s yuan/h = %(amount)s yuan")
            % {"hours": hours.normalize(), "rate": standard.per_hour, "amount": yuan(part)}
        )
        total += part
    else:
        per_sample = standard.per_sample + standard.per_item * items
        part = per_sample * samples
        lines.append(
            _("Samples: %(samples)s × (%(per_sample)s + %(items)s items × %(per_item)s) yuan = %(amount)s yuan")
            % {
                "samples": samples,
                "per_sample": standard.per_sample,
                "items": items,
                "per_item": standard.per_item,
                "amount": yuan(part),
            }
        )
        total += part
    total = yuan(total)
    preference = best_preference(
        instrument,
        preference_classes(organisation=organisation, is_external=is_external, service_purpose=service_purpose),
    )
    if preference is not None and preference.discount_percent:
        off = yuan(total * preference.discount_percent / 100)
        lines.append(
            _("Preferential rate for %(kind)s (%(by)s): −%(percent)s%% = −%(amount)s yuan")
            % {
                "kind": preference.get_kind_display(),
                "by": preference.unit.name if preference.unit_id else _("platform"),
                "percent": preference.discount_percent.normalize(),
                "amount": off,
            }
        )
        total = max(total - off, Decimal("0.00"))
    lines.append(_("Total: %(amount)s yuan") % {"amount": total})
    return Quote(total, lines)


def quote_for_order(order: Order, *, hours=None) -> Quote:
    if order.mode == Order.Mode.MACHINE_TIME and hours is None:
        hours = Decimal((order.ends_at - order.starts_at).total_seconds()) / 3600
    return quote(
        instrument=order.instrument,
        mode=order.mode,
        organisation=order.organisation,
        is_external=order.is_external,
        service_purpose=order.service_purpose,
        hours=hours,
        samples=order.sample_count,
        items=len(split_test_items(order.test_items)),
    )


def split_test_items(text: str) -> list[str]:
    """Test items are written one a line or separated by commas."""
    return [item.strip() for item in re.split(r"[\n,，;；、]", text or "") if item.strip()]
