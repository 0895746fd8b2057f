"""Reads for the counseling report and the portfolio: everything one student's report shows,
gathered from stored results (never recomputed here), and the key under which a rendered
report is cached."""
import hashlib
import json
from collections import OrderedDict
from decimal import Decimal

from django.apps import apps
from django.db.models import Max
from django.utils import timezone

from accounts.models import Program, Role
from careers.kinds import GROUPS, KIND_FORMS
from careers.models import JOB_FIELDS, CareerEntry, EntryStatus, SelfIntroduction

from .charts import area_chart_svg

# Bump when the report's template or content changes: every cached PDF is then rendered anew.
REPORT_VERSION = "2"  # 2: engine codes and entry ids in words (scoring.labels), no rule-set tag
COUNSELOR = "counselor"  # the audience that reads counselors' private notes
STUDENT = "student"

READINESS = [
    # (key, label, groups or kinds that show it): the portfolio's "at a glance" rows
    ("language", "language", ("language_test",)),
    ("certificate", "certificate", ("certificate",)),
    ("work", "work", ("internship", "employment")),
    ("program", "program", ("program",)),
    ("award", "award", ("award", "paper", "patent")),
    ("startup", "startup", ("startup",)),
    ("volunteer", "volunteer", ("volunteer",)),
    ("overseas", "overseas", ("overseas_study",)),
]


def advising_installed():
    return apps.is_installed("advising")


def audience_for(user, student):
    """Counselors read the private counseling notes (advising.selectors.may_read_notes: the
    mentor, counselors who see the student, admins); the student and reviewing staff do not."""
    if user is None or not getattr(user, "is_authenticated", False) or user.pk == student.user_id:
        return STUDENT
    if advising_installed():
        from advising.selectors import may_read_notes

        return COUNSELOR if may_read_notes(user, student) else STUDENT
    return COUNSELOR if user.is_superuser or user.role in (Role.ADVISOR, Role.ADMIN) else STUDENT


def _results(student):
    from scoring.models import StoredResult

    # Only the programs the student's university runs (issue 13: a program it does not run is never shown).
    runs = student.major.department.campus.institution.programs or []
    return list(StoredResult.objects.filter(student=student, program__in=runs).order_by("program"))


def _counseling(student, audience):
    if not advising_installed():
        return []
    from advising.models import CounselingSession

    sessions = CounselingSession.objects.filter(student=student).select_related("counselor").order_by("-date", "-pk")
    return [{"date": s.date, "type": s.get_type_display(), "counselor": str(s.counselor),
             "notes": s.notes if audience == COUNSELOR else "", "next_steps": s.next_steps} for s in sessions]


def _honors(student):
    if not advising_installed():
        return []
    from advising.models import HonorsMembership

    return list(HonorsMembership.objects.filter(student=student).order_by("-year"))


def _current_honors(student, honors):
    if not advising_installed():
        return None
    from advising.selectors import honors_membership

    return honors_membership(student) if honors else None


def _special_groups(student):
    if not advising_installed():
        return []
    from advising.models import SpecialGroupMember

    return [m.group.name for m in SpecialGroupMember.objects.filter(student=student).select_related("group")]


