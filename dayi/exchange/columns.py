"""The exchange format: one column per editable instrument field, with Chinese headers.

The headers and the Chinese choice labels are the file format itself (units fill them in
by hand and other systems produce them), so they are fixed text, not translated. Every column
knows how to read a cell and how to write the value back, and the export uses the same
columns, so an exported file imports again without a change.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from dayi.catalog.models import Instrument, YearlyUsage
from dayi.catalog.services import MAX_DISCIPLINES, USAGE_FIELDS, check_yearly_hours, hours_of, usage_label
from dayi.core.errors import DomainError

from .lookups import Lookups
from .values import CellError, as_text, parse_bool, parse_date, parse_decimal, parse_text, split_list

OWNER, DISCIPLINES, THEMES, YEARLY_USAGE = "owner", "disciplines", "themes", "yearly_usage"
YEAR_HOURS = re.compile(r"^(\d{4})\s*[:：]\s*([^/]+)/([^/]+)/([^/]+)$")
YES, NO = "是", "否"

# The wording of the national network platform (nrii) for each coded value.
CHOICE_LABELS = {
    "source": {"purchased": "购置", "built": "自研", "donated": "捐赠", "other": "其他"},
    "purpose": {"general": "通用", "special": "专用"},
    "funding": {"central_fiscal": "中央财政", "local_fiscal": "地方财政", "own": "单位自筹", "other": "其他"},
    "sharing_mode": {"external": "对外共享", "internal": "内部共享", "none": "不共享"},
    "running_status": {
        "normal": "正常",
        "standby": "待机",
        "remote": "远程服务中",
        "occasional_fault": "偶有故障",
        "frequent_fault": "故障频繁",
        "awaiting_repair": "待修",
        "awaiting_scrap": "待报废",
    },
    "usage_status": {"in_use": "在用", "under_repair": "维修中", "idle": "闲置", "scrapped": "报废"},
}


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: Callable[[Any, Lookups], Any]
    export: Callable[[Instrument, Lookups], Any]
    required: bool = False
    hint: Any = ""


def _model_field(name):
    return Instrument._meta.get_field(name)


def text(header, field, *, required=False, hint=""):
    limit = _model_field(field).max_length
    return Column(
        header,
        field,
        lambda value, _lookups: parse_text(value, limit=limit),
        lambda instrument, _lookups: getattr(instrument, field),
        required,
        hint or (format_lazy(gettext_lazy("Text, at most {limit} characters."), limit=limit) if limit else ""),
    )


@cache
def _choice_words(field):
    """Every spelling accepted for each code: the code, the nrii label, the model's labels."""
    words = {}
    for code, label in _model_field(field).choices:
        spellings = {code, CHOICE_LABELS[field][code]}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                spellings.add(str(label))
        words.update({spelling.lower(): code for spelling in spellings})
    return words


def choice(header, field, *, required=False):
    labels = CHOICE_LABELS[field]
    allowed = "、".join(labels.values())

    def parse(value, _lookups):
        word = as_text(value)
        code = _choice_words(field).get(word.lower())
        if code is None:
            raise CellError(_("Unknown value %(value)s; allowed: %(allowed)s.") % {"value": word, "allowed": allowed})
        return code

    return Column(
        header,
        field,
        parse,
        lambda instrument, _lookups: labels[getattr(instrument, field)],
        required,
        format_lazy(gettext_lazy("One of: {allowed}."), allowed=allowed),
    )


def boolean(header, field):
    return Column(
        header,
        field,
        lambda value, _lookups: parse_bool(value),
        lambda instrument, _lookups: YES if getattr(instrument, field) else NO,
        hint=gettext_lazy("是 or 否 (Y/N, 1/0 and true/false are accepted too)."),
    )


def a_date(header, field):
    return Column(
        header,
        field,
        lambda value, _lookups: parse_date(value),
        lambda instrument, _lookups: getattr(instrument, field),
        hint=gettext_lazy("A date such as 2024-03-01 or 2024/3/1."),
    )


def _parse_value(value, _lookups):
    field = _model_field("original_value")
    return parse_decimal(value, max_digits=field.max_digits, decimal_places=field.decimal_places)


def _parse_country(value, _lookups):
    word = as_text(value)
    code = countries.alpha2(word.upper()) or countries.by_name(word, language="zh-hans") or countries.by_name(word)
    if not code:
        raise CellError(
            _("Unknown country %(value)s; write a GB/T 2659 code (CN, JPN) or its Chinese name.") % {"value": word}
        )
    return code


def _export_country(instrument, _lookups):
    with translation.override("zh-hans"):
        return str(countries.name(instrument.country.code))


def _parse_email(value, _lookups):
    address = parse_text(value, limit=_model_field("contact_email").max_length)
    try:
        validate_email(address)
    except ValidationError:
        raise CellError(_("Not a valid e-mail address.")) from None
    return address


def _parse_disciplines(value, lookups):
    items = split_list(value)
    if len(items) > MAX_DISCIPLINES:
        raise CellError(
            _("At most %(limit)d disciplines; this cell has %(count)d.")
            % {"limit": MAX_DISCIPLINES, "count": len(items)}
        )
    return list(dict.fromkeys(lookups.discipline(item) for item in items))


def _parse_themes(value, lookups):
    return list(dict.fromkeys(lookups.theme(item) for item in split_list(value)))


