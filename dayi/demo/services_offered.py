"""Booking rules, opening hours and fee standards for the demo city's shared instruments, so
that a visitor can book machine time or send samples on first start. The amounts are
illustrative demo prices scaled by instrument value, not figures from the source documents."""

import random
from datetime import time
from decimal import Decimal

from dayi.booking.models import BookingRules, FeeStandard, OpeningHours, Order, Preference
from dayi.catalog.models import Instrument

MORNING = (time(8, 30), time(12, 0))
AFTERNOON = (time(13, 30), time(17, 30))

# (value from, per hour, per sample, start-up) in yuan; the first band whose floor is reached.
PRICE_BANDS = [
    (Decimal("5000000"), Decimal("800"), Decimal("600"), Decimal("200")),
    (Decimal("1000000"), Decimal("300"), Decimal("260"), Decimal("100")),
    (Decimal("500000"), Decimal("150"), Decimal("120"), Decimal("50")),
    (Decimal("0"), Decimal("80"), Decimal("60"), Decimal("0")),
]

# Platform-wide preferential rates of the demo (per cent off).
DEMO_PREFERENCES = {
    Preference.Kind.SMALL_MICRO: Decimal("20"),
    Preference.Kind.STARTUP_TEAM: Decimal("30"),
    Preference.Kind.PUBLIC_INTEREST: Decimal("15"),
}


def _prices(value: Decimal):
    return next(band[1:] for band in PRICE_BANDS if value >= band[0])


def offer_services(rng: random.Random) -> int:
    """Publish the services of every shared, working instrument; returns how many."""
    shared = list(
        Instrument.objects.public()
        .filter(usage_status=Instrument.UsageStatus.IN_USE)
        .exclude(sharing_mode=Instrument.SharingMode.NONE)
        .only("id", "original_value", "sharing_mode", "offers_machine_time", "offers_sample_testing")
    )
    rules, hours, fees = [], [], []
    for instrument in shared:
        per_hour, per_sample, startup = _prices(instrument.original_value)
        if instrument.offers_machine_time:
            rules.append(
                BookingRules(
                    instrument=instrument,
                    needs_approval=rng.random() < 0.7,
                    training_required=rng.random() < 0.3,
                    lead_hours=rng.choice([2, 24]),
                    allow_external=instrument.sharing_mode == Instrument.SharingMode.EXTERNAL,
                )
            )
            hours += [
                OpeningHours(instrument=instrument, weekday=day, opens=opens, closes=closes)
                for day in range(5)
                for opens, closes in (MORNING, AFTERNOON)
            ]
            fees.append(
                FeeStandard(instrument=instrument, mode=Order.Mode.MACHINE_TIME, per_hour=per_hour, startup=startup)
            )
        if instrument.offers_sample_testing:
            fees.append(
                FeeStandard(
                    instrument=instrument,
                    mode=Order.Mode.SAMPLE_TESTING,
                    per_sample=per_sample,
                    per_item=(per_sample / 4).quantize(Decimal("1")),
                    startup=startup,
                )
            )
    BookingRules.objects.bulk_create(rules, batch_size=1000)
    OpeningHours.objects.bulk_create(hours, batch_size=2000)
    FeeStandard.objects.bulk_create(fees, batch_size=1000)
    Preference.objects.bulk_create(
        [Preference(unit=None, kind=kind, discount_percent=percent) for kind, percent in DEMO_PREFERENCES.items()]
    )
    return len(shared)
