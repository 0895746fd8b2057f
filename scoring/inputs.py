"""Build the evaluation contract's input from the database (the portal's side of the contract)."""
import datetime

from django.conf import settings
from django.utils import timezone

from careers.models import EntryStatus, StudentProfile

CONTRACT_CAMPUSES = ("anseong", "pyeongtaek")


def contract_entries(entries):
    """The entries as the contract's entries. Drafts are left out: they were never claimed."""
    return [e.to_contract() for e in entries if e.status != EntryStatus.DRAFT]


def student_document(student: StudentProfile, program: str, *, as_of: datetime.date | None = None, entries=None,
                     prepared_entries=None, redemptions=None):
    """The contract input for one student and program; `prepared_entries` (from contract_entries)
    lets a caller evaluating several programs convert the entries once."""
    major = student.major
    if prepared_entries is None:
        if entries is None:
            entries = student.entries.exclude(status=EntryStatus.DRAFT)
        prepared_entries = contract_entries(entries)
    doc_student = {
        "student_no": student.student_no,
        "major": major.code or f"{major.department.campus.institution.code}:{major.pk}",
        "admission_year": student.admission_year,
        "admission_type": student.admission_type,
        "semesters_completed": student.semesters_completed,
        "year_level": student.year_level,
        # every flag set on the profile: the contract's and those rule sets added (already_employed, ...)
        "flags": {k: True for k, v in (student.flags or {}).items() if v is True},
    }
    campus = major.department.campus.code
    if campus in CONTRACT_CAMPUSES:  # the contract knows Hankyong's two; others need no campus
        doc_student["campus"] = campus
    if student.expected_graduation:
        doc_student["expected_graduation"] = student.expected_graduation.isoformat()
    if student.gpa is not None:
        doc_student["gpa"] = float(student.gpa)
    return {
        "program": program,
        "lang": reasons_language(),
        "as_of": (as_of or timezone.localdate()).isoformat(),
        "student": doc_student,
        "entries": prepared_entries,
        "redemptions": ((redemptions if redemptions is not None else _confirmed_redemptions(student))
                        if program == "du-heart" else []),
        # Each redemption was checked against the ledger when confirmed; an entry revoked since may
        # leave the balance below zero, which is owed back (scholarships.selectors.clawbacks_for).
        **({"allow_clawback": True} if program == "du-heart" else {}),
    }


def reasons_language():
    """The language of the reasons in stored results: the portal's (settings.LANGUAGE_CODE), "ko"
    for Korean, else English (the engine knows these two)."""
    return "ko" if settings.LANGUAGE_CODE.split("-")[0].lower() == "ko" else "en"


def _confirmed_redemptions(student):
    from .signals import redemptions_for  # the ledger's confirmed deductions (registered by scholarships)

    return redemptions_for([student.pk])[student.pk] if student.pk else []
