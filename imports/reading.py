"""Reading an uploaded CSV or Excel file into a header and numbered rows.

django-import-export's tablib-based CSV format reads CSV. Its Resource machinery (one row →
one model instance, saved row by row) is not used for the writes: a row here becomes an entry
of one of several kinds or a profile update, must pass our access check, and the whole file is
written in one transaction or not at all, which imports.services does itself.

Excel files are streamed with openpyxl's read-only mode and the row count is capped
(`IMPORT_MAX_ROWS`, 20,000 by default): a 144 KB .xlsx can hold a million rows (issue 12: 43 s in
a request). The sheet's declared size is checked before any row is read, and reading stops at the
first row over the cap either way. CSV rows are counted the same way before they are parsed.
"""
import csv
import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV
from tablib import InvalidDimensions

ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip archive
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
MAX_BYTES = getattr(settings, "IMPORT_MAX_BYTES", 20 * 1024 * 1024)
MAX_UNPACKED_BYTES = 300 * 1024 * 1024  # an .xlsx of 20,000 ordinary rows unpacks to some 10-20 MB


def max_rows():
    return getattr(settings, "IMPORT_MAX_ROWS", 20_000)


class FileProblem(Exception):
    """The file cannot be read as a table at all (not one row's fault)."""

    def __init__(self, message, *, rows_read=None):
        super().__init__(message)
        self.rows_read = rows_read  # for "too many rows": how far reading went before it stopped


def _too_many_rows(limit, rows_read):
    return FileProblem(_("The file has more than %(max)s data rows: split it into files of at most %(max)s rows.")
                       % {"max": f"{limit:,}"}, rows_read=rows_read)


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


def _check_undeclared_sheet(archive, info, limit):
    """openpyxl reads a sheet's size from its <dimension>; without one it parses the whole sheet
    while opening the workbook (a million rows: about a minute). Such a sheet's rows are counted
    here from the raw XML, stopping as soon as there are too many."""
    with archive.open(info) as sheet:
        head = sheet.read(65536)
        if b"<dimension" in head or b":dimension" in head:
            return  # openpyxl reads the declared size; _read_xlsx checks it
    with archive.open(info) as sheet:
        rows = _count_row_tags(sheet, limit + 2)
    if rows - 1 > limit:  # the header is a row
        raise _too_many_rows(limit, rows)


def _read_xlsx(content, limit):
    """Header and rows of the first sheet, streamed; at most `limit` data rows."""
    import zipfile

    import openpyxl

    with zipfile.ZipFile(io.BytesIO(content)) as archive:  # a zip bomb is refused before it is unpacked
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise FileProblem(_("The Excel file unpacks to more than %(mb)d MB: split it into smaller files.")
                              % {"mb": MAX_UNPACKED_BYTES // (1024 * 1024)})
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                _check_undeclared_sheet(archive, info, limit)
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = book.active
        declared = sheet.max_row  # from the sheet's <dimension>, before any row is read
        if declared is not None and declared - 1 > limit:
            raise _too_many_rows(limit, 0)
        values = sheet.iter_rows(values_only=True)
        header = next(values, None) or ()
        rows = []
        # openpyxl fills gaps between rows with empty ones, so every row yielded counts
        for number, row in enumerate(values, start=2):
            if len(rows) >= limit:
                raise _too_many_rows(limit, len(rows) + 1)
            rows.append((number, list(row)))
        return list(header), rows
    finally:
        book.close()


def _count_csv_rows(text, limit):
    for count, _row in enumerate(csv.reader(io.StringIO(text)), start=0):  # the header is row 0
        if count > limit:
            raise _too_many_rows(limit, count)


def read_table(name, content, *, limit=None):
    limit = limit or max_rows()
    check_size(len(content))
    lower = (name or "").lower()
    if lower.endswith(".xls"):
        raise FileProblem(_("Old Excel files (.xls) cannot be read: save the file as .xlsx or CSV."))
    is_xlsx = content.startswith(ZIP_MAGIC)
    if lower.endswith(".xlsx") and not is_xlsx:
        raise FileProblem(_("Cannot read the file: save it as CSV (UTF-8) or Excel (.xlsx)."))
    try:
        if is_xlsx:
            headers, rows = _read_xlsx(content, limit)
        else:
            text = _decode(content)
            _count_csv_rows(text, limit)
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
    if not is_xlsx:
        headers = dataset.headers or []
        # tablib drops CSV lines that are completely empty; Excel writes empty rows as ",,," which
        # are kept, so the numbers below are the spreadsheet's row numbers in practice.
        rows = [(number, list(row)) for number, row in enumerate(dataset, start=2)]
    headers = ["" if h is None else str(h).replace("\ufeff", "").strip() for h in headers]
    if not any(headers):
        raise FileProblem(_("The file has no header row."))
    return Table(headers=headers, rows=rows)


def estimate_data_rows(name, content):
    """About how many data rows the file has, without parsing it (whether to run it as a task).
    None when it cannot tell; read_table then reports what is wrong with the file."""
    import zipfile

    try:
        if content.startswith(ZIP_MAGIC):
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                counts = []
                for info in archive.infolist():
                    if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                        with archive.open(info) as sheet:
                            counts.append(_count_row_tags(sheet, max_rows() + 2))
                return max(counts, default=1) - 1
        return sum(1 for _row in csv.reader(io.StringIO(_decode(content)))) - 1
    except (FileProblem, zipfile.BadZipFile, csv.Error, OSError, EOFError, ValueError):
        return None


def _count_row_tags(stream, stop_at):
    rows, tail = 0, b""
    while chunk := stream.read(1024 * 1024):
        window = tail + chunk
        rows += len(_ROW_TAG.findall(window)) - len(_ROW_TAG.findall(tail))
        if rows >= stop_at:
            break
        tail = window[-16:]
    return rows
