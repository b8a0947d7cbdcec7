"""The one calculator of every payout: eligibility, tiered bands, caps and the funding split,
with the working written out line by line for a finance officer to check.

Rounding, stated once: each band's part is computed exactly; the sum of the bands is cut down
to whole fen (ROUND_DOWN) once, so a payout never exceeds what the rates allow; caps and
balances are already whole fen; the province part is cut down to whole fen and the city part
is the rest, so the two parts always add up to the amount.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext

# Inside `phrasebook()`, each message is translated once: the yearly rewards write the same
# dozen phrases for tens of thousands of instruments, and gettext's per-call lookup of the
# active language would otherwise dominate the computation.
_BOOK: ContextVar[dict | None] = ContextVar("funding_phrasebook", default=None)


def _(message: str) -> str:
    book = _BOOK.get()
    if book is None:
        return gettext(message)
    text = book.get(message)
    if text is None:
        text = book[message] = gettext(message)
    return text


@contextmanager
def phrasebook():
    token = _BOOK.set({})
    try:
        yield
    finally:
        _BOOK.reset(token)


ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def yuan(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_DOWN)


def to_fen(value) -> Decimal:
    """A database sum to whole fen: SQLite adds decimals as floating point (0.29 may come back
    as 0.290000000000006), so its sums are rounded to the nearest fen before use."""
    return Decimal(value).quantize(CENT)


def money(value: Decimal) -> str:
    return f"{yuan(value):,.2f}"


def percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


@dataclass
class Subject:
    """What the rule looks at. A field left None is not known and not checked (an uploaded
    invoice has no instrument region, for instance)."""

    organisation: object = None
    instrument_region_path: str | None = None
    is_external: bool | None = None
    fee_type: str | None = None
    service_purpose: str | None = None
    grade: str | None = None


@dataclass
class Used:
    """What the caps have already absorbed."""

    instrument: Decimal = ZERO
    organisation: Decimal = ZERO
    year: Decimal = ZERO


@dataclass
class Result:
    amount: Decimal
    lines: list[str] = field(default_factory=list)
    eligible: bool = True
    province_part: Decimal = ZERO
    city_part: Decimal = ZERO

    @property
    def working(self) -> str:
        return "\n".join(self.lines)


def describe_rule(rule) -> str:
    rule_set = rule.rule_set
    end = rule_set.valid_to.isoformat() if rule_set.valid_to else _("until superseded")
    return _("Rule set “%(set)s” version %(version)s (%(region)s, %(start)s to %(end)s), rule “%(rule)s”.") % {
        "set": rule_set.name,
        "version": rule_set.version,
        "region": rule_set.region.name,
        "start": rule_set.valid_from.isoformat(),
        "end": end,
        "rule": rule.name,
    }


FLAG_LABELS = {
    "is_tech_sme": "科技型中小企业",
    "is_small_micro": "小微企业",
    "is_startup_team": "创新创业团队",
}


def refusals(rule, subject: Subject) -> list[str]:
    """Why the rule does not apply to the subject; empty when it does."""
    reasons = []
    org = subject.organisation
    if org is not None and rule.categories and org.category not in rule.categories:
        reasons.append(
            _("The organisation's category (%(category)s) is not one this rule covers.")
            % {"category": org.get_category_display()}
        )
    if org is not None and rule.flags and not any(getattr(org, flag, False) for flag in rule.flags):
        reasons.append(
            _("The organisation is none of: %(flags)s.")
            % {"flags": "、".join(FLAG_LABELS.get(f, f) for f in rule.flags)}
        )
    if subject.instrument_region_path is not None and rule.location != "any":
        inside = subject.instrument_region_path.startswith(rule.rule_set.region.path)
        if rule.location == "in_region" and not inside:
            reasons.append(_("The instrument is outside %(region)s.") % {"region": rule.rule_set.region.name})
        if rule.location == "out_of_region" and inside:
            reasons.append(_("The instrument is inside %(region)s.") % {"region": rule.rule_set.region.name})
    if subject.is_external is not None and rule.relation != "any":
        if (rule.relation == "external") != subject.is_external:
            reasons.append(rule.get_relation_display())
    if subject.fee_type is not None and rule.fee_types and subject.fee_type not in rule.fee_types:
        reasons.append(_("This fee type does not count under the rule."))
    if subject.service_purpose and subject.service_purpose in rule.excluded_purposes:
        reasons.append(
            _("Service purpose “%(purpose)s” is excluded by the rule.")
            % {"purpose": purpose_label(subject.service_purpose)}
        )
    if subject.grade is not None and rule.grade and subject.grade != rule.grade:
        reasons.append(_("The rule is for units graded “%(grade)s”.") % {"grade": grade_label(rule.grade)})
    return reasons


def purpose_label(code: str) -> str:
    from dayi.booking.models import Order

    return str(dict(Order.ServicePurpose.choices).get(code, code))


GRADES = {"excellent": "优秀", "good": "良好", "pass": "合格", "poor": "较差"}


def grade_label(code: str) -> str:
    return GRADES.get(code, code)


def bands_of(rule):
    return sorted(rule.bands.all(), key=lambda band: band.lower)


def basis(rule) -> list[str]:
    """The rule set, the rule and its condition: the head of every working."""
    lines = [describe_rule(rule)]
    if rule.note:
        lines.append(_("Condition: %(note)s") % {"note": rule.note})
    return lines


def calculate(
    rule, base: Decimal, subject: Subject | None = None, used: Used | None = None, limits=(), header=True
) -> Result:
    """The payout of `rule` on `base` yuan. `limits` are further (label, room) pairs that may cut
    the amount, such as a grant's balance or the fee itself. Without `header` the working
    leaves out the rule's description, for lists that state it once at the top."""
    used = used or Used()
    lines = basis(rule) if header else []
    reasons = refusals(rule, subject) if subject else []
    if reasons:
        lines += [_("Not eligible: %(reason)s") % {"reason": reason} for reason in reasons]
        return Result(amount=ZERO, lines=lines, eligible=False)

    lines.append(_("Base: %(base)s yuan.") % {"base": money(base)})
    if rule.base_cap is not None and base > rule.base_cap:
        lines.append(
            _("At most %(cap)s yuan of the base counts; counted %(cap)s yuan.") % {"cap": money(rule.base_cap)}
        )
        base = rule.base_cap

    total = Decimal(0)
    for band in bands_of(rule):
        if base <= band.lower:
            break
        top = base if band.upper is None or base < band.upper else band.upper
        part = top - band.lower
        share = part * band.rate
        total += share
        upper = money(band.upper) if band.upper is not None else _("no upper end")
        lines.append(
            _("Band %(lower)s–%(upper)s yuan: %(part)s yuan × %(rate)s = %(share)s yuan.")
            % {
                "lower": money(band.lower),
                "upper": upper,
                "part": money(part),
                "rate": percent(band.rate),
                "share": f"{share:,.4f}".rstrip("0").rstrip("."),
            }
        )
    amount = yuan(total)
    lines.append(_("Sum of the bands, cut down to whole fen: %(amount)s yuan.") % {"amount": money(amount)})

    caps = [
        (_("cap per order"), rule.cap_per_order, ZERO),
        (_("cap per instrument"), rule.cap_per_instrument, used.instrument),
        (_("cap per organisation"), rule.cap_per_organisation, used.organisation),
        (_("cap per organisation per year"), rule.cap_per_year, used.year),
    ]
    for label, cap, already in caps:
        if cap is None:
            continue
        room = max(cap - already, ZERO)
        amount = _apply_limit(lines, amount, label, room, cap=cap, already=already)
    for label, room in limits:
        amount = _apply_limit(lines, amount, label, max(room, ZERO))

    province = yuan(amount * rule.province_share) if rule.city_share else amount
    city = amount - province
    if city:
        lines.append(
            _("Funding: province %(province)s yuan (%(pshare)s), city %(city)s yuan (%(cshare)s).")
            % {
                "province": money(province),
                "pshare": percent(rule.province_share),
                "city": money(city),
                "cshare": percent(rule.city_share),
            }
        )
    lines.append(_("Amount: %(amount)s yuan.") % {"amount": money(amount)})
    return Result(amount=amount, lines=lines, province_part=province, city_part=city)


def _apply_limit(lines, amount, label, room, cap=None, already=ZERO):
    if cap is not None and already:
        text = _("%(label)s %(cap)s yuan, %(used)s yuan already used, room %(room)s yuan") % {
            "label": label,
            "cap": money(cap),
            "used": money(already),
            "room": money(room),
        }
    else:
        text = _("%(label)s %(room)s yuan") % {"label": label, "room": money(room)}
    if amount > room:
        lines.append(_("%(limit)s: applies, amount cut to %(room)s yuan.") % {"limit": text, "room": money(room)})
        return room
    lines.append(_("%(limit)s: not reached.") % {"limit": text})
    return amount
