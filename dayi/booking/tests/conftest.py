"""A bookable instrument, its staff and its users, on fixed dates of the official calendar."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from dayi.accounts.models import Organisation, Role
from dayi.booking.configuration import RULE_FIELDS, grant_qualification, save_rules, set_opening_hours
from dayi.booking.models import BookingRules
from dayi.lifecycle.services import approve_entry, submit_for_entry

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday in an ordinary week: the week after is ordinary too (no holiday until 2026-10-01).
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI)


@pytest.hookimpl(trylast=True)
def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def default_rules(**overrides):
    values = {field.name: field.default for field in BookingRules._meta.fields if field.name in RULE_FIELDS}
    values.update(overrides)
    return values


@pytest.fixture
def manager(make_user, unit):
    return make_user("manager", role=Role.INSTRUMENT_MANAGER, organisation=unit)


@pytest.fixture
def company(qingjiangpu):
    return Organisation.objects.create(
        name="淮安精工科技有限公司", category=Organisation.Category.ENTERPRISE, region=qingjiangpu, is_small_micro=True
    )


@pytest.fixture
def researcher(make_user, company):
    return make_user("researcher", organisation=company, display_name="王工")


@pytest.fixture
def make_bookable(make_instrument, unit_admin, operator):
    def make(rules=None, **fields):
        fields.setdefault("offers_machine_time", True)
        instrument = make_instrument(**fields)
        submit_for_entry(actor=unit_admin, instrument=instrument)
        approve_entry(actor=operator, instrument=instrument)
        instrument.refresh_from_db()
        save_rules(actor=unit_admin, instrument=instrument, data=default_rules(**(rules or {})))
        set_opening_hours(
            actor=unit_admin,
            instrument=instrument,
            windows=[(day, time(8, 0), time(12, 0)) for day in range(5)]
            + [(day, time(13, 30), time(17, 30)) for day in range(5)],
        )
        return instrument

    return make


@pytest.fixture
def bookable(make_bookable):
    return make_bookable()


@pytest.fixture
def trained(bookable, researcher, unit_admin):
    grant_qualification(actor=unit_admin, instrument=bookable, user=researcher)
    return researcher


def pdf_bytes(pages=1) -> bytes:
    """A real, minimal PDF."""
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=200, height=200)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.DAYI_PRIVATE_ROOT = str(tmp_path / "private")


@pytest.fixture
def served(bookable, trained, manager):
    """A machine-time order at the instrument: booked, accepted and started."""
    from dayi.booking.services import accept_order, book_slot, start_service

    order = book_slot(
        actor=trained,
        instrument=bookable,
        starts_at=at(date(2026, 6, 3), 9),
        ends_at=at(date(2026, 6, 3), 11),
        purpose="截面形貌",
        now=NOW,
    )
    accept_order(actor=manager, order=order)
    return start_service(actor=manager, order=order)
