"""Program pages for students (apply), departments (run, attendance, request close) and the
central office (approve or return closes)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mileage_portal.feedback import perform
from careers import access

from . import services
from .forms import ProgramForm
from .models import ProgramStatus
from mileage_portal.permissions import permission_required
from .access import can_create_program, can_see_programs


def _program_or_404(user, pk):
    try:
        return services.programs_visible_to(user).get(pk=pk)
    except (services.Program.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
@permission_required(can_see_programs)
def program_list(request):
    user = request.user
    programs = services.programs_visible_to(user)
    student = access.own_student(user)
    applied = set(student.participations.values_list("program_id", flat=True)) if student else set()
    if student:
        programs = programs.filter(status=ProgramStatus.OPEN) | programs.filter(pk__in=applied)
    return render(request, "programs/list.html", {
        "programs": programs.distinct()[:300], "applied": applied, "student": student,
        "may_create": can_create_program(user),
        "close_requests": [p for p in services.programs_visible_to(user).filter(status=ProgramStatus.CLOSE_REQUESTED)
                           if services.may_approve_close(user, p)],
    })


@login_required
@permission_required(can_create_program)
def program_new(request):
    scope = request.user.staff_scope
    form = ProgramForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        program = services.program_create(actor=request.user, department=scope.department, **form.cleaned_data)
        messages.success(request, _("Program created."))
        return redirect("programs:detail", pk=program.pk)
    return render(request, "programs/form.html", {"form": form})


@login_required
@permission_required(can_see_programs)
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
@permission_required(can_see_programs)
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
