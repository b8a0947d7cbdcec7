"""Writes to the catalogue. Every change checks the person's scope and leaves an audit entry."""

from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dayi.accounts.permissions import scope_of
from dayi.audit import services as audit
from dayi.core.errors import DomainError, PermissionDenied

from .models import Category, Instrument, InstrumentClass, YearlyUsage

MAX_DISCIPLINES = 4

# The fields a unit edits on its own record; entry status and timestamps move only through
# the network-entry workflow (dayi.lifecycle).
EDITABLE_FIELDS = [
    "name",
    "name_en",
    "operator",
    "inventory_number",
    "is_pilot_scale",
    "instrument_class",
    "source",
    "customs_supervised",
    "purpose",
    "model_number",
    "manufacturer",
    "country",
    "original_value",
    "purchase_date",
    "acceptance_date",
    "funding",
    "technical_specs",
    "main_functions",
    "service_content",
    "typical_outcomes",
    "sharing_mode",
    "running_status",
    "usage_status",
    "offers_machine_time",
    "offers_sample_testing",
    "offers_joint_rd",
    "offers_leasing",
    "fee_standard",
    "opening_hours",
    "cma_certified",
    "cnas_accredited",
    "region",
    "location",
    "contact_name",
    "contact_phone",
    "contact_email",
    "is_confidential",
]


def assignable_class(code: str) -> InstrumentClass:
    """The class for a 6-digit code, which must exist and be a leaf or an 'other' code."""
    code = (code or "").strip()
    found = InstrumentClass.objects.filter(pk=code).first()
    if found is None:
        raise DomainError(_("Class code %(code)s does not exist in the national table.") % {"code": code})
    if not found.is_assignable:
        raise DomainError(
            _("Class code %(code)s (%(name)s) is not a leaf class; choose one of its sub-classes.")
            % {"code": code, "name": found.name}
        )
    return found


CATEGORIES_CACHE_KEY = "catalog:categories"


def all_categories() -> list[Category]:
    """The city categories, from the shared cache: read on every save of an instrument, changed
    rarely (the cache is cleared when one is saved, see signals.py)."""
    return cache.get_or_set(CATEGORIES_CACHE_KEY, lambda: list(Category.objects.all()), timeout=3600)


def category_for_class(code: str, categories=None) -> Category | None:
    """The city category whose longest code prefix matches the class code."""
    best, best_length = None, 0
    for category in categories if categories is not None else all_categories():
        for prefix in category.prefixes():
            if code.startswith(prefix) and len(prefix) > best_length:
                best, best_length = category, len(prefix)
    return best


def _check_can_edit(actor, owner_id, instrument=None):
    if scope_of(actor).can_administer_unit(owner_id):
        return
    if instrument is not None:
        # A refused edit is evidence too; it is recorded outside the refused transaction.
        audit.record(actor=actor, action="instrument.edit_refused", target=instrument)
    raise PermissionDenied(_("You may only manage the instruments of your own unit."))


def _save_validated(instrument: Instrument, *, disciplines, themes):
    if disciplines is not None and len(disciplines) > MAX_DISCIPLINES:
        raise DomainError(_("At most 4 disciplines."), field="disciplines")
    instrument.category = category_for_class(instrument.instrument_class_id)
    try:
        instrument.full_clean()
    except ValidationError as error:
        raise DomainError(_format_validation(error)) from error
    instrument.save()
    if disciplines is not None:
        instrument.disciplines.set(disciplines)
    if themes is not None:
        instrument.themes.set(themes)


def _format_validation(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        labels = {f.name: str(f.verbose_name) for f in Instrument._meta.fields}
        return "；".join(
            " ".join(v) if k == NON_FIELD_ERRORS else f"{labels.get(k, k)}：{' '.join(v)}"
            for k, v in error.message_dict.items()
        )
    return " ".join(error.messages)


def _snapshot(instrument: Instrument) -> dict:
    return {name: getattr(instrument, f"{name}_id" if name in _FOREIGN_KEYS else name) for name in EDITABLE_FIELDS}


_FOREIGN_KEYS = {"operator", "instrument_class", "region"}


@transaction.atomic
def create_instrument(*, actor, owner, data: dict, disciplines=None, themes=None) -> Instrument:
    """A new draft instrument of `owner`; it is public only after network entry is approved."""
    _check_can_edit(actor, owner.pk)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    instrument = Instrument(owner=owner, created_by=actor if actor.is_authenticated else None, **data)
    _save_validated(instrument, disciplines=disciplines, themes=themes)
    audit.record(actor=actor, action="instrument.created", target=instrument, changes=_snapshot_strings(instrument))
    return instrument


def update_instrument(*, actor, instrument: Instrument, data: dict, disciplines=None, themes=None) -> Instrument:
    _check_can_edit(actor, instrument.owner_id, instrument)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    with transaction.atomic():
        locked = Instrument.objects.select_for_update().get(pk=instrument.pk)
        before = _snapshot(locked)
        for name, value in data.items():
            setattr(locked, name, value)
        _save_validated(locked, disciplines=disciplines, themes=themes)
        changes = audit.changed_fields(before, _snapshot(locked))
        if changes or disciplines is not None or themes is not None:
            audit.record(actor=actor, action="instrument.updated", target=locked, changes=changes)
    return locked


def _snapshot_strings(instrument: Instrument) -> dict:
    return audit.changed_fields({}, _snapshot(instrument))


USAGE_FIELDS = ("running_hours", "service_hours", "external_service_hours")
HOURS_IN_A_YEAR = Decimal(366 * 24)


def check_yearly_hours(*, year: int, running_hours, service_hours, external_service_hours) -> None:
    """Service hours are part of the running hours, and external service part of the service."""
    if not 1900 <= year <= 2100:
        raise DomainError(_("%(year)s is not a year.") % {"year": year})
    if max(running_hours, service_hours, external_service_hours) > HOURS_IN_A_YEAR:
        raise DomainError(_("A year has at most %(hours)s hours.") % {"hours": HOURS_IN_A_YEAR})
    if not external_service_hours <= service_hours <= running_hours:
        raise DomainError(_("In %(year)s: external service hours ≤ service hours ≤ running hours.") % {"year": year})


def hours_of(row: YearlyUsage) -> dict:
    return {name: getattr(row, name) for name in USAGE_FIELDS}


def usage_label(hours: dict) -> str:
    """ "1200.0/300.0/80.0": running, service and external service hours, as the exchange file writes them."""
    return "/".join(f"{Decimal(hours[name]):.1f}" for name in USAGE_FIELDS)


def report_yearly_usage(*, actor, instrument: Instrument, usage: dict[int, dict]) -> bool:
    """The yearly running and service hours the unit reports, {year: {field: hours}} for the
    years given; other years stay as they are. Answers whether anything changed."""
    _check_can_edit(actor, instrument.owner_id, instrument)
    changes = {}
    with transaction.atomic():
        current = {row.year: row for row in YearlyUsage.objects.select_for_update().filter(instrument=instrument)}
        for year, hours in sorted(usage.items()):
            check_yearly_hours(year=year, **hours)
            row = current.get(year)
            before = usage_label(hours_of(row)) if row else None
            if before == usage_label(hours):
                continue
            YearlyUsage.objects.update_or_create(instrument=instrument, year=year, defaults=hours)
            changes[str(year)] = [before, usage_label(hours)]
        if changes:
            audit.record(actor=actor, action="instrument.usage_reported", target=instrument, changes=changes)
    return bool(changes)
