"""Excel statements: the reward list of a year for the authority, and a person's voucher
statement (grants, every ledger movement, payments)."""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from . import selectors


def _sheet(workbook, title, header, rows, first=False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append([str(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column[:200])
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    return sheet


def _bytes(workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewards_workbook(user, run) -> bytes:
    workbook = Workbook()
    sheet = _sheet(
        workbook,
        _("Rewards"),
        [
            _("Unit"),
            _("Instrument"),
            _("Inventory number"),
            _("External fees (yuan)"),
            _("Excluded fees (yuan)"),
            _("Reward (yuan)"),
            _("Working"),
        ],
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
        first=True,
    )
    for cell in sheet["G"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.append([])
    sheet.append(
        [_("Rule set"), str(run.rule_set), _("Year"), run.year, _("Total (yuan)"), run.total, run.get_status_display()]
    )
    sheet.append([_("Working"), run.basis])
    return _bytes(workbook)


def statement_workbook(user) -> bytes:
    workbook = Workbook()
    local = timezone.localtime
    _sheet(
        workbook,
        _("Vouchers"),
        [
            _("Grant"),
            _("Scheme"),
            _("Amount (yuan)"),
            _("Province part"),
            _("City part"),
            _("Remaining (yuan)"),
            _("Valid from"),
            _("Valid to"),
            _("Status"),
        ],
        (
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
            for g in selectors.grants(user)
        ),
        first=True,
    )
    _sheet(
        workbook,
        _("Ledger"),
        [
            _("Entry"),
            _("Grant"),
            _("Time"),
            _("Kind"),
            _("Amount (yuan)"),
            _("Balance after (yuan)"),
            _("Order"),
            _("Working"),
        ],
        (
            [
                e.pk,
                e.grant_id,
                local(e.created_at).replace(tzinfo=None),
                e.get_kind_display(),
                e.amount,
                e.balance_after,
                e.payment.order_id if e.payment else "",
                e.note,
            ]
            for e in selectors.ledger(user)
        ),
    )
    _sheet(
        workbook,
        _("Payments"),
        [
            _("Order"),
            _("Instrument"),
            _("Paid at"),
            _("Fee (yuan)"),
            _("By voucher (yuan)"),
            _("By the user (yuan)"),
            _("Status"),
            _("Redemption batch"),
        ],
        (
            [
                p.order_id,
                p.order.instrument.name,
                local(p.paid_at).replace(tzinfo=None),
                p.fee,
                p.voucher_amount,
                p.paid_by_user,
                p.get_status_display(),
                p.batch_id or "",
            ]
            for p in selectors.payments(user)
        ),
    )
    return _bytes(workbook)
