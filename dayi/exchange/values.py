"""Turning one spreadsheet cell into a Python value.

People type the same thing many ways (是/Y/1/true, 2024/3/1 or a real Excel date, 3,200,000),
and Excel turns codes such as 010102 into numbers; these parsers accept all of that and raise
CellError with a message a person can act on.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

TRUE_WORDS = {"是", "y", "yes", "1", "true", "t", "√", "有"}
FALSE_WORDS = {"否", "n", "no", "0", "false", "f", "×", "无"}
LIST_SEPARATORS = re.compile(r"[;；、,，\n]+")
DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class CellError(ValueError):
    """A cell's value is not acceptable; the message says why."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value) -> str:
    """The cell as text; whole numbers lose the '.0' Excel gives them (asset numbers, phones)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def parse_text(value, *, limit: int | None) -> str:
    text = as_text(value)
    if limit is not None and len(text) > limit:
        raise CellError(
            _("Too long: %(length)d characters, at most %(limit)d.") % {"length": len(text), "limit": limit}
        )
    return text


def parse_code(value, *, digits: int) -> str:
    """A numeric code; Excel stores 010102 typed in a plain cell as the number 10102."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return str(int(value)).zfill(digits)
    return as_text(value)


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    word = as_text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("Write 是 or 否 (also accepted: Y/N, 1/0, true/false)."))


def parse_decimal(value, *, max_digits: int, decimal_places: int) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("Not a number."))
    if isinstance(value, float):
        # repr() is the shortest text that reads back as the same float: 1234567.89, not …8899999.
        text = repr(value)
    else:
        text = as_text(value).replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("Not a number.")) from None
    if not number.is_finite():
        raise CellError(_("Not a number."))
    if number < 0:
        raise CellError(_("Must not be negative."))
    if number != number.quantize(Decimal(1).scaleb(-decimal_places)):
        raise CellError(_("At most %(places)d decimal places.") % {"places": decimal_places})
    if number >= Decimal(10) ** (max_digits - decimal_places):
        raise CellError(_("The number is too large."))
    return number


def parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date cell that lost its date format still holds Excel's day serial number.
        if 1 <= value < 2958466:
            return from_excel(value).date()
        raise CellError(_("Not a date; write it as 2024-03-01 or 2024/3/1."))
    match = DATE_PATTERN.match(as_text(value))
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellError(_("Not a date; write it as 2024-03-01 or 2024/3/1."))


def split_list(value) -> list[str]:
    return [item.strip() for item in LIST_SEPARATORS.split(as_text(value)) if item.strip()]
