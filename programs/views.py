"""Program pages for students (apply), departments (run, attendance, request close) and the
central office (approve or return closes)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from mileage_portal.feedback import perform
from careers import access

from . import services
from .forms import ProgramForm
from .models import ProgramStatus


def _program_or_404(user, pk):
    try:
        return services.programs_visible_to(user).get(pk=pk)
    except (services.Program.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
def program_list(request):
    user = request.user
    programs = services.programs_visible_to(user)
    student = access.own_student(user)
    applied = set(student.participations.values_list("program_id", flat=True)) if student else set()
    if student:
        programs = programs.filter(status=ProgramStatus.OPEN) | programs.filter(pk__in=applied)
    scope = getattr(user, "staff_scope", None)
    return render(request, "programs/list.html", {
        "programs": programs.distinct()[:300], "applied": applied, "student": student,
        "may_create": user.role == Role.STAFF and scope is not None and scope.department_id is not None,
        "close_requests": [p for p in services.programs_visible_to(user).filter(status=ProgramStatus.CLOSE_REQUESTED)
                           if services.may_approve_close(user, p)],
    })


@login_required
def program_new(request):
    scope = getattr(request.user, "staff_scope", None)
    if not (request.user.role == Role.STAFF and scope and scope.department_id):
        raise PermissionDenied
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        program = services.program_create(actor=request.user, department=scope.department, **form.cleaned_data)
        messages.success(request, _("Program created."))
        return redirect("programs:detail", pk=program.pk)
    return render(request, "programs/form.html", {"form": form})


@login_required
def program_detail(request, pk):
    program = _program_or_404(request.user, pk)
    student = access.own_student(request.user)
    participants = None
    if services.may_run(request.user, program) or services.may_approve_close(request.user, program):
        participants = program.participants.select_related("student__major")
    return render(request, "programs/detail.html", {
        "program": program, "participants": participants,
        "may_run": services.may_run(request.user, program),
        "may_approve": services.may_approve_close(request.user, program),
        "applied": bool(student and program.participants.filter(student=student).exists()),
        "student": student,
    })


@login_required
@require_POST
def program_action(request, pk, action):
    program = _program_or_404(request.user, pk)
    calls = {
        "apply": (lambda: services.program_apply(actor=request.user, program=program), _("Applied.")),
        "attendance": (lambda: services.attendance_record(actor=request.user, program=program,
                                                          attended_student_ids=request.POST.getlist("attended")),
                       _("Attendance saved.")),
        "request-close": (lambda: services.program_request_close(actor=request.user, program=program),
                          _("Closing approval requested from the central office.")),
        "approve-close": (lambda: services.program_approve_close(actor=request.user, program=program),
                          _("Close approved: the attendees' entries are approved.")),
        "return-close": (lambda: services.program_return_close(actor=request.user, program=program,
                                                               reason=request.POST.get("reason", "")),
                         _("Close request returned to the department.")),
    }
    if action not in calls:
        raise Http404
    perform(request, *calls[action])
    return redirect("programs:detail", pk=program.pk)
