"""Draws the demo instruments from the templates: which unit owns what, its model, value,
dates, network-entry state and service terms. Everything comes from one seeded generator, in
a fixed order, so a seed always gives the same catalogue."""

import itertools
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from dayi.accounts.models import Organisation
from dayi.catalog.models import Instrument

from .instruments import Template

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Seed 001: 600-odd instruments worth a little over 270 million yuan, about 450,000 each.
VALUE_PER_INSTRUMENT = Decimal("453000")
PILOT_SHARE = 0.05
# How a city's instruments spread over the twelve categories (by slug), roughly as in
# municipal catalogues: many spectrometers and chromatographs, few NMRs.
CATEGORY_SHARES = {
    "spectroscopy": 17,
    "chromatography": 15,
    "mass-spectrometry": 5,
    "microscopy": 7,
    "x-ray": 3,
    "magnetic-resonance": 1.2,
    "thermal-electrochemical": 9,
    "bioanalysis": 12,
    "environment-preparation": 10,
    "physical-testing": 11,
    "measurement-electronics": 6,
    "process-other": 4,
}
# Inside a category cheap instruments are more common than expensive ones: a template's
# chance falls with its typical value to this power.
VALUE_RARITY = 1.3
FIRST_ACCEPTANCE = date(2012, 1, 1)

Status = Instrument.EntryStatus
Kind = Organisation.Category

_RUNNING = [
    (Instrument.RunningStatus.NORMAL, Instrument.UsageStatus.IN_USE, 85),
    (Instrument.RunningStatus.STANDBY, Instrument.UsageStatus.IDLE, 5),
    (Instrument.RunningStatus.REMOTE, Instrument.UsageStatus.IN_USE, 1),
    (Instrument.RunningStatus.OCCASIONAL_FAULT, Instrument.UsageStatus.IN_USE, 5),
    (Instrument.RunningStatus.FREQUENT_FAULT, Instrument.UsageStatus.IN_USE, 1),
    (Instrument.RunningStatus.AWAITING_REPAIR, Instrument.UsageStatus.UNDER_REPAIR, 2),
    (Instrument.RunningStatus.AWAITING_SCRAP, Instrument.UsageStatus.IDLE, 1),
]
_RETURN_REASONS = [
    "技术指标不完整，请补充分辨率、测量范围等主要参数。",
    "收费标准未注明计价单位，请按“元/样”或“元/小时”填写。",
    "分类代码与仪器名称不符，请核对后重新选择小类。",
    "缺少仪器照片与存放地点，请补充后再提交。",
]
_HOURS = [
    "工作日 8:30–11:30，14:00–17:30",
    "工作日 8:00–12:00，14:30–18:00；周末可预约",
    "周一至周五 9:00–17:00",
    "7×24 小时预约，夜间须经培训考核",
]
_ROOMS = {
    Kind.UNIVERSITY: ["分析测试中心", "实验楼", "重点实验室", "工程训练中心"],
    Kind.INSTITUTE: ["研发大楼", "中试基地", "公共实验室"],
    Kind.TEST_CENTRE: ["检测大楼", "理化实验室", "仪器分析室"],
    Kind.HOSPITAL: ["科研中心", "检验科", "中心实验室"],
    Kind.PLATFORM: ["公共技术服务楼", "检测实验室"],
    Kind.ENTERPRISE: ["研发中心", "质检中心", "技术中心实验室"],
}
_OUTCOMES = "支撑发表论文 {papers} 篇、授权发明专利 {patents} 项，近三年服务企业 {firms} 家。"
_DISCOUNT = "小微企业、创新创业团队享 8 折优惠；公益性研究减免 20%。"


@dataclass
class UnitDraw:
    """A management unit as the drawing needs it."""

    organisation: Organisation
    short: str
    domain: str
    themes: frozenset
    share: float
    contacts: list = field(default_factory=list)
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))


@dataclass
class Drawn:
    instrument: Instrument
    discipline_codes: list
    theme_keys: list


