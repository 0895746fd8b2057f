"""Reads of scoring: stored results that are stale (the last evaluation failed), for the staff and
admin pages that count and list them (issue 10: a standing never disappears silently)."""
from django.db.models import Count

from .models import StoredResult


def stale_results(students=None):
    """Stored results whose last evaluation failed (oldest failure first), of `students` (a
    queryset of StudentProfile: the viewer's scope) or of everyone."""
    qs = StoredResult.objects.exclude(error="")
    if students is not None:
        qs = qs.filter(student__in=students)
    return qs.select_related("student").order_by("stale_since", "student__student_no", "program")


def stale_counts(students=None):
    """{program: number of stale results} of `students` (or everyone)."""
    rows = stale_results(students).order_by().values("program").annotate(n=Count("pk"))
    return {row["program"]: row["n"] for row in rows}


STALE_LISTED = 50


def stale_summary(students=None):
    """What the staff home and the admin pages show: total, count per program, the first rows."""
    by_program = stale_counts(students)
    return {"total": sum(by_program.values()), "by_program": by_program,
            "rows": list(stale_results(students)[:STALE_LISTED]) if by_program else []}


def results_for(student):
    """Stored results per program and, for each entry, what each program made of it."""
    # Only the programs the student's university runs (a result left from before its programs
    # changed is not shown: its points could never be used).
    runs = student.major.department.campus.institution.programs or []
    results = list(StoredResult.objects.filter(student=student, program__in=runs).order_by("program"))
    per_entry = {}
    for result in results:
        for entry_id, items in result.items_by_entry().items():
            for item in items:
                per_entry.setdefault(entry_id, []).append({"program": result.get_program_display(), **item})
    return results, per_entry
