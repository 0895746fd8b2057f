"""Excel exports: every export writes its cells through here.

Formula injection (OWASP "CSV Injection"): text typed by a user (a name, a committee's reason, a
selection note) that starts with = + - @, a tab or a carriage return is run as a formula by
Excel or LibreOffice when a staff member opens the file. OWASP's recommendation is to prefix such
a cell with a single quote so that it is text; we do that, and also store the cell as a string
(openpyxl would otherwise write a value starting with "=" as a formula). Numbers, dates and None
are written as they are.

Sheet titles may not contain []:*?/\\ and are at most 31 characters; a title made from user
input (a semester) goes through `sheet_title`.
"""
import io
import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
# openpyxl refuses these control characters in cell text (IllegalCharacterError).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value):
    """The value to write: text that a spreadsheet would run as a formula becomes plain text."""
    if isinstance(value, str):
        value = _ILLEGAL.sub("", value)
        if value.startswith(FORMULA_TRIGGERS):
            return "'" + value
    return value


def append_row(sheet, values):
    sheet.append([safe_cell(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.data_type == "f":
            cell.data_type = "s"


def sheet_title(text, fallback="Sheet"):
    title = _TITLE_FORBIDDEN.sub("_", str(text or "")).strip("'")[:31]
    return title or fallback


def workbook_bytes(title, header, rows):
    """An .xlsx of one sheet: the header row, then `rows`, every cell through `safe_cell`."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(title)
    append_row(sheet, header)
    for row in rows:
        append_row(sheet, row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
