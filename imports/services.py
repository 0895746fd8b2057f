"""Running an import: read the file, check every row, then write all of it or nothing.

`run_import` is the only write. It reads the file (imports.reading), maps its columns
(imports.sources), finds each row's student through careers.access, validates the row with the
kind's own form (careers.kinds), and only when no row has an error creates the entries,
approved, in one transaction. A dry run does the same checks and writes nothing.
"""
import hashlib
import json
import logging
import os
import zlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import log_action
from careers import access
from careers.models import CareerEntry, EntryStatus, Organization, StudentProfile
from careers.services import _recompute_after_commit
from mileage_portal.text import change_reason

from .models import ImportBatch, ImportedRow
from .reading import FileProblem, check_size, read_table
from .sources import (
    GPA, RECORD_ID, SESSION, SOURCES, STUDENT_NAME, STUDENT_NO, CellError, cell_text, parse_cell, parse_number,
)

logger = logging.getLogger(__name__)
GPA_MAX = Decimal("4.5")
# Columns whose cells are used as they are (not form fields).
ROW_FIELDS = {STUDENT_NO, STUDENT_NAME, RECORD_ID, GPA, SESSION}
COURSE_FIELDS = ("name", "grade", "date")  # academic_records: a row with any of these is a course
PROGRESS_EVERY = 100  # rows between two progress reports of an import job
LOCK_NAMESPACE = 7301  # pg_advisory_xact_lock(namespace, source): one committing import per source


@dataclass
class RowError:
    row: int | None  # the file's row number (the header is row 1); None: the whole file
    column: str  # the column's header as written in the file
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        if not self.column:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)s · %(column)s: %(message)s") % {
            "row": self.row, "column": self.column, "message": self.message}


@dataclass
class PlannedRow:
    row: int
    key: str | None
    student: StudentProfile | None = None
    form: object = None  # the kind's bound, valid form: an entry to create
    gpa: Decimal | None = None
    skipped: bool = False  # its key was imported before

    @property
    def summary(self):
        return self.form.summary(self.form.to_data()) if self.form is not None else ""

    @property
    def kind_label(self):
        return self.form.label if self.form is not None else ""


@dataclass
class ImportResult:
    batch: ImportBatch  # saved only when committed
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    gpa_changes: dict = field(default_factory=dict)  # student pk → new GPA
    row_count: int = 0  # non-empty data rows

    @property
    def ok(self):
        return not self.errors

    @property
    def to_create(self):
        return [r for r in self.rows if not r.skipped and r.form is not None]

    @property
    def skipped(self):
        return [r for r in self.rows if r.skipped]


class ImportRejected(ValidationError):
    """A committing import found errors: nothing was written. `result.errors` lists them all."""

    def __init__(self, result):
        self.result = result
        super().__init__([str(e) for e in result.errors])


def may_import(user):
    """Central-office staff and administrators (imports.access.can_import, which the pages declare)."""
    from .access import can_import

    return can_import(user)


@transaction.atomic
def run_import(*, actor, source, uploaded_file, dry_run, progress=None):
    """Check every row of the file and, unless `dry_run`, import it as one batch.

    Returns an ImportResult. A dry run returns its errors in the result and writes nothing; a
    committing run with any error raises ImportRejected (carrying the same result) and writes
    nothing either. Raises PermissionDenied for users who may not import. `progress(done, total)`,
    when given, is called as rows are checked (an import job shows it).
    """
    if not may_import(actor):
        raise PermissionDenied(_("Only central-office staff and administrators may import records."))
    spec = SOURCES.get(source)
    if spec is None:
        raise ValidationError({"source": _("Unknown source '%(source)s'.") % {"source": source}})
    name = os.path.basename(getattr(uploaded_file, "name", "") or "upload")[-255:]
    content, table, file_problem = b"", None, None
    try:
        check_size(getattr(uploaded_file, "size", None))
        content = _read_all(uploaded_file)
        table = read_table(name, content)
    except FileProblem as problem:
        file_problem = RowError(None, "", str(problem))
    batch = ImportBatch(source=spec.code, file_name=name, sha256=hashlib.sha256(content).hexdigest(),
                        uploaded_by=actor, status=ImportBatch.Status.DRY_RUN)
    result = ImportResult(batch=batch)
    if not dry_run:
        _lock(spec.code)  # before looking up keys, so that two runs of one file cannot both create
    if file_problem:
        result.errors.append(file_problem)
    else:
        _plan(actor, spec, table, result, progress or (lambda done, total: None))
    batch.row_count = result.row_count
    batch.created_count = len(result.to_create)
    batch.skipped_count = len(result.skipped)
    batch.updated_count = len(result.gpa_changes)
    if dry_run:
        return result
    if result.errors:
        raise ImportRejected(result)
    _write(actor, spec, result)
    return result


