"""Fixtures for the catalogue pages: published instruments made quickly."""

from decimal import Decimal

import pytest
from django.utils import timezone

from dayi.catalog.models import Instrument, InstrumentClass


@pytest.fixture
def publish():
    """Marks records as approved network entries. The entry workflow itself is tested in
    dayi.lifecycle; the pages only need records in that state."""

    def publish(*instruments):
        Instrument.objects.filter(pk__in=[i.pk for i in instruments]).update(
            entry_status=Instrument.EntryStatus.APPROVED, approved_at=timezone.now()
        )
        for instrument in instruments:
            instrument.refresh_from_db()
        return instruments[0] if len(instruments) == 1 else instruments

    return publish


@pytest.fixture
def make_public(make_instrument, publish):
    def make(**overrides):
        if "class_code" in overrides:
            overrides["instrument_class"] = InstrumentClass.objects.get(pk=overrides.pop("class_code"))
        overrides.setdefault("original_value", Decimal("800000"))
        return publish(make_instrument(**overrides))

    return make
