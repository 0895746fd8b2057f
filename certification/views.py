"""The student's certification page (checklist, areas, planner, application) and the
committee's pages (applications, points, decisions, Excel export)."""
import re
from decimal import Decimal, InvalidOperation

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from careers import access
from mileage_portal.excel import workbook_bytes
from mileage_portal.feedback import perform
from mileage_portal.http import InputError
from careers.models import EntryStatus
from scoring import labels
from scoring.engine import EngineError
from scoring.rulesets import active_rules_dir

from . import planner, selectors, services
from .models import EXEMPTIONS, Application, ApplicationDocument
from mileage_portal.permissions import permission_required
from .access import can_read_applications, can_sit_committee, can_use_certification


SEMESTER = re.compile(r"\d{4}-[12]")


def _items_by_area(result):
    # Checklist areas (in_total: false: the required course, 인성교육 sessions) are shown by the
    # requirements checklist, not as points.
    areas = {a["area"]: {**a, "items": []} for a in result.get("areas", []) if a.get("in_total", True)}
    other = []
    for item in result.get("items", []):
        areas.get(item.get("area"), {"items": other})["items"].append(item)
    return list(areas.values()), other


def _summaries(student):
    """Entry id → the entry's summary, for reasons that name an entry (scoring.labels)."""
    return {str(e.pk): e.summary for e in student.entries.all()}


def _attach_entries(areas, entries):
    for area in areas:
        for item in area["items"]:
            item["entry"] = entries.get(item.get("entry_id"))


def _what_if(request, student, doc):
    """The planner's input (GET: typed test result, ticked achievements): (extra entries, errors)."""
    errors, extra = {}, []
    try:
        typed = planner.typed_test(request.GET.get("test", ""), request.GET.get("score", ""), doc["as_of"])
        if typed:
            extra.append(typed)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        extra += planner.picked(doc, request.GET.getlist("pick"), rules_dir=active_rules_dir())
    except ValidationError as error:
        errors.update(error.message_dict)
    return ([] if errors else extra), errors


@login_required
@permission_required(can_use_certification)
def my_certification(request):
    student = access.own_student_or_403(request.user)
    doc = services.student_document(student, services.PROGRAM)
    extra, plan_errors = _what_if(request, student, doc)
    try:
        result = services.evaluate_student(student)
        plan = planner.plan(doc, rules_dir=active_rules_dir(), extra=extra)
        picks = planner.choices(doc, rules_dir=active_rules_dir())
    except EngineError as error:
        return render(request, "certification/unavailable.html", {"error": str(error)})
    context = {
        "student": student, "result": result, "plan": plan, "plan_errors": plan_errors, "picks": picks,
        "picked": request.GET.getlist("pick"), "typed_tests": [(t, labels.test_label(t)) for t in planner.TYPED_TESTS],
        "typed_test": request.GET.get("test", ""), "typed_score": request.GET.get("score", ""),
        # A committee's pass is the answer, whatever the checklist says today (issue 13).
        "certified": selectors.committee_pass(student),
    }
    if request.htmx:
        return render(request, "certification/_plan_result.html", context)
    areas, _other = _items_by_area(result)
    _attach_entries(areas, {str(e.pk): e for e in student.entries.all()})
    return render(request, "certification/student.html", {
        **context, "areas": areas, "summaries": _summaries(student),
        "applications": student.certification_applications.all(),
        "may_apply": services.in_graduation_semester(student)
        and not student.certification_applications.filter(semester=services.current_semester()).exists(),
        "exemptions": EXEMPTIONS,
    })


@login_required
@require_POST
@permission_required(can_use_certification)
def apply(request):
    student = access.own_student_or_403(request.user)
    perform(request, lambda: services.apply(actor=request.user, student=student,
                                            exemption=request.POST.get("exemption", ""),
                                            exemption_note=request.POST.get("exemption_note", ""),
                                            documents=request.FILES.getlist("documents")),
            _("Your application for graduation certification was received."))
    return redirect("certification:mine")


@login_required
@permission_required(can_sit_committee)
def committee(request):
    apps = services.applications_for_committee(request.user)
    semester = request.GET.get("semester") or services.current_semester()
    if not SEMESTER.fullmatch(semester):
        raise InputError("semester", _("Semester: write it as 2026-2 (the year, a hyphen, 1 or 2)."))
    apps = apps.filter(semester=semester)
    if request.GET.get("format") == "xlsx":
        return _export(apps, semester)
    return render(request, "certification/committee.html", {"applications": apps, "semester": semester})


def _export(applications, semester):
    header = ["학번", "성명", "전공", "신청학기", "점수", "기준", "엔진 판정", "면제", "위원회 판정", "사유", "판정일"]
    rows = []
    for a in applications:
        r = a.engine_result
        rows.append([a.student.student_no, a.student.name, a.student.major.name, a.semester, r.get("total"),
                     r.get("threshold"), {True: "충족", False: "미충족"}.get(r.get("passed"), ""),
                     a.get_exemption_display(), a.get_status_display(), a.decision_reason,
                     timezone.localtime(a.decided_at).strftime("%Y-%m-%d") if a.decided_at else ""])
    response = HttpResponse(workbook_bytes(semester, header, rows),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="graduation-certification-{semester}.xlsx"'
    return response


def _application_or_404(user, pk):
    try:
        application = Application.objects.select_related("student__major").get(pk=pk)
    except (Application.DoesNotExist, ValueError):
        raise Http404 from None
    if not services.may_view_application(user, application):
        raise Http404
    return application


@login_required
@permission_required(can_read_applications)
def application_detail(request, pk):
    application = _application_or_404(request.user, pk)
    is_member = services.is_committee_member(request.user, application.student.major)
    entries = application.student.entries.filter(status=EntryStatus.APPROVED).prefetch_related("evidence")
    areas, other = _items_by_area(application.engine_result)
    _attach_entries(areas, {str(e.pk): e for e in application.student.entries.all()})
    return render(request, "certification/application.html", {
        "application": application, "is_member": is_member, "areas": areas, "entries": entries,
        "result": application.engine_result, "summaries": _summaries(application.student),
    })


@login_required
@require_POST
@permission_required(can_read_applications)
def application_action(request, pk, action):
    application = _application_or_404(request.user, pk)
    if action == "points":
        def add_points():
            try:
                points = Decimal(request.POST.get("points", ""))
            except InvalidOperation:
                raise ValidationError({"points": _("Points: between 0 and the pass mark.")}) from None
            services.add_committee_points(actor=request.user, application=application,
                                          area=request.POST.get("area", ""), points=points,
                                          reason=request.POST.get("reason", ""))

        perform(request, add_points, _("Committee points added."))
    elif action in ("pass", "fail"):
        perform(request, lambda: services.decide(actor=request.user, application=application,
                                                 passed=action == "pass", reason=request.POST.get("reason", "")),
                _("Decision recorded."))
    else:
        raise Http404
    return redirect("certification:application", pk=application.pk)


@login_required
@permission_required(can_read_applications)
def document_file(request, pk):
    try:
        doc = ApplicationDocument.objects.select_related("application__student__major").get(pk=pk)
    except ApplicationDocument.DoesNotExist:
        raise Http404 from None
    if not services.may_view_application(request.user, doc.application):
        raise Http404
    return FileResponse(doc.file.open("rb"), content_type=doc.content_type, filename=doc.original_name)


