"""Reading an uploaded .xlsx or .csv into a header and numbered rows.

Row numbers are those a person sees in the spreadsheet: the header is row 1.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .values import as_text, is_blank

CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def problem(message, *, row=None, column="", letter="", value="") -> dict:
    """One error as stored on the job and shown in the errors table."""
    return {"row": row, "column": column, "letter": letter, "value": as_text(value)[:100], "message": str(message)}


class FileRefused(Exception):
    """The file as a whole cannot be imported; `errors` lists every reason found."""

    def __init__(self, errors: list[dict]):
        super().__init__("; ".join(error["message"] for error in errors))
        self.errors = errors


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)


def read_table(name: str, content: bytes, *, max_rows: int) -> Table:
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        lines = _xlsx_lines(content)
    elif lowered.endswith(".csv"):
        lines = _csv_lines(content)
    else:
        raise FileRefused([problem(_("%(name)s is not an .xlsx or .csv file.") % {"name": name})])
    return _table(lines, max_rows=max_rows)


def _xlsx_lines(content: bytes):
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise FileRefused([problem(_("The file cannot be read as an Excel .xlsx workbook."))]) from None
    try:
        sheet = workbook.worksheets[0]
        # Some generators record a wrong sheet size; without this rows beyond it are cut off.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _csv_lines(content: bytes):
    if b"\x00" in content[:4096]:
        raise FileRefused([problem(_("The file is not a text CSV file."))])
    for encoding in CSV_ENCODINGS:
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileRefused([problem(_("The CSV file cannot be decoded; save it as UTF-8 or GB18030 (GBK)."))])
    try:
        yield from csv.reader(io.StringIO(text, newline=""))
    except csv.Error as error:
        raise FileRefused([problem(_("The CSV file is malformed: %(error)s") % {"error": error})]) from None


def _table(lines, *, max_rows: int) -> Table:
    table = None
    for number, cells in enumerate(lines, start=1):
        cells = list(cells)
        while cells and is_blank(cells[-1]):
            cells.pop()
        if table is None:
            if not cells:
                raise FileRefused([problem(_("Row 1 must hold the column headers of the template."), row=1)])
            table = Table(header=[as_text(cell) for cell in cells])
            continue
        if not cells:
            continue
        if len(table.rows) >= max_rows:
            raise FileRefused(
                [
                    problem(
                        _("The file has more than %(limit)d rows; split it into smaller files.") % {"limit": max_rows}
                    )
                ]
            )
        table.rows.append((number, cells))
    if table is None:
        raise FileRefused([problem(_("The file is empty."))])
    if not table.rows:
        raise FileRefused([problem(_("The file has a header but no instrument rows."))])
    return table
