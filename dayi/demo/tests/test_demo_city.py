from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from dayi.accounts.models import Organisation, Role, RoleGrant, User
from dayi.audit.models import AuditEntry
from dayi.booking.models import BookingRules, FeeStandard
from dayi.booking.services import book_slot
from dayi.catalog.models import Category, Instrument, InstrumentClass, Theme, YearlyUsage
from dayi.catalog.services import category_for_class
from dayi.core.workdays import add_working_days
from dayi.demo import credit_codes
from dayi.demo.builder import CityBuilder, unit_count
from dayi.demo.instruments import all_templates
from dayi.demo.people import DEMO_PASSWORD
from dayi.demo.themes import THEMES
from dayi.search.models import SearchDocument
from dayi.workcalendar.services import DayKind, day_kind

TODAY = date(2026, 11, 25)
SEED_001_VALUE = Decimal("270000000")


@pytest.fixture
def city(db):
    return CityBuilder(seed=7, scale=600, today=TODAY).build()


def test_default_city_matches_seed_001(city):
    units = Organisation.objects.filter(is_management_unit=True)
    assert units.count() == 28
    assert units.filter(is_third_party_operator=True).exists()
    instruments = Instrument.objects.all()
    assert instruments.count() >= 600
    assert city.instruments == instruments.count()
    assert Category.objects.annotate(n=Count("instruments")).filter(n=0).count() == 0
    total = instruments.aggregate(total=Sum("original_value"))["total"]
    assert abs(total - SEED_001_VALUE) <= SEED_001_VALUE / 10
    assert 0.02 <= instruments.filter(is_pilot_scale=True).count() / instruments.count() <= 0.09
    assert instruments.public().count() > 0.8 * instruments.count()
    assert instruments.filter(is_confidential=True).exists()
    assert set(instruments.values_list("entry_status", flat=True)) == set(Instrument.EntryStatus.values)
    assert AuditEntry.objects.filter(action="demo.built").count() == 1


def test_every_record_is_valid(city):
    categories = list(Category.objects.all())
    assert not Instrument.objects.exclude(instrument_class__is_assignable=True).exists()
    for instrument in Instrument.objects.select_related("category").order_by("id")[::23]:
        instrument.full_clean()
        assert instrument.category == category_for_class(instrument.instrument_class_id, categories)
        assert 1 <= instrument.disciplines.count() <= 4
        assert instrument.themes.exists()
        if instrument.is_public:
            assert instrument.approved_at and instrument.acceptance_date < instrument.approved_at.date()
    for organisation in Organisation.objects.all():
        organisation.full_clean()
        assert credit_codes.is_valid(organisation.credit_code)
    assert YearlyUsage.objects.filter(year=TODAY.year - 1).exists()
    assert Theme.objects.filter(slug__in=[slug for slug, *_ in THEMES.values()]).count() == 11


def test_every_role_has_a_user_with_the_demo_password(city):
    granted = set(RoleGrant.objects.values_list("role", flat=True))
    assert granted == set(Role.values)
    assert RoleGrant.objects.filter(role=Role.AUTHORITY, region__code="320800").exists()
    assert RoleGrant.objects.filter(role=Role.AUTHORITY, region__level=3).exists()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    unit_admin = User.objects.get(username="admin_hyit")
    assert unit_admin.organisation.name == "淮阴工学院"
    assert unit_admin.check_password(DEMO_PASSWORD)
    users = User.objects.filter(role_grants__isnull=True, is_superuser=False)
    assert users.filter(organisation__is_tech_sme=True).exists()
    assert users.filter(organisation__is_small_micro=True).exists()


def _built_names(seed):
    with transaction.atomic():
        CityBuilder(seed=seed, scale=600, today=TODAY).build()
        names = list(
            Instrument.objects.order_by("owner__short_name", "inventory_number").values_list(
                "inventory_number", "name", "model_number", "original_value"
            )
        )
        transaction.set_rollback(True)
    return names


def test_same_seed_same_city(db):
    first = _built_names(11)
    assert first == _built_names(11)
    assert first != _built_names(12)


def test_templates_use_assignable_codes_and_fit_the_field_limits(db):
    assignable = set(InstrumentClass.objects.filter(is_assignable=True).values_list("code", flat=True))
    for template in all_templates():
        assert template.code in assignable, template.name
        assert len(template.specs) <= 500 and len(template.functions) <= 300, template.name
        assert set(template.themes) <= set(THEMES), template.name
        assert template.low < template.high


def test_benchmark_scale_grows_the_units_and_can_skip_people(db):
    assert unit_count(600) == 28
    assert unit_count(30_000) == 1498
    result = CityBuilder(seed=1, scale=1200, with_people=False, today=TODAY).build()
    assert result.instruments == Instrument.objects.count() == 1200
    assert result.units == Organisation.objects.filter(is_management_unit=True).count() == 58
    assert not User.objects.exists()


def test_command_builds_once_indexes_for_search_and_if_empty_prints_the_accounts_again(db):
    out = StringIO()
    call_command("demo_city", "--scale", "60", stdout=out)
    assert Instrument.objects.count() == 60
    assert SearchDocument.objects.count() == 60
    assert DEMO_PASSWORD in out.getvalue() and "admin_hyit" in out.getvalue()
    again = StringIO()
    call_command("demo_city", "--if-empty", stdout=again)
    assert Instrument.objects.count() == 60
    assert "operator" in again.getvalue()
    with pytest.raises(CommandError, match="already holds 60"):
        call_command("demo_city", stdout=StringIO())


def test_credit_code_check_character():
    assert credit_codes.is_valid("91350100M000100Y43")
    assert not credit_codes.is_valid("91350100M000100Y44")
    assert credit_codes.is_valid(credit_codes.credit_code("12", "320800", 12345678))


def test_shared_instruments_can_be_booked_and_are_priced(city):
    rules = BookingRules.objects.filter(training_required=False, allow_external=True).select_related("instrument")
    assert rules.exists()
    assert FeeStandard.objects.filter(mode="sample_testing").exists()
    rule = rules.first()
    company = Organisation.objects.filter(is_user_organisation=True, is_management_unit=False).first()
    person = User.objects.filter(organisation=company).first()
    day = add_working_days(TODAY, 3)
    while day_kind(day) != DayKind.ORDINARY:
        day += timedelta(days=1)
    starts_at = datetime(day.year, day.month, day.day, 9, tzinfo=timezone.get_current_timezone())
    order = book_slot(
        actor=person,
        instrument=rule.instrument,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        purpose="演示预约",
        now=starts_at - timedelta(days=3),
    )
    assert order.quoted_fee > 0 and order.fee_working
