"""Checking a whole file before anything is written: every error of every row is collected,
so the person fixes the file once instead of once per error."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from dayi.accounts.models import Organisation
from dayi.accounts.permissions import scope_of

from .columns import BY_HEADER, COLUMNS, DISCIPLINES, OWNER, THEMES, YEARLY_USAGE, Column, default_for
from .files import FileRefused, Table, problem
from .lookups import Lookups
from .values import CellError, is_blank

PROGRESS_EVERY = 200


@dataclass
class ParsedRow:
    number: int
    owner: Organisation
    data: dict
    disciplines: list | None
    themes: list | None
    yearly_usage: dict | None = None

    @property
    def key(self):
        return self.owner.pk, self.data["inventory_number"]


def read_header(header: list[str], *, unit) -> list[Column | None]:
    """The column of each position (None for a blank header cell), or every header problem."""
    columns, errors, seen = [], [], set()
    for index, title in enumerate(header):
        letter = get_column_letter(index + 1)
        column = BY_HEADER.get(title)
        if title and column is None:
            errors.append(problem(_("Unknown column %(name)s.") % {"name": title}, row=1, column=title, letter=letter))
        elif column is not None and title in seen:
            errors.append(
                problem(_("Column %(name)s appears twice.") % {"name": title}, row=1, column=title, letter=letter)
            )
            column = None
        seen.add(title)
        columns.append(column)
    needed = [c for c in COLUMNS if c.required or (c.field == OWNER and unit is None)]
    for column in needed:
        if column.header not in seen:
            errors.append(
                problem(_("The required column %(name)s is missing from row 1.") % {"name": column.header}, row=1)
            )
    if errors:
        raise FileRefused(errors)
    return columns


def validate(table: Table, *, actor, unit, lookups: Lookups | None = None, progress=None) -> list[ParsedRow]:
    """Every row parsed, or FileRefused listing every error with its row and column."""
    lookups = lookups or Lookups()
    columns = read_header(table.header, unit=unit)
    may_import_any_unit = scope_of(actor).is_operator
    parsed, errors, first_row_of = [], [], {}
    for done, (number, cells) in enumerate(table.rows, start=1):
        row_errors = []
        values = _parse_cells(number, cells, columns, lookups, row_errors)
        owner = _row_owner(number, values, columns, unit, may_import_any_unit, row_errors)
        key = (owner.pk if owner else None, values.get("inventory_number"))
        if all(key) and key in first_row_of:
            message = _("Inventory number %(number)s already appears in row %(row)d.") % {
                "number": key[1],
                "row": first_row_of[key],
            }
            row_errors.append(problem(message, row=number, value=key[1], **_located(columns, "inventory_number")))
        elif all(key):
            first_row_of[key] = number
        if row_errors:
            errors.extend(row_errors)
        else:
            related = [values.pop(name, None) for name in (DISCIPLINES, THEMES, YEARLY_USAGE)]
            parsed.append(ParsedRow(number, owner, values, *related))
        if progress and (done % PROGRESS_EVERY == 0 or done == len(table.rows)):
            progress(done)
    if errors:
        raise FileRefused(errors)
    return parsed


def _row_owner(number, values, columns, unit, may_import_any_unit, errors):
    """The row's unit (the import's unit when the cell is empty), checked against the person's rights."""
    owner = values.pop(OWNER, None) or unit
    where = _located(columns, OWNER)
    if any(error["column"] == where["column"] for error in errors):
        return None
    if owner is None:
        errors.append(problem(_("Required field is empty."), row=number, **where))
    elif not may_import_any_unit and owner != unit:
        message = _("You may only import instruments of your own unit (%(unit)s).") % {"unit": unit}
        errors.append(problem(message, row=number, value=owner.name, **where))
    return owner


def _parse_cells(number, cells, columns, lookups, errors) -> dict:
    values = {}
    for index in range(max(len(cells), len(columns))):
        cell = cells[index] if index < len(cells) else None
        column = columns[index] if index < len(columns) else None
        letter = get_column_letter(index + 1)
        if column is None:
            if not is_blank(cell):
                errors.append(problem(_("This column has no header."), row=number, letter=letter, value=cell))
            continue
        where = {"row": number, "column": column.header, "letter": letter}
        if is_blank(cell):
            if column.required:
                errors.append(problem(_("Required field is empty."), **where))
            elif column.field != OWNER:
                values[column.field] = default_for(column)
            continue
        try:
            values[column.field] = column.parse(cell, lookups)
        except CellError as error:
            errors.append(problem(error.message, value=cell, **where))
    return values


def _located(columns, field) -> dict:
    for index, column in enumerate(columns):
        if column is not None and column.field == field:
            return {"column": column.header, "letter": get_column_letter(index + 1)}
    return {"column": next(c.header for c in COLUMNS if c.field == field), "letter": ""}
