"""Recompute and store a student's results for every program their institution uses."""
import functools
import hashlib
from collections import defaultdict
import json
import logging
from decimal import Decimal

from django.db import transaction

from careers.models import StudentProfile

from .engine import EngineError, available_programs, evaluate
from .inputs import contract_entries, student_document
from .models import StoredResult

log = logging.getLogger(__name__)


@functools.cache
def _known_programs():
    # Scanning the rules folder costs ~9 ms; rule sets are loaded once per process anyway.
    return frozenset(available_programs())


def programs_for(student):
    wanted = student.major.department.campus.institution.programs or []
    known = _known_programs()
    return [p for p in wanted if p in known]


def _evaluations(student, prepared, redemptions=None):
    """(program, result or None, input digest) for each program that applies to the student."""
    out = []
    for program in programs_for(student):
        doc = student_document(student, program, prepared_entries=prepared, redemptions=redemptions)
        digest = hashlib.sha256(json.dumps({**doc, "as_of": None}, sort_keys=True).encode()).hexdigest()
        try:
            out.append((program, evaluate(doc), digest))
        except EngineError as error:
            # A student the rules cannot read (e.g. a major with no rule set yet) keeps no result
            # for that program; the reason goes to the log instead of failing the approval.
            log.warning("evaluation of %s for %s failed: %s", program, student.student_no, error)
            out.append((program, None, digest))
    return out


def _stored_fields(result, digest):
    return {
        "ruleset": result.get("ruleset") or "",
        "ruleset_version": str(result.get("ruleset_version") or ""),
        "total": Decimal(str(result.get("total") or 0)),
        "passed": result.get("passed"),
        "result": result,
        "input_digest": digest,
    }


@transaction.atomic
def recompute_student(*, student_id):
    """Evaluate the student under each applicable program and replace the stored results."""
    student = (StudentProfile.objects.select_for_update()
               .select_related("major__department__campus__institution").get(pk=student_id))
    stored = []
    for program, result, digest in _evaluations(student, contract_entries(student.entries.all())):
        if result is None:
            StoredResult.objects.filter(student=student, program=program).delete()
            continue
        row, _ = StoredResult.objects.update_or_create(student=student, program=program,
                                                       defaults=_stored_fields(result, digest))
        stored.append(row)
    if any(r.program == "du-heart" for r in stored):
        from scholarships.services import sync_ledger  # the ledger follows the stored du-heart result

        sync_ledger(student_id=student.pk)
    return stored


@transaction.atomic
def recompute_students(*, student_ids):
    """recompute_student for a chunk of students in a handful of queries (batch recomputation):
    the same results, rows and ledger, written together or not at all."""
    from careers.models import CareerEntry, EntryStatus
    from scholarships.selectors import confirmed_redemptions_for
    from scholarships.services import sync_ledgers

    students = list(StudentProfile.objects.select_for_update(of=("self",))
                    .select_related("major__department__campus__institution")
                    .filter(pk__in=list(student_ids)).order_by("pk"))  # pk order: no lock cycles
    ids = [s.pk for s in students]
    entries = defaultdict(list)
    for entry in CareerEntry.objects.filter(student_id__in=ids).exclude(status=EntryStatus.DRAFT):
        entries[entry.student_id].append(entry)
    redemptions = confirmed_redemptions_for(ids)
    rows, failed, ledger = [], [], {}
    for student in students:
        for program, result, digest in _evaluations(student, contract_entries(entries[student.pk]),
                                                    redemptions[student.pk]):
            if result is None:
                failed.append((student.pk, program))
                continue
            rows.append(StoredResult(student=student, program=program, **_stored_fields(result, digest)))
            if program == "du-heart":
                ledger[student.pk] = (result, rows[-1].ruleset_version)
    for student_id, program in failed:
        StoredResult.objects.filter(student_id=student_id, program=program).delete()
    StoredResult.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["student", "program"],
        update_fields=["ruleset", "ruleset_version", "total", "passed", "result", "input_digest", "computed_at"])
    if ledger:
        sync_ledgers(results=ledger)
    return len(students)