def _read_all(uploaded_file):
    if hasattr(uploaded_file, "chunks"):
        return b"".join(uploaded_file.chunks())  # File.chunks() rewinds first
    return uploaded_file.read()


def _lock(source):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                           [LOCK_NAMESPACE, zlib.crc32(source.encode()) & 0x7FFFFFFF])


# --- checking ---------------------------------------------------------------------------------
@dataclass
class _Parsed:
    row: int
    texts: dict  # field → the cell's text
    values: dict  # field → the value for the form
    problems: list  # (field, message) found while reading the cells
    key: str | None


def _map_header(spec, headers, errors):
    """field → (index, header as written). Other columns (학과, 비고, …) are ignored."""
    positions = {}
    for index, header in enumerate(headers):
        column = next((c for c in spec.columns if header and c.matches(header)), None)
        if column is None:
            continue
        if column.field in positions:
            errors.append(RowError(1, header, _("The same column appears twice (also %(other)s).")
                                   % {"other": positions[column.field][1]}))
            continue
        positions[column.field] = (index, header)
    for column in spec.required_columns():
        if column.field not in positions:
            errors.append(RowError(1, f"{column.label} ({column.headers[0]})", _("This column is missing.")))
    if spec.code == "academic_records" and GPA not in positions and "name" not in positions:
        gpa, course = spec.column(GPA), spec.column("name")
        errors.append(RowError(1, f"{gpa.label} / {course.label}",
                               _("The file needs a GPA column, a course-name column, or both.")))
    return positions


def _key_text(value):
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _parse_rows(spec, table, positions):
    """First pass: every non-empty row's cells and key (the key decides what is skipped)."""
    parsed, seen_ids, occurrences = [], {}, Counter()
    has_record_id = RECORD_ID in positions
    for number, cells in table.rows:
        if not any(cell_text(v) for v in cells):
            continue  # an empty line is not a record
        texts = {f: cell_text(cells[i]) if i < len(cells) else "" for f, (i, _h) in positions.items()}
        values, problems = {}, []
        for column in spec.columns:
            text = texts.get(column.field, "")
            if column.field in ROW_FIELDS:
                values[column.field] = parse_number(text) if column.field == GPA and text else text
                continue
            try:
                values[column.field] = parse_cell(spec, column, text)
            except CellError as error:
                problems.append((column.field, str(error)))
                values[column.field] = text
        key = None
        if has_record_id:
            record_id = texts[RECORD_ID]
            if not record_id:
                problems.append((RECORD_ID, _("This file has record ids: every row needs one.")))
            elif record_id in seen_ids:
                problems.append((RECORD_ID, _("The same record id is on row %(row)s.") % {"row": seen_ids[record_id]}))
            else:
                seen_ids[record_id] = number
                key = f"id:{record_id}" if len(record_id) <= 90 else \
                    f"idh:{hashlib.sha256(record_id.encode()).hexdigest()}"
        else:
            # The normalised row (codes, ISO dates, defaults applied), so the same record keys
            # alike from CSV or Excel, Korean or English headers. Identical rows are numbered:
            # two sessions on one day are two records, and the same file twice gives the same keys.
            basis = json.dumps({f: _key_text(v) for f, v in values.items() if f != STUDENT_NAME},
                               ensure_ascii=False, sort_keys=True)
            digest = hashlib.sha256(basis.encode()).hexdigest()
            occurrences[digest] += 1
            key = f"sha256:{digest}:{occurrences[digest]}"
        parsed.append(_Parsed(number, texts, values, problems, key))
    return parsed


