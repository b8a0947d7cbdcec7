"""What a statement says, whatever it is printed as: an enterprise's vouchers and their history,
a unit's redemptions and rewards, the overseers' summary by region, a year's reward list. Each
is a title and a few tables; `exports` writes them as Excel, `pdf` as PDF.

Who may read which: an enterprise member reads their own organisation's statement only, a unit
administrator or staff member their own unit's, the operator and authorities the summary (an
authority its region subtree, through the selectors)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from dayi.accounts.permissions import scope_of
from dayi.core.errors import PermissionDenied

from . import selectors
from .calculator import money
from .models import Payment

# Column headings, translated when a statement is printed.
VOUCHERS = (
    _l("Grant"), _l("Scheme"), _l("Amount (yuan)"), _l("Province part"), _l("City part"), _l("Remaining (yuan)"),
    _l("Valid from"), _l("Valid to"), _l("Status"),
)  # fmt: skip
LEDGER = (
    _l("Entry"), _l("Grant"), _l("Time"), _l("Kind"), _l("Amount (yuan)"), _l("Balance after (yuan)"), _l("Order"),
    _l("Working"),
)  # fmt: skip
PAYMENTS = (
    _l("Order"), _l("Instrument"), _l("Paid at"), _l("Fee (yuan)"), _l("By voucher (yuan)"),
    _l("By the user (yuan)"), _l("Status"), _l("Redemption batch"),
)  # fmt: skip
SERVED = (
    _l("Order"), _l("Instrument"), _l("Paid at"), _l("Fee (yuan)"), _l("By voucher (yuan)"), _l("Redemption batch"),
    _l("Batch status"),
)  # fmt: skip
BATCHES = (_l("Batch"), _l("Submitted"), _l("Total (yuan)"), _l("Status"), _l("Paid at"), _l("Reason"))
UNIT_REWARDS = (
    _l("Year"), _l("Instrument"), _l("External fees (yuan)"), _l("Excluded fees (yuan)"), _l("Reward (yuan)"),
    _l("Status"), _l("Working"),
)  # fmt: skip
POLICIES = (
    _l("Year"), _l("Instrument"), _l("Insurer"), _l("Premium (yuan)"), _l("Cover (yuan)"), _l("Subsidy (yuan)"),
    _l("Working"),
)  # fmt: skip
REWARD_LIST = (
    _l("Unit"), _l("Instrument"), _l("Inventory number"), _l("External fees (yuan)"), _l("Excluded fees (yuan)"),
    _l("Reward (yuan)"), _l("Working"),
)  # fmt: skip
BUDGETS = (_l("Rule set"), _l("Region"), _l("Kind"), _l("Committed (yuan)"), _l("Drawn (yuan)"), _l("Budget (yuan)"))
REGIONS = (_l("Region"), _l("Payments"), _l("Fees (yuan)"), _l("By voucher (yuan)"), _l("By the users (yuan)"))


@dataclass
class Table:
    title: str
    header: tuple
    rows: Iterable[list]
    # Relative column widths in the PDF (the working columns need room); None: even.
    widths: tuple | None = None


@dataclass
class Statement:
    title: str
    subtitle: str
    tables: list[Table]
    # Closing (label, value) lines: totals, the rule set and its working.
    notes: list[tuple[str, str]] = field(default_factory=list)


def _time(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _printed() -> str:
    return _("Printed %(time)s") % {"time": _time(timezone.now())}


def _of(title, whose, tables, notes=()) -> Statement:
    return Statement(title=title, subtitle=f"{whose} · {_printed()}", tables=tables, notes=list(notes))


def enterprise_statement(user) -> Statement:
    """The voucher balance and every movement of the person's own organisation."""
    organisation = user.organisation if user.is_authenticated else None
    if organisation is None:
        raise PermissionDenied(_("A voucher statement is for a member of an organisation."))
    grants = selectors.grants(user).filter(organisation=organisation)
    ledger = selectors.ledger(user).filter(grant__organisation=organisation)
    payments = selectors.payments(user).filter(organisation=organisation)
    remaining = sum((g.remaining for g in grants), 0)
    return _of(
        _("Innovation voucher statement"),
        organisation.name,
        [
            Table(
                _("Vouchers"),
                VOUCHERS,
                [
                    [
                        g.pk,
                        g.rule_set.name,
                        g.amount,
                        g.province_part,
                        g.city_part,
                        g.remaining,
                        g.valid_from,
                        g.valid_to,
                        g.get_status_display(),
                    ]
                    for g in grants
                ],
                widths=(1, 5, 2, 2, 2, 2, 2, 2, 1.5),
            ),
            Table(
                _("Ledger"),
                LEDGER,
                (
                    [
                        e.pk,
                        e.grant_id,
                        _time(e.created_at),
                        e.get_kind_display(),
                        e.amount,
                        e.balance_after,
                        e.payment.order_id if e.payment else "",
                        e.note,
                    ]
                    for e in ledger
                ),
                widths=(1, 1, 2.2, 1.5, 2, 2, 1, 9),
            ),
            Table(
                _("Payments"),
                PAYMENTS,
                (
                    [
                        p.order_id,
                        p.order.instrument.name,
                        _time(p.paid_at),
                        p.fee,
                        p.voucher_amount,
                        p.paid_by_user,
                        p.get_status_display(),
                        p.batch_id or "",
                    ]
                    for p in payments
                ),
                widths=(1, 5, 2.2, 2, 2, 2, 1.5, 1.5),
            ),
        ],
        notes=[(_("Voucher balance (yuan)"), money(remaining))],
    )


