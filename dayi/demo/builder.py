"""Builds the demo city in one transaction with bulk inserts: organisations, people, themes,
instruments with their disciplines and themes, and two years of usage.

The instruments are written directly rather than through catalog.services: a benchmark city
of 100,000 records cannot afford a validation and an audit row each. The class codes, the
categories and the value rules are the same ones the services apply, and one audit entry
("demo.built") records the build itself.
"""

import random
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from dayi.accounts.models import Organisation, Region, Role
from dayi.audit import services as audit
from dayi.catalog.models import Category, Discipline, Instrument, InstrumentClass, YearlyUsage
from dayi.catalog.services import category_for_class

from . import credit_codes
from .catalogue import CatalogueDrawer, UnitDraw
from .instruments import all_templates
from .organisations import (
    CITY_AUTHORITY,
    DISTRICT_AUTHORITY,
    OPERATOR_ORGANISATION,
    UNITS,
    USER_ORGANISATIONS,
    extra_unit_names,
    unit_kind,
)
from .people import EXPERT_UNITS, PeopleBuilder, person_name
from .services_offered import offer_services
from .themes import ensure_themes

DEFAULT_SCALE = 600
INSTRUMENTS_PER_UNIT = 20
BATCH = 2000
HUAIAN = "320800"
JIANGSU = "320000"


@dataclass
class BuildResult:
    units: int
    instruments: int
    total_value: Decimal
    categories: int
    users: int
    seconds: float


def unit_count(scale: int) -> int:
    """Huai'an's 28 units for the city; one more unit for every 20 instruments beyond it."""
    return len(UNITS) + max(0, scale - DEFAULT_SCALE) // INSTRUMENTS_PER_UNIT