def cache_key(student, *, audience, lang):
    """A digest of everything the report shows: the stored results' inputs and versions, the
    profile, the self-introduction, counseling sessions and honors-club places. Unchanged inputs,
    same key: the rendered PDF is reused."""
    from scoring.models import StoredResult

    runs = student.major.department.campus.institution.programs or []  # as _results: what the report shows

    parts = {
        "v": REPORT_VERSION, "lang": lang, "audience": audience,
        "profile": [student.name, student.student_no, student.major_id, student.year_level, student.admission_year,
                    student.admission_type, student.semesters_completed, str(student.gpa), student.enrollment_status,
                    student.flags, student.mentor_id, str(student.expected_graduation)],
        "results": list(StoredResult.objects.filter(student=student, program__in=runs).order_by("program")
                        .values_list("program", "ruleset_version", "input_digest", "computed_at")),
        "intro": SelfIntroduction.objects.filter(student=student).values_list("updated_at", flat=True).first(),
        "entries": CareerEntry.objects.filter(student=student).aggregate(m=Max("updated_at"))["m"],
    }
    if advising_installed():
        from advising.models import CounselingSession, HonorsMembership, SpecialGroupMember

        parts["counseling"] = list(CounselingSession.objects.filter(student=student).order_by("pk")
                                   .values_list("pk", "updated_at"))
        parts["honors"] = list(HonorsMembership.objects.filter(student=student).order_by("year")
                               .values_list("year", "rank", "year_level"))
        parts["groups"] = list(SpecialGroupMember.objects.filter(student=student).order_by("group_id")
                               .values_list("group__name", flat=True))
    if student.mentor_id:
        parts["mentor"] = str(student.mentor)
    raw = json.dumps(parts, default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _approved_entries(student):
    return list(CareerEntry.objects.filter(student=student, status=EntryStatus.APPROVED)
                .select_related("organization").order_by("-date", "-created_at"))


def _entries_by_category(entries, results):
    """Approved entries by category, each with what every program gave it and why."""
    per_entry = {}
    for result in results:
        for item in result.result.get("items", []):
            per_entry.setdefault(item.get("entry_id"), []).append(
                {"program": result.get_program_display(), "points": item.get("points"),
                 "counted": item.get("counted"), "reason": item.get("reason", "")})
    grouped = OrderedDict((key, {"label": label, "entries": []}) for key, label in GROUPS)
    for entry in entries:
        entry.scored = per_entry.get(str(entry.pk), [])
        grouped[KIND_FORMS[entry.kind].group]["entries"].append(entry)
    return [dict(key=key, **value) for key, value in grouped.items() if value["entries"]]


def _readiness(entries):
    """The portfolio's rows: for each dimension, the approved entries that show it."""
    from django.utils.translation import gettext as _

    labels = {"language": _("Foreign language"), "certificate": _("Certificates"),
              "work": _("Internship / work experience"), "program": _("Employment and start-up programs"),
              "award": _("Awards, papers, patents"), "startup": _("Start-up"), "volunteer": _("Volunteering"),
              "overseas": _("Overseas experience")}
    rows = []
    for key, _label, kinds in READINESS:
        shown = [e for e in entries if e.kind in kinds]
        extra = ""
        if key == "volunteer" and shown:
            hours = sum(Decimal(str(e.data.get("hours") or 0)) for e in shown)
            extra = _("%(hours)s hours in all") % {"hours": f"{hours.normalize():f}"}
        if key == "program" and shown:
            hours = sum(Decimal(str(e.data.get("hours") or 0)) for e in shown)
            extra = _("%(hours)s hours in all") % {"hours": f"{hours.normalize():f}"}
        rows.append({"key": key, "label": labels[key], "ready": bool(shown), "count": len(shown),
                     "items": [e.summary for e in shown[:3]], "more": max(0, len(shown) - 3), "extra": extra})
    return rows


def _du_heart_eligibility(student, balance):
    """The standing conditions of a DU-HEART redemption (seed 001/002), in words the student
    reads; an empty list = they may apply when a window opens. The window and tuition checks
    are made when the request is filed (scholarships.services.redemption_blockers)."""
    from django.utils.translation import gettext as _

    from scholarships.models import MIN_REDEMPTION_POINTS
    from scholarships.services import redemption_eligibility_problems  # the one source of these conditions

    problems = []
    if balance < MIN_REDEMPTION_POINTS:
        problems.append(_("Balance below the %(min)d points a redemption needs.") % {"min": MIN_REDEMPTION_POINTS})
    return problems + redemption_eligibility_problems(student)


def _standing(student, results):
    from scholarships.selectors import balance_of

    out = []
    for r in results:
        doc = r.result or {}
        areas = [a for a in doc.get("areas", []) if a.get("in_total", True)]
        block = {"program": r.program, "label": r.get_program_display(), "total": doc.get("total", r.total),
                 "threshold": doc.get("threshold"), "passed": r.passed, "exempt": doc.get("exempt"),
                 "not_applicable": doc.get("not_applicable"), "areas": areas, "chart": area_chart_svg(areas),
                 "requirements": doc.get("requirements", []),
                 "missing": [q for q in doc.get("requirements", []) if not q.get("met")],
                 "ruleset": r.ruleset, "version": r.ruleset_version, "computed_at": r.computed_at}
        if r.program == Program.HANKYONG_GRAD_CERT and doc.get("threshold") is not None:
            gap = Decimal(str(doc["threshold"])) - Decimal(str(doc.get("total") or 0))
            block["gap"] = gap if gap > 0 else None
        if r.program == Program.DU_HEART:
            balance = balance_of(student.pk)
            block["balance"] = balance
            block["eligibility"] = _du_heart_eligibility(student, balance)
        out.append(block)
    return out


def report_context(student, *, audience, public=False):
    """Everything the report (and its first page, the portfolio) shows, in the active language."""
    intro = SelfIntroduction.objects.filter(student=student).first()
    results = _results(student)
    entries = _approved_entries(student)
    standing = _standing(student, results)
    career = next((s for s in standing if s["program"] == Program.CAREER_MILEAGE), None)
    fields = dict(JOB_FIELDS)
    honors = _honors(student)
    computed = max((r.computed_at for r in results), default=None)
    return {
        "student": student,
        "institution": student.institution,
        "intro": intro,
        "job_fields": [fields.get(f, f) for f in (intro.job_fields if intro else [])],
        "standing": standing,
        "career": career,
        "groups": _entries_by_category(entries, results),
        # entry id → summary: a reason naming another entry shows it (scoring.labels.readable_reason)
        "summaries": {str(e.pk): e.summary for e in entries},
        "approved_count": len(entries),
        "readiness": _readiness(entries),
        "counseling": [] if public else _counseling(student, audience),
        "honors": honors,
        "honors_current": _current_honors(student, honors),
        "special_groups": [] if public else _special_groups(student),
        "audience": audience,
        "public": public,
        "as_of": timezone.localtime(computed) if computed else None,
        "advising": advising_installed(),
    }