def unit_statement(user, unit) -> Statement:
    """A unit's voucher parts to redeem and redeemed, its batches, rewards and insurance."""
    if unit.pk not in scope_of(user).managed_unit_ids:
        raise PermissionDenied(_("A unit's statement is for its own administrators and staff."))
    payments = (
        selectors.payments(user)
        .filter(unit=unit, voucher_amount__gt=0, status=Payment.Status.PAID)
        .select_related("batch")
        .order_by("paid_at")
    )
    batches = selectors.batches(user).filter(unit=unit).order_by("created_at")
    rewards = selectors.unit_reward_lines(user).filter(unit=unit).order_by("run__year", "instrument__name")
    policies = selectors.policies(user).filter(unit=unit).order_by("year", "instrument__name")
    return _of(
        _("Unit statement: redemptions and rewards"),
        unit.name,
        [
            Table(
                _("Voucher parts of orders served"),
                SERVED,
                (
                    [
                        p.order_id,
                        p.order.instrument.name,
                        _time(p.paid_at),
                        p.fee,
                        p.voucher_amount,
                        p.batch_id or "",
                        p.batch.get_status_display() if p.batch else _("not redeemed yet"),
                    ]
                    for p in payments
                ),
                widths=(1, 5, 2.2, 2, 2, 1.5, 2),
            ),
            Table(
                _("Redemption batches"),
                BATCHES,
                (
                    [
                        b.pk,
                        _time(b.created_at),
                        b.total,
                        b.get_status_display(),
                        _time(b.paid_at),
                        b.decision_reason,
                    ]
                    for b in batches
                ),
                widths=(1, 2.2, 2, 1.5, 2.2, 5),
            ),
            Table(
                _("Sharing rewards"),
                UNIT_REWARDS,
                (
                    [
                        line.run.year,
                        line.instrument.name,
                        line.external_fees,
                        line.excluded_fees,
                        line.amount,
                        line.run.get_status_display(),
                        line.working,
                    ]
                    for line in rewards
                ),
                widths=(1, 4, 2, 2, 2, 1.5, 8),
            ),
            Table(
                _("Sharing insurance"),
                POLICIES,
                ([p.year, p.instrument.name, p.insurer, p.premium, p.cover, p.subsidy, p.working] for p in policies),
                widths=(1, 4, 3, 2, 2, 2, 7),
            ),
        ],
    )


def overseer_summary(user) -> Statement:
    """Budgets used against totals and the payments by region, for the operator and authorities."""
    if not selectors.overseer(user):
        raise PermissionDenied(_("The summary is for the platform operator and the authorities."))
    return Statement(
        title=_("Funding summary by region"),
        subtitle=_printed(),
        tables=[
            Table(
                _("Budgets"),
                BUDGETS,
                [
                    [
                        str(row["rule_set"]),
                        row["rule_set"].region.name,
                        row["rule_set"].get_kind_display(),
                        row["committed"],
                        row["drawn"],
                        row["budget"] if row["budget"] is not None else "",
                    ]
                    for row in selectors.budgets(user)
                ],
                widths=(6, 2, 2.5, 2, 2, 2),
            ),
            Table(
                _("Payments by region of the paying organisation"),
                REGIONS,
                [
                    [row["organisation__region__name"], row["count"], row["fees"], row["vouchers"], row["users"]]
                    for row in selectors.region_summary(user)
                ],
            ),
        ],
    )


def rewards_statement(user, run) -> Statement:
    """A year's reward list with its rule set and working, as the authority approves it."""
    return Statement(
        title=_("Sharing rewards %(year)s") % {"year": run.year},
        subtitle=f"{run.rule_set} · {run.get_status_display()} · {_printed()}",
        tables=[
            Table(
                _("Rewards"),
                REWARD_LIST,
                (
                    [
                        line.unit.name,
                        line.instrument.name,
                        line.instrument.inventory_number,
                        line.external_fees,
                        line.excluded_fees,
                        line.amount,
                        line.working,
                    ]
                    for line in selectors.reward_lines(user, run).iterator(chunk_size=2000)
                ),
                widths=(3, 3, 2, 2, 2, 2, 8),
            )
        ],
        notes=[
            (_("Rule set"), str(run.rule_set)),
            (_("Year"), str(run.year)),
            (_("Total (yuan)"), money(run.total)),
            (_("Working"), run.basis),
        ],
    )
