from datetime import date
from decimal import Decimal

import pytest

from dayi.catalog.models import Instrument, InstrumentClass
from dayi.catalog.services import category_for_class
from dayi.search import indexing

from .catalogue import INSTRUMENTS


@pytest.fixture
def publish(unit, qingjiangpu):
    """Creates approved, public instruments straight in the database (the catalogue's own
    services are tested elsewhere), indexes them, and returns them."""

    def make(rows, owner=None, **fields):
        fields.setdefault("entry_status", Instrument.EntryStatus.APPROVED)
        created = []
        for number, (key, name, name_en, code, model, maker, functions) in enumerate(rows):
            created.append(
                Instrument.objects.create(
                    name=name,
                    name_en=name_en,
                    owner=owner or unit,
                    inventory_number=f"{key}-{number}",
                    instrument_class=InstrumentClass.objects.get(pk=code),
                    category=category_for_class(code),
                    purpose="general",
                    model_number=model,
                    manufacturer=maker,
                    original_value=Decimal("800000") + number * Decimal("50000"),
                    acceptance_date=date(2023, 1, 1),
                    funding="local_fiscal",
                    region=qingjiangpu,
                    main_functions=functions,
                    **fields,
                )
            )
        indexing.index_instruments([i.pk for i in created])
        return created

    return make


@pytest.fixture
def catalogue(publish):
    """The relevance test's catalogue, keyed like tests/catalogue.py."""
    instruments = publish(INSTRUMENTS)
    return {row[0]: instrument for row, instrument in zip(INSTRUMENTS, instruments, strict=True)}