def _parse_yearly_usage(value, _lookups) -> dict[int, dict]:
    usage = {}
    for item in split_list(value):
        found = YEAR_HOURS.match(item)
        if found is None:
            raise CellError(
                _("Write each year as year:running/service/external hours, e.g. 2025:1200/300/80; not %(item)s.")
                % {"item": item}
            )
        year = int(found.group(1))
        if year in usage:
            raise CellError(_("The year %(year)d is given twice.") % {"year": year})
        usage[year] = {name: _parse_hours(text) for name, text in zip(USAGE_FIELDS, found.groups()[1:], strict=True)}
        try:
            check_yearly_hours(year=year, **usage[year])
        except DomainError as error:
            raise CellError(error.message) from None
    return usage


def _parse_hours(text):
    field = YearlyUsage._meta.get_field("running_hours")
    return parse_decimal(text.strip(), max_digits=field.max_digits, decimal_places=field.decimal_places)


def _export_yearly_usage(instrument, _lookups):
    rows = sorted(instrument.yearly_usage.all(), key=lambda row: row.year)
    return ";".join(f"{row.year}:{usage_label(hours_of(row))}" for row in rows)


def _export_operator(instrument, _lookups):
    return instrument.operator.name if instrument.operator_id else ""


def _export_disciplines(instrument, _lookups):
    return ";".join(sorted(d.code for d in instrument.disciplines.all()))


def _export_themes(instrument, lookups):
    return ";".join(sorted(lookups.theme_label(t) for t in instrument.themes.all()))


COLUMNS = [
    Column(
        "所属单位",
        OWNER,
        lambda value, lookups: lookups.unit(value),
        lambda instrument, _lookups: instrument.owner.name,
        hint=gettext_lazy("The management unit's full name; empty means the unit chosen for the import."),
    ),
    text("仪器名称", "name", required=True),
    text("英文名称", "name_en"),
    text(
        "资产编号",
        "inventory_number",
        required=True,
        hint=gettext_lazy("The unit's own inventory number; unique within the unit."),
    ),
    Column(
        "分类代码",
        "instrument_class",
        lambda value, lookups: lookups.instrument_class(value),
        lambda instrument, _lookups: instrument.instrument_class_id,
        True,
        gettext_lazy("6-digit national class code of a leaf class, e.g. 010102."),
    ),
    boolean("是否中试装置", "is_pilot_scale"),
    choice("仪器来源", "source"),
    boolean("是否海关监管", "customs_supervised"),
    choice("用途类型", "purpose", required=True),
    text("规格型号", "model_number"),
    text("生产厂商", "manufacturer"),
    Column(
        "产地国别",
        "country",
        _parse_country,
        _export_country,
        hint=gettext_lazy("GB/T 2659 code (CN, CHN, JP …) or the Chinese name (中国, 日本 …)."),
    ),
    Column(
        "原值(元)",
        "original_value",
        _parse_value,
        lambda instrument, _lookups: instrument.original_value,
        True,
        gettext_lazy("Yuan, not negative, at most 2 decimals."),
    ),
    a_date("购置日期", "purchase_date"),
    a_date("验收日期", "acceptance_date"),
    choice("经费来源", "funding", required=True),
    text("技术指标", "technical_specs"),
    text("主要功能", "main_functions"),
    text("服务内容", "service_content"),
    text("典型成果", "typical_outcomes"),
    choice("共享模式", "sharing_mode"),
    choice("运行状态", "running_status"),
    choice("使用状态", "usage_status"),
    boolean("提供机时预约", "offers_machine_time"),
    boolean("提供送样检测", "offers_sample_testing"),
    boolean("提供合作研发", "offers_joint_rd"),
    boolean("提供租赁", "offers_leasing"),
    text("收费标准", "fee_standard"),
    text("开放时间", "opening_hours"),
    boolean("CMA认证", "cma_certified"),
    boolean("CNAS认可", "cnas_accredited"),
    Column(
        "所在地区",
        "region",
        lambda value, lookups: lookups.region(value),
        lambda instrument, lookups: lookups.region_label(instrument.region),
        True,
        gettext_lazy("Division code (e.g. 320812) or the region's name."),
    ),
    text("安放地点", "location"),
    text("联系人", "contact_name"),
    text("联系电话", "contact_phone"),
    Column("联系邮箱", "contact_email", _parse_email, lambda instrument, _lookups: instrument.contact_email),
    boolean("是否涉密", "is_confidential"),
    Column(
        "第三方运营机构",
        "operator",
        lambda value, lookups: lookups.third_party(value),
        _export_operator,
        hint=gettext_lazy("Full name of the third-party operator, if any."),
    ),
    Column(
        "学科领域",
        DISCIPLINES,
        _parse_disciplines,
        _export_disciplines,
        hint=gettext_lazy("Up to 4 GB/T 13745 codes separated by ; or 、 e.g. 140;150."),
    ),
    Column(
        "专题",
        THEMES,
        _parse_themes,
        _export_themes,
        hint=gettext_lazy("Theme names or slugs separated by ; or 、."),
    ),
    Column(
        "年度机时",
        YEARLY_USAGE,
        _parse_yearly_usage,
        _export_yearly_usage,
        hint=gettext_lazy(
            "Yearly running/service/external service hours, one year each, separated by ; e.g. "
            "2024:1100/800/200;2025:1200/900/300. Years not written stay as they are."
        ),
    ),
]

BY_HEADER = {column.header: column for column in COLUMNS}
HEADERS = [column.header for column in COLUMNS]


def default_for(column: Column):
    """What an empty cell means: the field's default, no disciplines/themes, no hours reported."""
    if column.field in (DISCIPLINES, THEMES):
        return []
    if column.field == YEARLY_USAGE:
        return {}
    return _model_field(column.field).get_default()
