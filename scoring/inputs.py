"""Build the evaluation contract's input from the database (the portal's side of the contract)."""
import datetime

from django.utils import timezone

from careers.models import EntryStatus, StudentProfile

CONTRACT_CAMPUSES = ("anseong", "pyeongtaek")
CONTRACT_FLAGS = ["athlete", "severe_disability", "employed_final_semester", "national_scholarship_applied",
                  "disabled_excellence_scholarship", "national_exam_scholarship", "leave_2021"]


def student_document(student: StudentProfile, program: str, *, as_of: datetime.date | None = None, entries=None):
    """The contract input for one student and program. Drafts are left out: they were never claimed."""
    major = student.major
    if entries is None:
        entries = student.entries.exclude(status=EntryStatus.DRAFT)
    doc_student = {
        "student_no": student.student_no,
        "major": major.code or f"{major.department.campus.institution.code}:{major.pk}",
        "admission_year": student.admission_year,
        "admission_type": student.admission_type,
        "semesters_completed": student.semesters_completed,
        "year_level": student.year_level,
        "flags": {k: bool(student.flags.get(k)) for k in CONTRACT_FLAGS if student.flags.get(k)},
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
        "as_of": (as_of or timezone.localdate()).isoformat(),
        "student": doc_student,
        "entries": [e.to_contract() for e in entries if e.status != EntryStatus.DRAFT],
        "redemptions": _confirmed_redemptions(student) if program == "du-heart" else [],
    }


def _confirmed_redemptions(student):
    from scholarships.selectors import confirmed_redemptions  # the ledger's confirmed deductions

    return confirmed_redemptions(student.pk) if student.pk else []
