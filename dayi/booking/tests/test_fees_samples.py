"""Fee standards, preferential rates and quotes; sample testing orders and their rules."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from dayi.booking.configuration import save_fee_standard, save_preferences
from dayi.booking.fees import quote
from dayi.booking.models import FeeStandard, Order
from dayi.booking.samples import create_sample_order
from dayi.booking.services import accept_order, book_slot, complete_order, start_service
from dayi.core.errors import DomainError, PermissionDenied

from .conftest import NOW, at

WEDNESDAY = date(2026, 6, 3)


def fee(**values):
    return {"per_hour": None, "per_sample": None, "per_item": None, "startup": None, "note": "", **values}


def sample(actor, instrument, **overrides):
    values = {
        "sample_count": 3,
        "test_items": "表面形貌\nEDS 元素分析",
        "sample_description": "铝合金块，10×10×5 mm",
        "hazard": "none",
        "disposal": "return",
        "purpose": "新材料研发",
        "service_purpose": "enterprise_rnd",
    }
    values.update(overrides)
    return create_sample_order(actor=actor, instrument=instrument, **values)


def test_a_machine_time_quote_with_start_up_fee_and_the_best_preference(bookable, trained, unit_admin, operator):
    save_fee_standard(
        actor=unit_admin,
        instrument=bookable,
        mode="machine_time",
        data=fee(per_hour=Decimal("300"), startup=Decimal("50")),
    )
    save_preferences(actor=operator, unit=None, discounts={"small_micro": Decimal("20")})
    save_preferences(actor=unit_admin, unit=bookable.owner, discounts={"small_micro": Decimal("30")})
    order = book_slot(
        actor=trained,
        instrument=bookable,
        starts_at=at(WEDNESDAY, 9),
        ends_at=at(WEDNESDAY, 10, 30),
        purpose="测",
        now=NOW,
    )
    # (50 + 1.5 h × 300) = 500, small and micro enterprise −30 % (the unit's rate beats the platform's 20 %)
    assert order.quoted_fee == Decimal("350.00")
    assert "1.5" in order.fee_working and "淮阴工学院" in order.fee_working and "350.00" in order.fee_working


def test_a_sample_quote_and_public_interest(bookable, trained, unit_admin, operator):
    save_fee_standard(
        actor=unit_admin,
        instrument=bookable,
        mode="sample_testing",
        data=fee(per_sample=Decimal("100"), per_item=Decimal("40.50"), startup=Decimal("0")),
    )
    save_preferences(actor=operator, unit=None, discounts={"public_interest": Decimal("50")})
    trained.organisation.is_small_micro = False
    trained.organisation.save()
    result = quote(
        instrument=bookable,
        mode="sample_testing",
        organisation=trained.organisation,
        is_external=True,
        service_purpose="public_interest",
        samples=3,
        items=2,
    )
    assert result.amount == Decimal("271.50")  # 3 × (100 + 2 × 40.50) = 543, −50 %
    order = sample(trained, bookable)
    assert order.quoted_fee == Decimal("543.00")
    assert order.test_items == "表面形貌\nEDS 元素分析"


def test_fees_cannot_be_negative(bookable, unit_admin):
    with pytest.raises(DomainError):
        save_fee_standard(actor=unit_admin, instrument=bookable, mode="machine_time", data=fee(per_hour=Decimal("-1")))
    with pytest.raises(IntegrityError), transaction.atomic():
        FeeStandard.objects.create(instrument=bookable, mode="machine_time", per_hour=Decimal("-1"))


def test_who_sets_fees_and_preferences(bookable, other_unit_admin, manager, unit_admin):
    with pytest.raises(PermissionDenied):
        save_fee_standard(actor=other_unit_admin, instrument=bookable, mode="machine_time", data=fee())
    with pytest.raises(PermissionDenied):
        save_preferences(actor=unit_admin, unit=None, discounts={})
    with pytest.raises(PermissionDenied):
        save_preferences(actor=manager, unit=bookable.owner, discounts={})
    with pytest.raises(DomainError):
        save_preferences(actor=unit_admin, unit=bookable.owner, discounts={"internal": Decimal("120")})


def test_the_sample_order_flow(bookable, trained, manager):
    order = sample(trained, bookable)
    assert order.status == Order.Status.SUBMITTED and order.starts_at is None
    accept_order(actor=manager, order=order)
    assert Order.objects.get(pk=order.pk).status == Order.Status.ACCEPTED
    start_service(actor=manager, order=order)
    assert complete_order(actor=manager, order=order, final_fee="300").status == Order.Status.COMPLETED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"sample_count": 0}, "sample_count"),
        ({"sample_count": 5000}, "sample_count"),
        ({"test_items": " , "}, "test_items"),
        ({"sample_description": " "}, "sample_description"),
        ({"hazard": "maybe"}, "hazard"),
        ({"hazard": "chemical"}, "hazard_details"),
        ({"disposal": ""}, "disposal"),
        ({"purpose": ""}, "purpose"),
    ],
)
def test_sample_orders_refuse_missing_declarations(bookable, trained, overrides, field):
    with pytest.raises(DomainError) as caught:
        sample(trained, bookable, **overrides)
    assert caught.value.field == field
    assert not Order.objects.exists()


def test_sample_testing_must_be_offered(make_bookable, trained):
    instrument = make_bookable(offers_sample_testing=False)
    with pytest.raises(DomainError) as caught:
        sample(trained, instrument)
    assert "送样检测" in caught.value.message
