"""Spreadsheet files built in memory, so that each test shows the cells it is about."""

import codecs
import csv
import io

from openpyxl import Workbook

from dayi.exchange.columns import HEADERS


def _lines(rows, header):
    header = HEADERS if header is None else header
    lines = [[row.get(title) for title in header] for row in rows]
    return [list(header), *lines] if header else lines


def xlsx_bytes(rows, header=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for line in _lines(rows, header):
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=None, encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in _lines(rows, header):
        writer.writerow(["" if value is None else value for value in line])
    text = buffer.getvalue()
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    return text.encode(encoding)
