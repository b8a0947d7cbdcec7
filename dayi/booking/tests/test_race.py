"""A slot can never be booked twice, even when many people press "book" at the same moment."""

import os
import threading
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from dayi.booking.configuration import grant_qualification
from dayi.booking.models import Order
from dayi.booking.services import book_slot, slot_taken_message
from dayi.core.errors import DomainError

from .conftest import NOW, at

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The server allows 100 connections and the suite runs on two workers (and other suites may
# share the server), so at most this many attempts hold a connection at once; all of them are
# released by one barrier, so the first wave is a true race and the rest queue behind it.
MAX_CONNECTIONS = int(os.environ.get("DAYI_RACE_CONNECTIONS", "40"))


def race(instrument, people, attempts):
    start, end = at(date(2026, 6, 3), 9), at(date(2026, 6, 3), 11)
    barrier = threading.Barrier(attempts)
    gate = threading.BoundedSemaphore(min(attempts, MAX_CONNECTIONS))
    outcomes = []

    def attempt(person):
        barrier.wait()
        with gate:
            try:
                book_slot(actor=person, instrument=instrument, starts_at=start, ends_at=end, purpose="抢约", now=NOW)
                outcomes.append("booked")
            except DomainError as error:
                outcomes.append(error.message)
            except Exception as error:
                outcomes.append(f"server error: {error!r}")
            finally:
                connection.close()

    threads = [threading.Thread(target=attempt, args=(people[i % len(people)],)) for i in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return outcomes


@pytest.fixture
def racers(make_bookable, make_user, company, unit_admin):
    instrument = make_bookable(rules={"needs_approval": False})
    people = [make_user(f"racer{i}", organisation=company) for i in range(20)]
    for person in people:
        grant_qualification(actor=unit_admin, instrument=instrument, user=person)
    return instrument, people


def assert_one_winner(instrument, outcomes, attempts):
    assert len(outcomes) == attempts
    assert outcomes.count("booked") == 1, [o for o in outcomes if o != "booked"][:3]
    # The racing threads speak the default language, whatever an earlier test left active here.
    with translation.override(settings.LANGUAGE_CODE):
        refusal = slot_taken_message()
    assert all(o == refusal for o in outcomes if o != "booked"), set(outcomes)
    assert Order.objects.filter(instrument=instrument).count() == 1


@pytest.mark.postgres
def test_200_simultaneous_attempts_on_postgresql_one_wins(racers):
    if connection.vendor != "postgresql":
        pytest.skip(
            "the 200-way race needs PostgreSQL's concurrent writers; the PostgreSQL pass of scripts/test runs it"
        )
    instrument, people = racers
    outcomes = race(instrument, people, 200)
    assert_one_winner(instrument, outcomes, 200)


def test_simultaneous_attempts_on_any_database_one_wins(racers):
    """SQLite serializes the check and the insert in one IMMEDIATE transaction."""
    instrument, people = racers
    outcomes = race(instrument, people, 20)
    assert_one_winner(instrument, outcomes, 20)


@pytest.mark.postgres
def test_the_database_refuses_an_overlap_that_skips_the_service(racers):
    """The exclusion constraint holds even for a writer that never checks (an import, the admin)."""
    if connection.vendor != "postgresql":
        pytest.skip("exclusion constraints exist on PostgreSQL only")
    from django.db import IntegrityError, transaction

    instrument, people = racers
    fields = {"instrument": instrument, "mode": "machine_time", "is_external": True, "purpose": "直接写入"}
    Order.objects.create(user=people[0], starts_at=at(date(2026, 6, 3), 9), ends_at=at(date(2026, 6, 3), 11), **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.create(
            user=people[1], starts_at=at(date(2026, 6, 3), 10), ends_at=at(date(2026, 6, 3), 12), **fields
        )
    Order.objects.create(user=people[1], starts_at=at(date(2026, 6, 3), 11), ends_at=at(date(2026, 6, 3), 12), **fields)
    Order.objects.create(
        user=people[2],
        status="cancelled",
        starts_at=at(date(2026, 6, 3), 9),
        ends_at=at(date(2026, 6, 3), 11),
        **fields,
    )
