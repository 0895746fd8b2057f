"""Recompute and store a student's results for every program their institution uses."""
import functools
import hashlib
from collections import defaultdict
import json
import logging
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from careers.models import StudentProfile

from .engine import EngineError, available_programs, evaluate
from .inputs import student_document
from .models import StoredResult
from .rulesets import active_rules_dir
from .signals import redemptions_for, results_stored

log = logging.getLogger(__name__)


@functools.cache
def _known_programs():
    # Scanning the rules folder costs ~9 ms; rule sets are loaded once per process anyway.
    return frozenset(available_programs())


def programs_for(student):
    wanted = student.major.department.campus.institution.programs or []
    known = _known_programs()
    return [p for p in wanted if p in known]


def evaluations(student, prepared, redemptions=None, *, programs=None, rules_dir=None):
    """(program, result or None, input digest, error) for each program that applies to the student
    (or those of `programs` that do), under the rules in force (`rules_dir`: scoring.rulesets);
    `error` is the engine's one-line complaint when the result is None, else ""."""
    out = []
    # The entries are most of the input: encode them once for every program's digest.
    entries_json = json.dumps(prepared, sort_keys=True, separators=(",", ":"))
    for program in programs_for(student):
        if programs is not None and program not in programs:
            continue
        doc = student_document(student, program, prepared_entries=prepared, redemptions=redemptions)
        rest = json.dumps({**doc, "as_of": None, "entries": None}, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(f"{rest}\n{entries_json}".encode()).hexdigest()
        try:
            out.append((program, evaluate(doc, rules_dir=rules_dir), digest, ""))
        except EngineError as error:
            # A student the rules cannot read (e.g. a major with no rule set yet) must not fail the
            # approval that triggered it: the caller keeps the last good result, marked stale.
            log.warning("evaluation of %s for %s failed: %s", program, student.student_no, error)
            out.append((program, None, digest, str(error)[:2000]))
        except Exception as error:  # noqa: BLE001 - a defect in the engine or a rule file, not the input
            # Never lose the student's standing to a bug either: stale, with the error for the admins.
            log.exception("evaluation of %s for %s crashed", program, student.student_no)
            out.append((program, None, digest, f"internal error ({type(error).__name__}): {error}"[:2000]))
    return out


def recompute_student(*, student_id):
    """Evaluate the student under each applicable program and replace the stored results (and the
    DU-HEART ledger); returns the stored rows."""
    recompute_students(student_ids=[student_id])
    return list(StoredResult.objects.filter(student_id=student_id).order_by("program"))


@transaction.atomic
def recompute_students(*, student_ids):
    """Evaluate each student under every program their institution uses and replace their stored
    results and ledger, together or not at all, in a handful of queries whatever the number of
    students (batch recomputation passes chunks of a few hundred; an approval passes one)."""
    students = list(StudentProfile.objects.select_for_update(of=("self",))
                    .select_related("major__department__campus__institution")
                    .filter(pk__in=list(student_ids)).order_by("pk"))  # pk order: no lock cycles
    entries, redemptions = load_inputs([s.pk for s in students])
    rules_dir = active_rules_dir()
    rows, failed, ledger = [], [], {}
    for student in students:
        for program, result, digest, error in evaluations(student, entries[student.pk], redemptions[student.pk],
                                                           rules_dir=rules_dir):
            if result is None:
                failed.append((student.pk, program, digest, error))
                continue
            rows.append((student.pk, program, result, digest))
            if program == "du-heart":
                ledger[student.pk] = (result, str(result.get("ruleset_version") or ""))
    _mark_stale(failed)
    _upsert_results(rows)
    if ledger:  # the scholarships ledger appends its rows in this transaction (scoring/signals.py)
        results_stored.send(sender=StoredResult, du_heart=ledger)
    return len(students)


def load_inputs(student_ids):
    """The contract entries and confirmed redemptions of many students, in two queries:
    ({student id: [entry, ...]}, {student id: [redemption, ...]})."""
    from careers.models import CONTRACT_COLUMNS, CareerEntry, EntryStatus, contract_entry
    entries = defaultdict(list)
    # Columns, not model instances; the entries' default order, as student.entries.all() gives.
    for student_id, *columns in (CareerEntry.objects.filter(student_id__in=student_ids)
                                 .exclude(status=EntryStatus.DRAFT).values_list("student_id", *CONTRACT_COLUMNS)):
        entries[student_id].append(contract_entry(*columns))
    return entries, redemptions_for(student_ids)


def _mark_stale(failed):
    """Issue 10: a failed evaluation never wipes a student's standing. The last good result stays,
    marked stale with the engine's error (`stale_since` keeps the first failure); a student with no
    good result yet gets an empty row carrying the error, so every page can count and show it.
    The ledger is left alone: it follows good results only."""
    if not failed:
        return
    now = timezone.now()
    existing = {(r.student_id, r.program): r for r in StoredResult.objects.filter(
        student_id__in={f[0] for f in failed}, program__in={f[1] for f in failed})}
    for student_id, program, digest, error in failed:
        row = existing.get((student_id, program))
        if row is None:
            StoredResult.objects.create(student_id=student_id, program=program, ruleset="", ruleset_version="",
                                        total=Decimal(0), passed=None, result={}, input_digest=digest,
                                        error=error, stale_since=now)
        else:
            StoredResult.objects.filter(pk=row.pk).update(error=error, stale_since=row.stale_since or now)


_UPSERT = """
INSERT INTO {table} (student_id, program, ruleset, ruleset_version, total, passed, result, input_digest,
                     computed_at, error, stale_since)
VALUES {values}
ON CONFLICT (student_id, program) DO UPDATE SET
    ruleset = EXCLUDED.ruleset, ruleset_version = EXCLUDED.ruleset_version, total = EXCLUDED.total,
    passed = EXCLUDED.passed, result = EXCLUDED.result, input_digest = EXCLUDED.input_digest,
    computed_at = EXCLUDED.computed_at, error = '', stale_since = NULL
"""


def _upsert_results(rows):
    """Insert or replace StoredResult rows in one statement. On PostgreSQL written as SQL because the
    ORM's bulk_create(update_conflicts=True) spent a third of a chunk escaping the results' JSON as
    array elements; here each result is encoded once and cast by the server (same columns, same
    rows). Other databases (SQLite when running the demo) take the ORM's way."""
    if not rows:
        return
    now = timezone.now()
    fields = [(student_id, program, result.get("ruleset") or "", str(result.get("ruleset_version") or ""),
               Decimal(str(result.get("total") or 0)), result.get("passed"), result, digest)
              for student_id, program, result, digest in rows]
    if connection.vendor != "postgresql":
        StoredResult.objects.bulk_create(
            [StoredResult(student_id=f[0], program=f[1], ruleset=f[2], ruleset_version=f[3], total=f[4], passed=f[5],
                          result=f[6], input_digest=f[7], error="", stale_since=None) for f in fields],
            update_conflicts=True, unique_fields=["student", "program"],
            update_fields=["ruleset", "ruleset_version", "total", "passed", "result", "input_digest", "computed_at",
                           "error", "stale_since"])
        return
    params = []
    for *head, result, digest in fields:
        params += [*head, json.dumps(result, ensure_ascii=False), digest, now]
    placeholder = "(%s, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, '', NULL)"  # a good result is never stale
    sql = _UPSERT.format(table=connection.ops.quote_name(StoredResult._meta.db_table),
                         values=", ".join([placeholder] * len(rows)))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
