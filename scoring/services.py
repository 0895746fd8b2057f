"""Recompute and store a student's results for every program their institution uses."""
import functools
import hashlib
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


@transaction.atomic
def recompute_student(*, student_id):
    """Evaluate the student under each applicable program and replace the stored results."""
    student = (StudentProfile.objects.select_for_update()
               .select_related("major__department__campus__institution").get(pk=student_id))
    prepared = contract_entries(student.entries.all())
    stored = []
    for program in programs_for(student):
        doc = student_document(student, program, prepared_entries=prepared)
        digest = hashlib.sha256(json.dumps({**doc, "as_of": None}, sort_keys=True).encode()).hexdigest()
        try:
            result = evaluate(doc)
        except EngineError as error:
            # A student the rules cannot read (e.g. a major with no rule set yet) keeps no result
            # for that program; the reason goes to the log instead of failing the approval.
            log.warning("evaluation of %s for %s failed: %s", program, student.student_no, error)
            StoredResult.objects.filter(student=student, program=program).delete()
            continue
        row, _ = StoredResult.objects.update_or_create(
            student=student, program=program,
            defaults={
                "ruleset": result.get("ruleset") or "",
                "ruleset_version": str(result.get("ruleset_version") or ""),
                "total": Decimal(str(result.get("total") or 0)),
                "passed": result.get("passed"),
                "result": result,
                "input_digest": digest,
            },
        )
        stored.append(row)
    if any(r.program == "du-heart" for r in stored):
        from scholarships.services import sync_ledger  # the ledger follows the stored du-heart result

        sync_ledger(student_id=student.pk)
    return stored
