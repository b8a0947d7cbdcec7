"""Sample testing (送样检测): the user sends samples, the unit's staff test them and upload the
report. No slot is held; the unit accepts each order after checking what is declared."""

from django.db import transaction
from django.utils.translation import gettext as _

from dayi.audit import services as audit
from dayi.catalog.models import Instrument
from dayi.core.errors import DomainError, PermissionDenied

from . import checks, fees
from .models import BookingRules, Order
from .services import announce

MAX_SAMPLES = 1000


def _check_instrument(instrument: Instrument) -> None:
    rule = _("sample testing")
    if not instrument.is_public or instrument.sharing_mode == Instrument.SharingMode.NONE:
        checks.refuse(rule, _("this instrument is not open for sharing."))
    if not instrument.offers_sample_testing:
        checks.refuse(rule, _("this instrument does not offer sample testing."))
    if instrument.usage_status != Instrument.UsageStatus.IN_USE:
        checks.refuse(rule, _("the instrument is %(status)s.") % {"status": instrument.get_usage_status_display()})


def _check_user(actor, instrument: Instrument) -> bool:
    """External users may send samples unless the instrument is for its own unit only."""
    is_external = actor.organisation_id != instrument.owner_id
    rules = BookingRules.objects.filter(instrument=instrument).first()
    closed_to_outsiders = instrument.sharing_mode == Instrument.SharingMode.INTERNAL or (
        rules is not None and not rules.allow_external
    )
    if is_external and closed_to_outsiders:
        checks.refuse(
            _("who may book"), _("this instrument is open to members of %(unit)s only.") % {"unit": instrument.owner}
        )
    return is_external


def check_sample_details(
    *, sample_count, test_items: str, sample_description: str, hazard: str, hazard_details: str, disposal: str
) -> list[str]:
    if sample_count is None or sample_count < 1:
        raise DomainError(_("Send at least one sample."), field="sample_count")
    if sample_count > MAX_SAMPLES:
        raise DomainError(
            _("One order holds at most %(count)s samples; split larger batches.") % {"count": MAX_SAMPLES},
            field="sample_count",
        )
    items = fees.split_test_items(test_items)
    if not items:
        raise DomainError(_("Name at least one test item."), field="test_items")
    if not sample_description.strip():
        raise DomainError(_("Describe the samples: material, form, size."), field="sample_description")
    if hazard not in Order.Hazard.values:
        raise DomainError(_("Declare whether the samples are hazardous."), field="hazard")
    if hazard != Order.Hazard.NONE and not hazard_details.strip():
        raise DomainError(
            _("Say what the hazard is and how to handle it; the staff read it before opening the samples."),
            field="hazard_details",
        )
    if disposal not in Order.Disposal.values:
        raise DomainError(_("Choose whether the samples come back or are disposed of."), field="disposal")
    return items


def create_sample_order(
    *,
    actor,
    instrument: Instrument,
    sample_count: int,
    test_items: str,
    sample_description: str,
    hazard: str,
    disposal: str,
    purpose: str,
    hazard_details: str = "",
    service_purpose: str = Order.ServicePurpose.RESEARCH,
    note: str = "",
) -> Order:
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to send samples."))
    _check_instrument(instrument)
    is_external = _check_user(actor, instrument)
    purpose = purpose.strip()
    if not purpose:
        raise DomainError(_("Say what the testing is for."), field="purpose")
    items = check_sample_details(
        sample_count=sample_count,
        test_items=test_items,
        sample_description=sample_description,
        hazard=hazard,
        hazard_details=hazard_details,
        disposal=disposal,
    )
    quote = fees.quote(
        instrument=instrument,
        mode=Order.Mode.SAMPLE_TESTING,
        organisation=actor.organisation,
        is_external=is_external,
        service_purpose=service_purpose,
        samples=sample_count,
        items=len(items),
    )
    with transaction.atomic():
        order = Order.objects.create(
            instrument=instrument,
            user=actor,
            organisation_id=actor.organisation_id,
            mode=Order.Mode.SAMPLE_TESTING,
            is_external=is_external,
            purpose=purpose,
            service_purpose=service_purpose,
            sample_count=sample_count,
            test_items="\n".join(items),
            sample_description=sample_description.strip(),
            hazard=hazard,
            hazard_details=hazard_details.strip(),
            disposal=disposal,
            quoted_fee=quote.amount,
            fee_working=quote.working,
            note=note.strip(),
        )
        audit.record(
            actor=actor,
            action="order.submitted",
            target=order,
            changes={
                "instrument": instrument.pk,
                "mode": order.mode,
                "sample_count": sample_count,
                "hazard": hazard,
                "quoted_fee": str(quote.amount),
            },
        )
        announce(order, _("waits for the instrument manager's approval"), staff_too=True)
    return order
