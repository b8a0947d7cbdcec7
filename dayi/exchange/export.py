"""Writing the exchange format: the empty template (.xlsx and .csv) and the catalogue export.

Both use the same columns as the import, so an exported file imports again unchanged.
"""

import codecs
import csv
import io
import tempfile
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .columns import COLUMNS, HEADERS
from .lookups import Lookups

SHEET_TITLE = "仪器"
NOTES_TITLE = "填写说明"
HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"
WIDE_FIELDS = {"name", "name_en", "technical_specs", "main_functions", "service_content", "typical_outcomes", "owner"}


def template_csv() -> bytes:
    """The header line, UTF-8 with a byte order mark so that Excel opens it in Chinese."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(HEADERS)
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def template_xlsx(handle) -> None:
    _write_workbook(handle, [])


def export_xlsx(handle, instruments) -> None:
    """One row per instrument, fetched in chunks so memory stays flat for a whole province."""
    lookups = Lookups()
    rows = ([column.export(instrument, lookups) for column in COLUMNS] for instrument in instruments.iterator(2000))
    _write_workbook(handle, rows)


def export_file(instruments):
    """The export in a temporary file (deleted when closed), ready to stream."""
    handle = tempfile.TemporaryFile()
    export_xlsx(handle, instruments)
    handle.seek(0)
    return handle


def _write_workbook(handle, rows) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 30 if column.field in WIDE_FIELDS else 14
    sheet.freeze_panes = "A2"
    sheet.append([_header_cell(sheet, column) for column in COLUMNS])
    for values in rows:
        sheet.append([_value_cell(sheet, value) for value in values])
    _write_notes(workbook.create_sheet(NOTES_TITLE))
    workbook.save(handle)


def _header_cell(sheet, column):
    cell = WriteOnlyCell(sheet, value=column.header)
    cell.font = HEADER_FONT
    if column.required:
        cell.fill = REQUIRED_FILL
    return cell


def _value_cell(sheet, value):
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY_FORMAT
        return cell
    return value


def _write_notes(sheet) -> None:
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 10
    sheet.column_dimensions["C"].width = 80
    sheet.append([pgettext("import error", "Column"), _("Required"), _("How to fill it in")])
    for column in COLUMNS:
        sheet.append([column.header, pgettext("required column", "yes") if column.required else "", str(column.hint)])
    sheet.append([])
    sheet.append([_("Row 1 holds the headers; put one instrument on each following row.")])
    sheet.append([_("Importing the same file again changes nothing; rows match records by unit and inventory number.")])