class CatalogueDrawer:
    def __init__(self, rng, *, templates: list[Template], categories: dict, today: date):
        self.rng = rng
        self.today = today
        self.categories = categories
        self.normal = [t for t in templates if not t.pilot]
        self.pilot = [t for t in templates if t.pilot]
        self._weights = {}
        self._base = self._base_weights(self.normal)
        self._base.update(self._base_weights(self.pilot))

    def _base_weights(self, templates) -> dict[int, float]:
        raw = {id(t): t.weight * (math.sqrt(t.low * t.high) / 1_000_000) ** -VALUE_RARITY for t in templates}
        slug = {id(t): self.categories[t.code].slug for t in templates}
        per_category = {}
        for t in templates:
            per_category[slug[id(t)]] = per_category.get(slug[id(t)], 0) + raw[id(t)]
        return {id(t): CATEGORY_SHARES[slug[id(t)]] * raw[id(t)] / per_category[slug[id(t)]] for t in templates}

    def _cumulative(self, templates, themes: frozenset):
        """Cumulative weights for a unit: templates of the unit's fields are ten times as likely."""
        key = (id(templates), themes)
        if key not in self._weights:
            weights = [self._base[id(t)] * (1.0 if themes.intersection(t.themes) else 0.1) for t in templates]
            self._weights[key] = list(itertools.accumulate(weights))
        return self._weights[key]

    def draw(self, count: int, units: list[UnitDraw], operators: list[Organisation]) -> list[Drawn]:
        rng = self.rng
        plan = self._category_round(units) + [(unit, None) for unit in self._units(units, count)]
        drawn = []
        for unit, template in plan[:count]:
            if template is None:
                pool = self.pilot if rng.random() < PILOT_SHARE else self.normal
                template = rng.choices(pool, cum_weights=self._cumulative(pool, unit.themes))[0]
            drawn.append(self._instrument(unit, template, operators))
        self._scale_values(drawn, count)
        return drawn

    def _units(self, units, count):
        return self.rng.choices(units, cum_weights=list(itertools.accumulate(u.share for u in units)), k=count)

    def _category_round(self, units):
        """One instrument of every city category first, at the two universities with the
        widest range, so that even a tiny city fills all twelve categories."""
        by_category = {}
        for t in self.normal:
            by_category.setdefault(self.categories[t.code].pk, []).append(t)
        hosts = sorted(units[:2], key=lambda u: u.short)
        return [
            (hosts[index % len(hosts)], self.rng.choice(templates))
            for index, templates in enumerate(by_category[pk] for pk in sorted(by_category))
        ]

    def _instrument(self, unit: UnitDraw, t: Template, operators) -> Drawn:
        rng = self.rng
        organisation = unit.organisation
        model = rng.choice(t.models)
        status, usage = rng.choices([(r, u) for r, u, _ in _RUNNING], weights=[w for *_, w in _RUNNING])[0]
        entry = rng.choices([Status.APPROVED, Status.SUBMITTED, Status.RETURNED, Status.DRAFT], [88, 5, 2, 5])[0]
        accepted = self._acceptance(entry)
        confidential = rng.random() < 0.015
        public_body = organisation.category != Kind.ENTERPRISE
        funding = self._funding(organisation.category)
        contact_name, contact_phone = rng.choice(unit.contacts)
        value = math.exp(rng.uniform(math.log(t.low), math.log(t.high)))
        instrument = Instrument(
            name=t.name,
            name_en=t.name_en,
            owner=organisation,
            operator=rng.choice(operators) if operators and public_body and rng.random() < 0.06 else None,
            inventory_number=f"{unit.short.upper()}-{accepted.year}-{next(unit.counter):05d}",
            is_pilot_scale=t.pilot,
            instrument_class_id=t.code,
            category=self.categories[t.code],
            source=self._source(t),
            customs_supervised=(
                model.country != "CN" and public_body and (self.today - accepted).days < 5 * 365 and rng.random() < 0.5
            ),
            purpose=t.purpose,
            model_number=model.model,
            manufacturer=model.maker,
            country=model.country,
            original_value=Decimal(round(value, -2)),
            purchase_date=accepted - timedelta(days=rng.randint(20, 200)),
            acceptance_date=accepted,
            funding=funding,
            technical_specs=t.specs,
            main_functions=t.functions,
            service_content=t.service,
            typical_outcomes=self._outcomes(entry),
            sharing_mode=Instrument.SharingMode.NONE if confidential else self._sharing_mode(),
            running_status=status,
            usage_status=usage,
            offers_machine_time=not t.pilot and rng.random() < 0.45,
            offers_sample_testing=rng.random() < 0.95,
            offers_joint_rd=rng.random() < (0.7 if t.pilot else 0.2),
            offers_leasing=rng.random() < (0.3 if t.pilot else 0.03),
            fee_standard=t.fee + ("；" + _DISCOUNT if rng.random() < 0.5 else ""),
            opening_hours=rng.choice(_HOURS),
            cma_certified=rng.random() < self._cma_chance(organisation),
            cnas_accredited=rng.random() < self._cnas_chance(organisation),
            region_id=organisation.region_id,
            location=f"{organisation.address} {rng.choice(_ROOMS[organisation.category])}"
            f"{rng.choice('ABCDE')}{rng.randint(1, 6)}{rng.randint(1, 30):02d}",
            contact_name=contact_name,
            contact_phone=contact_phone,
            contact_email=f"{rng.choice(['fxcs', 'yqgx', 'lab', 'test', 'dayi'])}@{unit.domain}",
            is_confidential=confidential,
            entry_status=entry,
        )
        self._entry_times(instrument, accepted)
        disciplines = rng.sample(t.disciplines, k=rng.randint(1, min(4, len(t.disciplines))))
        preferred = [key for key in t.themes if key in unit.themes] or list(t.themes)
        themes = rng.sample(preferred, k=min(len(preferred), rng.choice([1, 1, 2])))
        return Drawn(instrument, disciplines, themes)

    def _acceptance(self, entry) -> date:
        """Records still on their way into the network are recent; the rest spread since 2012."""
        rng = self.rng
        if entry == Status.APPROVED:
            span = (self.today - timedelta(days=45) - FIRST_ACCEPTANCE).days
            return FIRST_ACCEPTANCE + timedelta(days=int(rng.random() ** 0.8 * span))
        return self.today - timedelta(days=int(5 + rng.random() * 85))

    def _entry_times(self, instrument: Instrument, accepted: date):
        rng = self.rng
        approved = accepted + timedelta(days=rng.randint(5, 40))
        submitted = approved - timedelta(days=rng.randint(1, 6))
        clock = time(rng.randint(8, 17), rng.randint(0, 59))
        if instrument.entry_status == Status.APPROVED:
            instrument.approved_at = datetime.combine(approved, clock, SHANGHAI)
            instrument.submitted_at = datetime.combine(submitted, clock, SHANGHAI) - timedelta(hours=3)
        elif instrument.entry_status in (Status.SUBMITTED, Status.RETURNED):
            day = min(submitted, self.today - timedelta(days=1))
            instrument.submitted_at = datetime.combine(day, clock, SHANGHAI)
            if instrument.entry_status == Status.RETURNED:
                instrument.entry_return_reason = rng.choice(_RETURN_REASONS)

    def _funding(self, category):
        rng = self.rng
        F = Instrument.Funding
        if category == Kind.ENTERPRISE:
            return rng.choices([F.OWN, F.LOCAL_FISCAL, F.OTHER], [85, 10, 5])[0]
        return rng.choices([F.CENTRAL_FISCAL, F.LOCAL_FISCAL, F.OWN, F.OTHER], [25, 55, 15, 5])[0]

    def _source(self, t):
        S = Instrument.Source
        weights = [60, 38, 1, 1] if t.pilot else [97, 1, 1.5, 0.5]
        return self.rng.choices([S.PURCHASED, S.BUILT, S.DONATED, S.OTHER], weights)[0]

    def _sharing_mode(self):
        M = Instrument.SharingMode
        return self.rng.choices([M.EXTERNAL, M.INTERNAL, M.NONE], [88, 10, 2])[0]

    def _outcomes(self, entry):
        rng = self.rng
        if entry != Status.APPROVED or rng.random() < 0.4:
            return ""
        return _OUTCOMES.format(papers=rng.randint(2, 40), patents=rng.randint(0, 12), firms=rng.randint(3, 80))

    @staticmethod
    def _cma_chance(organisation):
        if organisation.is_third_party_operator or organisation.category == Kind.TEST_CENTRE:
            return 0.85
        return {Kind.HOSPITAL: 0.3, Kind.UNIVERSITY: 0.15, Kind.INSTITUTE: 0.2}.get(organisation.category, 0.05)

    @staticmethod
    def _cnas_chance(organisation):
        if organisation.is_third_party_operator or organisation.category == Kind.TEST_CENTRE:
            return 0.6
        return {Kind.HOSPITAL: 0.25, Kind.UNIVERSITY: 0.05}.get(organisation.category, 0.02)

    @staticmethod
    def _scale_values(drawn: list[Drawn], count: int):
        """Brings the total to seed 001's figure per instrument. The weights above keep the
        drawn total within about 15 % of it, so one common factor moves no price far."""
        total = sum(d.instrument.original_value for d in drawn)
        factor = VALUE_PER_INSTRUMENT * count / total
        for d in drawn:
            rounded = (d.instrument.original_value * factor).quantize(Decimal("1E2"))
            d.instrument.original_value = rounded.quantize(Decimal("0.01"))