def _plan(actor, spec, table, result, progress):
    errors = result.errors
    positions = _map_header(spec, table.headers, errors)
    if errors:
        return  # without its columns every row would repeat the same complaint
    parsed = _parse_rows(spec, table, positions)
    result.row_count = len(parsed)
    if not parsed:
        errors.append(RowError(None, "", _("The file has no data rows.")))
        return
    existing = set(ImportedRow.objects.filter(source=spec.code, row_key__in=[p.key for p in parsed if p.key])
                   .values_list("row_key", flat=True))
    numbers = {p.texts.get(STUDENT_NO, "") for p in parsed}
    students = {s.student_no: s for s in StudentProfile.objects.filter(student_no__in=numbers)}
    visible = set(access.students_visible_to(actor).filter(student_no__in=numbers).values_list("pk", flat=True))

    def shown(name):
        return positions[name][1] if name in positions else spec.column(name).label

    gpa_rows = {}  # student pk → (gpa, row)
    progress(0, len(parsed))
    for done, p in enumerate(parsed):
        if done % PROGRESS_EVERY == 0:
            progress(done, len(parsed))
        student = students.get(p.texts.get(STUDENT_NO, ""))
        if p.key in existing:
            result.rows.append(PlannedRow(p.row, p.key, student=student, skipped=True))
            continue
        row_errors = []

        def err(name, message, p=p, row_errors=row_errors):
            row_errors.append(RowError(p.row, shown(name) if name else "", str(message)))

        for name, message in p.problems:
            err(name, message)
        student = _check_student(p, student, visible, err)
        planned = PlannedRow(p.row, p.key, student=student)
        if spec.code == "academic_records":
            gpa_text = p.texts.get(GPA, "")
            if not gpa_text and not any(p.texts.get(f) for f in COURSE_FIELDS):
                err("name" if "name" in positions else GPA, _("Enter a GPA, a course, or both."))
            if gpa_text:
                planned.gpa = _check_gpa(gpa_text, student, gpa_rows, p.row, err)
            if any(p.texts.get(f) for f in COURSE_FIELDS):
                planned.form = _check_form(spec, p, err)
        else:
            planned.form = _check_form(spec, p, err)
        errors.extend(row_errors)
        if not row_errors:
            result.rows.append(planned)
    for planned in result.rows:
        if planned.gpa is not None and not planned.skipped:
            current = planned.student.gpa
            if current is None or Decimal(current) != planned.gpa:
                result.gpa_changes[planned.student.pk] = planned.gpa


def _squash(text):
    return "".join(str(text).split())


def _check_student(p, student, visible, err):
    number = p.texts.get(STUDENT_NO, "")
    if not number:
        err(STUDENT_NO, _("This field is required."))
        return None
    if student is None:
        err(STUDENT_NO, _("No student has this student number."))
        return None
    if student.pk not in visible:
        err(STUDENT_NO, _("You may not see this student's records."))
        return None
    name = p.texts.get(STUDENT_NAME, "")
    if name and _squash(name) != _squash(student.name):
        err(STUDENT_NAME, _("Student %(no)s is %(name)s, not this name.") % {"no": number, "name": student.name})
    return student


def _check_gpa(text, student, gpa_rows, row, err):
    try:
        gpa = Decimal(text)
    except InvalidOperation:
        gpa = None
    if gpa is None or not gpa.is_finite() or not (0 <= gpa <= GPA_MAX) or gpa.as_tuple().exponent < -2:
        err(GPA, _("Enter a GPA between 0 and 4.5 with at most two decimals (e.g. 3.75)."))
        return None
    if student is not None:
        earlier = gpa_rows.setdefault(student.pk, (gpa, row))
        if earlier[0] != gpa:
            err(GPA, _("Row %(row)s gives this student a different GPA.") % {"row": earlier[1]})
            return None
    return gpa


def _check_form(spec, p, err):
    """The kind's form decides, with the messages a student would see."""
    data = {c.field: p.values[c.field] for c in spec.data_columns()}
    form = spec.form_class(data=data)
    if form.is_valid():
        return form
    already = {name for name, _message in p.problems}  # a cell we could not read is reported once
    for name, messages in form.errors.items():
        if name in already:
            continue
        for message in messages:
            err(name if name in data else "", message)
    return None


# --- writing ----------------------------------------------------------------------------------
def _write(actor, spec, result):
    batch = result.batch
    batch.status = ImportBatch.Status.COMMITTED
    batch.save()
    now = timezone.now()
    reason = change_reason(f"import batch {batch.pk} ({batch.file_name})")  # history keeps 100 characters
    organizations = {}
    links, affected = [], set()
    for planned in result.rows:
        if planned.skipped:
            continue
        entry = None
        if planned.form is not None:
            entry = _create_entry(actor, batch, planned.form, planned.student, now, reason, organizations)
            affected.add(planned.student.pk)
        links.append(ImportedRow(batch=batch, source=batch.source, row_key=planned.key,
                                 row_number=planned.row, student=planned.student, entry=entry))
    ImportedRow.objects.bulk_create(links)
    for student_pk, gpa in result.gpa_changes.items():
        student = StudentProfile.objects.select_for_update().get(pk=student_pk)
        student.gpa = gpa
        student._change_reason = reason
        student._history_user = actor
        student.save(update_fields=["gpa"])
        affected.add(student_pk)
    log_action(actor=actor, action="import.batch", obj=batch, data={
        "source": batch.source, "file_name": batch.file_name, "sha256": batch.sha256,
        "rows": batch.row_count, "created": batch.created_count, "skipped": batch.skipped_count,
        "profiles_updated": batch.updated_count,
    })
    for student_pk in sorted(affected):
        _recompute_after_commit(student_pk)


