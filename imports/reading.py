"""Reading an uploaded CSV or Excel file into a header and numbered rows.

django-import-export's tablib-based formats do the reading. Its Resource machinery (one row →
one model instance, saved row by row) is not used for the writes: a row here becomes an entry
of one of several kinds or a profile update, must pass our access check, and the whole file is
written in one transaction or not at all, which imports.services does itself.
"""
import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX
from tablib import InvalidDimensions

ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip archive
MAX_BYTES = getattr(settings, "IMPORT_MAX_BYTES", 20 * 1024 * 1024)


class FileProblem(Exception):
    """The file cannot be read as a table at all (not one row's fault)."""


@dataclass
class Table:
    headers: list  # as written in the file
    rows: list  # (row number in the file, [cell values]); the header is row 1


def _decode(content):
    # Campus systems export UTF-8 (often with a BOM, as Excel writes it) or, older ones, CP949.
    for encoding in ("utf-8-sig", "cp949"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileProblem(_("Cannot read the file: save it as CSV (UTF-8) or Excel (.xlsx)."))


def _first_ragged_row(text, width):
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if len(row) > width:
            return number
    return None


def check_size(size):
    if size is not None and size > MAX_BYTES:
        raise FileProblem(_("The file is too large (at most %(mb)d MB).") % {"mb": MAX_BYTES // (1024 * 1024)})


def read_table(name, content):
    check_size(len(content))
    lower = (name or "").lower()
    if lower.endswith(".xls"):
        raise FileProblem(_("Old Excel files (.xls) cannot be read: save the file as .xlsx or CSV."))
    is_xlsx = content.startswith(ZIP_MAGIC)
    if lower.endswith(".xlsx") and not is_xlsx:
        raise FileProblem(_("Cannot read the file: save it as CSV (UTF-8) or Excel (.xlsx)."))
    try:
        if is_xlsx:
            dataset = XLSX().create_dataset(content)
        else:
            text = _decode(content)
            try:
                dataset = CSV().create_dataset(text)
            except InvalidDimensions:
                row = _first_ragged_row(text, len(next(csv.reader(io.StringIO(text)), [])))
                raise FileProblem(
                    _("Row %(row)s has more cells than the header.") % {"row": row or "?"}
                ) from None
    except FileProblem:
        raise
    except Exception:  # a broken zip, a password-protected workbook, …: the reader's words help nobody
        raise FileProblem(_("Cannot read the file: save it as CSV (UTF-8) or Excel (.xlsx).")) from None
    headers = ["" if h is None else str(h).replace("\ufeff", "").strip() for h in (dataset.headers or [])]
    if not any(headers):
        raise FileProblem(_("The file has no header row."))
    # tablib drops CSV lines that are completely empty; Excel writes empty rows as ",,," which
    # are kept, so the numbers below are the spreadsheet's row numbers in practice.
    rows = [(number, list(row)) for number, row in enumerate(dataset, start=2)]
    return Table(headers=headers, rows=rows)
