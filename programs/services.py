"""The program workflow: create, apply, record attendance, request close, approve or return it."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accounts.models import Role
from audit.services import log_action, notify
from careers import access
from careers.models import CareerEntry, EntryStatus
from careers.services import _recompute_after_commit
from mileage_portal.reasons import clean_reason

from .models import Participation, Program, ProgramStatus


def _scope(user):
    return getattr(user, "staff_scope", None)


def may_run(user, program_or_department):
    """Department staff run their department's programs; admins any."""
    department = getattr(program_or_department, "department", program_or_department)
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    scope = _scope(user)
    return user.role == Role.STAFF and scope is not None and scope.department_id == department.pk


def may_approve_close(user, program):
    """The central office of the program's institution (or an admin) approves closes."""
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    scope = _scope(user)
    return (user.role == Role.STAFF and scope is not None and bool(scope.central_office)
            and scope.institution_id == program.department.campus.institution_id)


def programs_visible_to(user):
    qs = Program.objects.select_related("department__campus__institution")
    if user.is_superuser or user.role == Role.ADMIN:
        return qs
    if user.role == Role.STAFF and _scope(user):
        scope = _scope(user)
        if scope.central_office:
            return qs.filter(department__campus__institution=scope.institution_id)
        return qs.filter(department=scope.department_id)
    if user.role == Role.STUDENT:
        student = access.own_student(user)
        return qs.filter(department__campus__institution=student.institution) if student else qs.none()
    return qs.none()


@transaction.atomic
def program_create(*, actor, department, **fields):
    if not may_run(actor, department):
        raise PermissionDenied(_("Only the department's staff can create its programs."))
    program = Program(department=department, created_by=actor, **fields)
    program.full_clean(exclude=["status"])  # protected FSM field: set only by transitions
    program.save()
    log_action(actor=actor, action="program.create", obj=program, data={"title": program.title})
    return program


@transaction.atomic
def program_apply(*, actor, program):
    student = access.own_student(actor)
    if student is None:
        raise PermissionDenied(_("Only students apply to programs."))
    program = Program.objects.select_for_update().get(pk=program.pk)
    if program.status != ProgramStatus.OPEN:
        raise ValidationError(_("Applications are closed for this program."))
    if program.department.campus.institution_id != student.institution.pk:
        raise PermissionDenied(_("This program is not offered to your university."))
    if program.capacity and program.participants.count() >= program.capacity:
        raise ValidationError(_("The program is full."))
    participation, created = Participation.objects.get_or_create(program=program, student=student)
    if not created:
        raise ValidationError(_("You have already applied."))
    return participation


@transaction.atomic
def attendance_record(*, actor, program, attended_student_ids):
    program = Program.objects.select_for_update().get(pk=program.pk)
    if not may_run(actor, program):
        raise PermissionDenied(_("Only the department's staff can record attendance."))
    if program.status != ProgramStatus.OPEN:
        raise ValidationError(_("Attendance can change only while the program is open."))
    try:
        attended = {int(pk) for pk in attended_student_ids}
    except (TypeError, ValueError):
        raise ValidationError({"attended": _("Attendance: choose students from the list.")}) from None
    for participation in program.participants.all():
        participation.attended = participation.student_id in attended
        participation.save(update_fields=["attended"])
    log_action(actor=actor, action="program.attendance", obj=program, data={"attended": sorted(attended)})


@transaction.atomic
def program_request_close(*, actor, program):
    program = Program.objects.select_for_update().get(pk=program.pk)
    if not may_run(actor, program):
        raise PermissionDenied(_("Only the department's staff can close its programs."))
    if not can_proceed(program.request_close):
        raise ValidationError(_("This program is not open."))
    if program.ends_on > timezone.localdate():
        raise ValidationError(_("A program can be closed only after its end date."))
    if program.participants.filter(attended__isnull=True).exists():
        raise ValidationError(_("Record the attendance of every applicant before closing."))
    program.request_close()
    program.close_requested_at = timezone.now()
    program.save()
    log_action(actor=actor, action="program.request_close", obj=program)
    return program


@transaction.atomic
def program_approve_close(*, actor, program):
    """The second step: each attendee's program entry is created approved, dated the end date."""
    program = Program.objects.select_for_update().select_related("department__campus").get(pk=program.pk)
    if not may_approve_close(actor, program):
        raise PermissionDenied(_("Only the central office approves program closes."))
    if not can_proceed(program.approve_close):
        raise ValidationError(_("No close was requested for this program."))
    program.approve_close()
    program.closed_at = timezone.now()
    program.closed_by = actor
    program.save()
    data = {"title": program.title, "hours": float(program.hours) if program.hours % 1 else int(program.hours),
            "certified": program.certified, "category": program.category, "provider": "department"}
    for participation in program.participants.filter(attended=True).select_related("student__user"):
        entry = CareerEntry.objects.create(
            student=participation.student, kind="program", status=EntryStatus.APPROVED, date=program.ends_on,
            data=data, source=f"program:{program.pk}", submitted_on=program.ends_on, decided_at=timezone.now(),
            decided_by=actor, created_by=actor,
        )
        participation.entry = entry
        participation.save(update_fields=["entry"])
        log_action(actor=actor, action="entry.approve", obj=entry, student=participation.student,
                   reason=_("Program close approved"), data={"program": program.pk})
        notify(user=participation.student.user, subject=program.title,
               message=_("Your participation in \"%(title)s\" (%(hours)s h) was recognised.")
               % {"title": program.title, "hours": program.hours})
        _recompute_after_commit(participation.student_id)
    log_action(actor=actor, action="program.approve_close", obj=program)
    return program


@transaction.atomic
def program_return_close(*, actor, program, reason):
    program = Program.objects.select_for_update().get(pk=program.pk)
    if not may_approve_close(actor, program):
        raise PermissionDenied(_("Only the central office approves program closes."))
    if not clean_reason(reason):
        raise ValidationError({"reason": _("Reason: write the reason for this decision.")})
    if not can_proceed(program.return_close):
        raise ValidationError(_("No close was requested for this program."))
    program.return_close()
    program.note = reason
    program.save()
    log_action(actor=actor, action="program.return_close", obj=program, reason=reason)
    return program