class CityBuilder:
    def __init__(self, *, seed: int, scale: int, with_people: bool = True, today: date | None = None):
        self.rng = random.Random(seed)
        self.seed = seed
        self.scale = scale
        self.with_people = with_people
        self.today = today or timezone.localdate()
        self.regions = {r.code: r for r in Region.objects.filter(path__startswith=f"{JIANGSU}/")}
        self.people = PeopleBuilder(self.rng) if with_people else None

    @transaction.atomic
    def build(self) -> BuildResult:
        started = time.perf_counter()
        units = self._management_units()
        user_organisations = self._user_organisations()
        if self.people:
            self._staff(units, user_organisations)
            self.people.save()
        instruments = self._instruments(units)
        if self.with_people:
            self._yearly_usage(instruments)
            offer_services(self.rng)
        total = sum((i.original_value for i in instruments), Decimal("0"))
        result = BuildResult(
            units=len(units),
            instruments=len(instruments),
            total_value=total,
            categories=len({i.category_id for i in instruments}),
            users=len(self.people.users) if self.people else 0,
            seconds=time.perf_counter() - started,
        )
        audit.record(
            actor=None,
            action="demo.built",
            target=self.regions[HUAIAN],
            changes={
                "seed": self.seed,
                "scale": self.scale,
                "units": result.units,
                "instruments": result.instruments,
                "total_value": str(total),
                "users": result.users,
            },
        )
        return result

    # Organisations ----------------------------------------------------------------------------

    def _organisation(self, *, name, category, region_code, **fields):
        number = self.rng.randint(10_000_000, 99_999_999)
        return Organisation(
            name=name,
            category=category,
            region=self.regions[region_code],
            credit_code=credit_codes.credit_code(unit_kind(category), region_code, number),
            contact_name=person_name(self.rng),
            contact_phone=f"0517-{self.rng.randint(80000000, 89999999)}",
            **fields,
        )

    def _management_units(self) -> list[UnitDraw]:
        records, draws = [], []
        for spec in UNITS:
            records.append(
                self._organisation(
                    name=spec.name,
                    category=spec.category,
                    region_code=spec.region,
                    name_en=spec.name_en,
                    short_name=spec.short,
                    is_management_unit=True,
                    is_third_party_operator=spec.third_party,
                    address=spec.address,
                    contact_email=f"yqgx@{spec.domain}",
                    website=f"https://www.{spec.domain}/",
                )
            )
            draws.append((spec.short, spec.domain, spec.themes, spec.share))
        cities = sorted((r for r in self.regions.values() if r.level == Region.Level.CITY), key=lambda r: r.code)
        districts = {}
        for region in self.regions.values():
            if region.level == Region.Level.COUNTY:
                districts.setdefault(region.parent_id, []).append(region)
        extra = unit_count(self.scale) - len(UNITS)
        for number, (name, city_name, themes) in enumerate(extra_unit_names(extra, [c.name for c in cities]), 1):
            city = next(c for c in cities if c.name == city_name)
            region = self.rng.choice(sorted(districts.get(city.pk, [city]), key=lambda r: r.code))
            short = f"u{number:05d}"
            records.append(
                self._organisation(
                    name=name,
                    category=Organisation.Category.ENTERPRISE,
                    region_code=region.code,
                    short_name=short,
                    is_management_unit=True,
                    address=f"{region.full_name}科创大道{self.rng.randint(1, 999)}号",
                    contact_email=f"lab@{short}.demo.dayi.cn",
                )
            )
            draws.append((short, f"{short}.demo.dayi.cn", themes, 1.0))
        Organisation.objects.bulk_create(records, batch_size=BATCH)
        return [
            UnitDraw(
                organisation=record,
                short=short,
                domain=domain,
                themes=frozenset(themes.split()),
                share=share,
                contacts=[(person_name(self.rng), record.contact_phone) for _ in range(2)],
            )
            for record, (short, domain, themes, share) in zip(records, draws, strict=True)
        ]

    def _user_organisations(self) -> dict[str, Organisation]:
        records = []
        for name, _ in USER_ORGANISATIONS:
            enterprise = name.endswith("有限公司")
            category = (
                Organisation.Category.ENTERPRISE
                if enterprise
                else Organisation.Category.UNIVERSITY
                if "学" in name
                else Organisation.Category.INSTITUTE
            )
            records.append(
                self._organisation(
                    name=name,
                    category=category,
                    region_code=self.rng.choice(["320812", "320871", "320804", "320803", "320813"]),
                    is_tech_sme=enterprise and self.rng.random() < 0.6,
                    is_small_micro=enterprise and self.rng.random() < 0.5,
                    is_startup_team=self.rng.random() < (0.15 if enterprise else 0.02) or name.endswith("团队"),
                    address=f"淮安市{self.rng.choice(['枚乘路', '翔宇大道', '淮海路', '深圳路'])}"
                    f"{self.rng.randint(1, 300)}号",
                )
            )
        for name, region_code in (CITY_AUTHORITY, DISTRICT_AUTHORITY):
            records.append(
                self._organisation(
                    name=name, category=Organisation.Category.OTHER, region_code=region_code, is_user_organisation=False
                )
            )
        Organisation.objects.bulk_create(records, batch_size=BATCH)
        return {record.name: record for record in records}

    # People -----------------------------------------------------------------------------------

    def _staff(self, units: list[UnitDraw], organisations: dict[str, Organisation]):
        add = self.people.add
        add("admin", is_superuser=True, is_staff=True, display_name="系统管理员")
        add("operator", organisation=organisations[OPERATOR_ORGANISATION], role=Role.OPERATOR, is_staff=True)
        add("operator2", organisation=organisations[OPERATOR_ORGANISATION], role=Role.OPERATOR, is_staff=True)
        for username, (name, code) in (("authority_city", CITY_AUTHORITY), ("authority_qjp", DISTRICT_AUTHORITY)):
            add(username, organisation=organisations[name], role=Role.AUTHORITY, region=self.regions[code])
        for unit in units:
            add(f"admin_{unit.short}", organisation=unit.organisation, role=Role.UNIT_ADMIN, email_domain=unit.domain)
        for unit in units[: len(UNITS)]:
            manager = add(
                f"mgr_{unit.short}",
                organisation=unit.organisation,
                role=Role.INSTRUMENT_MANAGER,
                email_domain=unit.domain,
            )
            unit.contacts[0] = (manager.display_name, unit.contacts[0][1])
        by_short = {unit.short: unit for unit in units}
        for number, short in enumerate(EXPERT_UNITS, 1):
            unit = by_short[short]
            add(f"expert{number}", organisation=unit.organisation, role=Role.EXPERT, email_domain=unit.domain)
        for number, (name, _) in enumerate(USER_ORGANISATIONS, 1):
            if name != OPERATOR_ORGANISATION:
                add(f"user{number:02d}", organisation=organisations[name])

    # Instruments ------------------------------------------------------------------------------

    def _instruments(self, units: list[UnitDraw]) -> list[Instrument]:
        categories = list(Category.objects.all())
        templates = all_templates()
        codes = {t.code for t in templates}
        assignable = set(InstrumentClass.objects.filter(pk__in=codes, is_assignable=True).values_list("pk", flat=True))
        missing = codes - assignable
        if missing:
            raise ValueError(f"Demo templates use class codes that are not assignable: {sorted(missing)}")
        by_code = {code: category_for_class(code, categories) for code in codes}
        drawer = CatalogueDrawer(self.rng, templates=templates, categories=by_code, today=self.today)
        operators = [u.organisation for u in units if u.organisation.is_third_party_operator]
        drawn = drawer.draw(self.scale, units, operators)
        admins = self._admin_ids(units)
        for d in drawn:
            d.instrument.created_by_id = admins.get(d.instrument.owner_id)
        instruments = [d.instrument for d in drawn]
        Instrument.objects.bulk_create(instruments, batch_size=BATCH)
        themes = ensure_themes()
        known = set(Discipline.objects.values_list("code", flat=True))
        ThemeLink = Instrument.themes.through
        DisciplineLink = Instrument.disciplines.through
        ThemeLink.objects.bulk_create(
            [ThemeLink(instrument_id=d.instrument.pk, theme_id=themes[key].pk) for d in drawn for key in d.theme_keys],
            batch_size=BATCH * 5,
        )
        DisciplineLink.objects.bulk_create(
            [
                DisciplineLink(instrument_id=d.instrument.pk, discipline_id=code)
                for d in drawn
                for code in d.discipline_codes
                if code in known
            ],
            batch_size=BATCH * 5,
        )
        return instruments

    def _admin_ids(self, units) -> dict[int, int]:
        if not self.people:
            return {}
        return {
            organisation.pk: self.people.users[index].pk
            for index, role, organisation, _ in self.people.grants
            if role == Role.UNIT_ADMIN
        }

    def _yearly_usage(self, instruments: list[Instrument]):
        """Running and service hours of the last two full years, as a unit reports them."""
        rows = []
        rng = self.rng
        for instrument in instruments:
            if instrument.entry_status != Instrument.EntryStatus.APPROVED:
                continue
            typical = 1400 if instrument.purpose == Instrument.Purpose.GENERAL else 800
            for year in (self.today.year - 2, self.today.year - 1):
                if instrument.acceptance_date.year >= year:
                    continue
                running = min(4000.0, typical * rng.lognormvariate(0, 0.45))
                service = running * rng.uniform(0.5, 0.9)
                external = service * rng.uniform(0.05, 0.5)
                rows.append(
                    YearlyUsage(
                        instrument=instrument,
                        year=year,
                        running_hours=Decimal(f"{running:.1f}"),
                        service_hours=Decimal(f"{service:.1f}"),
                        external_service_hours=Decimal(f"{external:.1f}"),
                    )
                )
        YearlyUsage.objects.bulk_create(rows, batch_size=BATCH * 2)