def _create_entry(actor, batch, form, student, now, reason, organizations):
    organization = None
    if form.org_field:
        # Link the directory's organisation when the name is in it; a campus system's name that
        # is not is kept as written (these records are not a student's typing to check).
        typed = form.cleaned_data[form.org_field].strip()
        if typed.casefold() not in organizations:
            organizations[typed.casefold()] = Organization.objects.filter(name__iexact=typed, active=True).first()
        organization = organizations[typed.casefold()]
        if organization is not None:
            form.cleaned_data[form.org_field] = organization.name
    entry = CareerEntry(
        student=student, kind=form.kind, status=EntryStatus.APPROVED, date=form.entry_date(),
        data=form.to_data(), organization=organization, source=batch.entry_source,
        decided_at=now, decided_by=actor, created_by=actor,
    )
    entry._change_reason = reason
    entry._history_user = actor
    entry.save()
    return entry


# --- big files: import jobs -------------------------------------------------------------------
JOB_ERRORS_KEPT = 500  # errors listed on the job page (the count covers all of them)
JOB_ROWS_KEPT = 500  # rows listed on the job page, as the preview lists them


def task_rows():
    """Files with more data rows than this are checked and imported by a task (IMPORT_TASK_ROWS)."""
    from django.conf import settings

    return getattr(settings, "IMPORT_TASK_ROWS", 2000)


def pending_path(user_id, sha256):
    """Where an uploaded file waits between its preview and its commit (default storage)."""
    return f"imports/pending/{user_id}/{sha256}"


def job_start(*, actor, source, file_name, sha256, rows, dry_run):
    """Queue a task that checks (dry run) or imports the file kept at pending_path."""
    from .models import ImportJob
    from .tasks import run_import_job

    if not may_import(actor):
        raise PermissionDenied(_("Only central-office staff and administrators may import records."))
    if source not in SOURCES:
        raise ValidationError({"source": _("Unknown source '%(source)s'.") % {"source": source}})
    job = ImportJob.objects.create(user=actor, source=source, file_name=file_name[-255:], sha256=sha256,
                                   dry_run=dry_run, rows_total=rows)
    transaction.on_commit(lambda: run_import_job.delay(job.pk))
    return job


def _summary(result):
    return {
        "ok": result.ok, "error_count": len(result.errors),
        "errors": [str(e) for e in result.errors[:JOB_ERRORS_KEPT]],
        "row_count": result.batch.row_count, "created_count": result.batch.created_count,
        "skipped_count": result.batch.skipped_count, "updated_count": result.batch.updated_count,
        "rows": [[r.row, r.student.student_no if r.student else "", r.student.name if r.student else "",
                  r.summary, str(r.kind_label), str(r.gpa) if r.gpa is not None else ""]
                 for r in result.to_create[:JOB_ROWS_KEPT]],
    }


def job_run(job_id):
    """The task's work: run the import on the kept file and keep the outcome on the job."""
    from django.core.cache import cache
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from .models import ImportJob

    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return job  # a redelivered task does not run a job twice
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    path = pending_path(job.user_id, job.sha256)

    def progress(done, total):
        cache.set(job.progress_key, done, 24 * 3600)

    try:
        with default_storage.open(path, "rb") as kept:
            content = kept.read()
        if hashlib.sha256(content).hexdigest() != job.sha256:
            raise FileNotFoundError(path)
        try:
            result = run_import(actor=job.user, source=job.source, dry_run=job.dry_run, progress=progress,
                                uploaded_file=ContentFile(content, name=job.file_name))
        except ImportRejected as rejected:  # the records changed since the check: nothing written
            result = rejected.result
        job.result = _summary(result)
        job.status = ImportJob.Status.DONE
        if not job.dry_run and result.ok:
            job.batch = result.batch
            default_storage.delete(path)
    except FileNotFoundError:
        job.status = ImportJob.Status.FAILED
        job.result = {"ok": False, "error_count": 1,
                      "errors": [_("The file is no longer on the server; upload it again.")]}
    except Exception:  # the page must not wait for ever: the job says it failed, the log says why
        logger.exception("import job %s failed", job.pk)
        job.status = ImportJob.Status.FAILED
        job.result = {"ok": False, "error_count": 1,
                      "errors": [_("The import stopped because of an error on the server; nothing was imported.")]}
    job.finished_at = timezone.now()
    job.rows_total = job.result.get("row_count", job.rows_total) or job.rows_total
    job.save()
    cache.delete(job.progress_key)
    return job


def job_progress(job):
    """(rows checked, rows in all) of a running job."""
    from django.core.cache import cache

    return cache.get(job.progress_key, 0), job.rows_total
