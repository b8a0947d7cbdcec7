"""A statement as an Excel workbook: one sheet per table, the closing notes under the first."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .statements import Statement


def _sheet(workbook, table, first):
    sheet = workbook.active if first else workbook.create_sheet()
    # Excel refuses sheet titles longer than 31 characters.
    sheet.title = table.title[:31]
    sheet.append([str(h) for h in table.header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(row)
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column[:200])
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
        if width > 60:
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    return sheet


def workbook(statement: Statement) -> bytes:
    book = Workbook()
    sheets = [_sheet(book, table, first=index == 0) for index, table in enumerate(statement.tables)]
    if statement.notes:
        sheets[0].append([])
        for label, value in statement.notes:
            sheets[0].append([label, value])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
