"""Shandong pays vouchers for an instrument outside the province only "因省内仪器资源无法满足需求"
(seeds/003 §12). The source names no exception procedure, so the rule is checked against the
catalogue at payment: while a public instrument of the same national class (the leaf code) is
shared to external users in the rule set's region, the out-of-region rule refuses and names it."""

from django.utils.translation import gettext as _

from dayi.catalog.models import Instrument
from dayi.core.errors import DomainError


def local_alternative(region, instrument) -> Instrument | None:
    """A public, externally shared, not scrapped instrument of the same class inside `region`."""
    return (
        Instrument.objects.public()
        .filter(
            instrument_class_id=instrument.instrument_class_id,
            region__path__startswith=region.path,
            sharing_mode=Instrument.SharingMode.EXTERNAL,
        )
        .exclude(usage_status=Instrument.UsageStatus.SCRAPPED)
        .select_related("owner", "instrument_class")
        .order_by("pk")
        .first()
    )


def check(rule, instrument) -> str:
    """The working line of the check, or '' for a rule without the condition; refused while a
    local instrument fits."""
    if not rule.only_without_local_match:
        return ""
    region = rule.rule_set.region
    local = local_alternative(region, instrument)
    if local is not None:
        raise DomainError(
            _(
                "Under “%(rule)s”, vouchers pay for an instrument outside %(region)s only when none in "
                "%(region)s fits; “%(name)s” of %(owner)s (class %(class)s) is shared in %(region)s."
            )
            % {
                "rule": rule.name,
                "region": region.name,
                "name": local.name,
                "owner": local.owner.name,
                "class": local.instrument_class,
            },
            field="grant",
        )
    return _(
        "Catalogue checked: no public, shared instrument of class %(class)s in %(region)s; "
        "the out-of-region rule applies."
    ) % {"class": instrument.instrument_class, "region": region.name}
