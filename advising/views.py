"""Advising pages: mentees with their last session, a student's counseling history with the form
to log a session, mentor changes by staff, the honors club, special management groups.

Thin views: the student comes from careers.access.get_student_or_404 (404 for anyone who may not
see them), then one selector or service. Students use their own page (/me/), not these.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Institution, Role
from careers import access
from careers.views import _apply_errors
from mileage_portal.feedback import perform

from . import selectors, services
from .forms import GroupForm, MentorForm, ReasonForm, SessionForm
from .models import CounselingSession
from mileage_portal.permissions import is_admin, permission_required
from .access import can_manage_honors_and_groups, can_use_advising


def _is_admin(user):
    return is_admin(user)


@login_required
@permission_required(can_use_advising)
def index(request):
    q = request.GET.get("q", "").strip()
    unassigned = request.GET.get("unassigned") == "1"
    students = selectors.mentees_overview(request.user, q=q, unassigned=unassigned)
    is_advisor = request.user.role == Role.ADVISOR
    return render(request, "advising/index.html", {
        "students": students[:300], "q": q, "is_advisor": is_advisor, "unassigned": unassigned,
        "unassigned_count": None if is_advisor else selectors.unassigned_count(request.user),
    })


def _student_context(request, student, form=None):
    user = request.user
    types = selectors.loggable_types(user, student)
    return {
        "student": student,
        "sessions": selectors.sessions_for(user, student),
        "can_read_notes": selectors.may_read_notes(user, student),
        "form": form if form is not None else (SessionForm(types=types) if types else None),
        "intro": selectors.intro_for(student),
        "honors": selectors.honors_membership(student),
        "groups": selectors.special_groups_of(student) if access.may_review(user, student) else [],
        "mentor_history": selectors.mentor_history(student),
        "may_change_mentor": access.may_review(user, student),
        "me": user.pk,
        "is_admin": _is_admin(user),
    }


@login_required
@permission_required(can_use_advising)
def student(request, pk):
    student = access.get_student_or_404(request.user, pk)
    return render(request, "advising/student.html", _student_context(request, student))


@login_required
@permission_required(can_use_advising)
def session_new(request, pk):
    student = access.get_student_or_404(request.user, pk)
    types = selectors.loggable_types(request.user, student)
    if not types:
        raise PermissionDenied(_("You may not log counseling sessions for this student."))
    form = SessionForm(request.POST if request.method == "POST" else None, types=types)
    if request.method == "POST":
        try:
            services.session_log(actor=request.user, student=student, type=request.POST.get("type", ""),
                                 date=request.POST.get("date", ""), notes=request.POST.get("notes", ""),
                                 next_steps=request.POST.get("next_steps", ""))
        except ValidationError as error:
            form.is_valid()
            _apply_errors(form, error)
        else:
            messages.success(request, _("The session was logged; it counts as the student's counseling record."))
            return redirect("advising:student", pk=student.pk)
    return render(request, "advising/student.html", _student_context(request, student, form=form), status=200)


@login_required
@permission_required(can_use_advising)
def session_edit(request, pk):
    session = selectors.get_session_or_404(request.user, pk)
    types = set(selectors.loggable_types(request.user, session.student)) | {session.type}
    initial = {"type": session.type, "date": session.date, "notes": session.notes, "next_steps": session.next_steps}
    form = SessionForm(request.POST if request.method == "POST" else None, types=types, initial=initial)
    if request.method == "POST":
        try:
            services.session_update(actor=request.user, session=session, type=request.POST.get("type", ""),
                                    date=request.POST.get("date", ""), notes=request.POST.get("notes", ""),
                                    next_steps=request.POST.get("next_steps", ""))
        except ValidationError as error:
            form.is_valid()
            _apply_errors(form, error)
        else:
            messages.success(request, _("The session was changed."))
            return redirect("advising:student", pk=session.student_id)
    return render(request, "advising/session_form.html", {"form": form, "session": session,
                                                          "delete_form": ReasonForm()})


@login_required
@require_POST
@permission_required(can_use_advising)
def session_delete(request, pk):
    session = selectors.get_session_or_404(request.user, pk)
    student_pk = session.student_id
    if perform(request, lambda: services.session_delete(actor=request.user, session=session,
                                                        reason=request.POST.get("reason", "")),
               _("The session was deleted and its counseling record revoked.")):
        return redirect("advising:student", pk=student_pk)
    return redirect("advising:session_edit", pk=session.pk)


@login_required
@permission_required(can_use_advising)
def mentor_edit(request, pk):
    student = access.get_student_or_404(request.user, pk)
    if not access.may_review(request.user, student):
        raise PermissionDenied(_("Only staff responsible for this student can change the mentor."))
    form = MentorForm(request.POST if request.method == "POST" else None, choices=selectors.mentor_choices_for(student),
                      initial={"mentor": student.mentor_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_change(actor=request.user, student=student, mentor=form.cleaned_data["mentor"],
                                   reason=form.cleaned_data["reason"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The mentor was changed and the change logged."))
            return redirect("advising:student", pk=student.pk)
    return render(request, "advising/mentor_form.html", {"form": form, "student": student,
                                                         "history": selectors.mentor_history(student)})


# --- honors club ---------------------------------------------------------------------------------
def _institution_for(request):
    from scholarships.selectors import managed_institution

    if _is_admin(request.user):
        code = request.GET.get("institution") or request.POST.get("institution")
        inst = Institution.objects.filter(code=code).first() if code else Institution.objects.filter(
            honors_rule__isnull=False).first()
        return inst or Institution.objects.first()
    inst = managed_institution(request.user)
    if inst is None:
        scope = getattr(request.user, "staff_scope", None) if request.user.role == Role.STAFF else None
        inst = scope.institution if scope else None
    if inst is None:
        raise PermissionDenied
    return inst


@login_required
@permission_required(can_manage_honors_and_groups)
def honors(request):
    from scholarships.selectors import may_manage_institution

    inst = _institution_for(request)
    may_run = may_manage_institution(request.user, inst)
    if request.method == "POST":
        if not may_run:
            raise PermissionDenied
        perform(request, lambda: services.honors_recompute(actor=request.user, institution=inst),
                _("The honors club was recomputed."))
        return redirect(f"{request.path}?institution={inst.code}")
    year, members = selectors.honors_members(inst)
    visible = set(access.students_visible_to(request.user).filter(pk__in=[m.student_id for m in members])
                  .values_list("pk", flat=True))
    return render(request, "advising/honors.html", {
        "institution": inst, "year": year, "members": [m for m in members if m.student_id in visible],
        "rule": getattr(inst, "honors_rule", None), "may_run": may_run,
        "institutions": Institution.objects.all() if _is_admin(request.user) else None,
    })


# --- special management groups ---------------------------------------------------------------------
@login_required
@permission_required(can_manage_honors_and_groups)
def groups(request):
    form = GroupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        inst = _institution_for(request)
        try:
            group = services.group_create(actor=request.user, institution=inst, name=form.cleaned_data["name"],
                                          description=form.cleaned_data["description"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Group created. Find its members with a hiring-condition search."))
            return redirect("advising:group", pk=group.pk)
    return render(request, "advising/groups.html", {"groups": selectors.groups_visible_to(request.user), "form": form})


@login_required
@permission_required(can_manage_honors_and_groups)
def group(request, pk):
    from scholarships import selectors as hiring
    from scholarships.views import HiringForm

    group = selectors.get_group_or_404(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            perform(request, lambda: services.group_add_members(
                actor=request.user, group=group, student_ids=request.POST.getlist("students"),
                note=request.POST.get("note", "")), _("Students added to the group."))
        elif action == "remove":
            target = access.get_student_or_404(request.user, request.POST.get("student"))
            perform(request, lambda: services.group_remove_member(actor=request.user, group=group, student=target,
                                                                  reason=request.POST.get("reason", "")),
                    _("Student removed from the group."))
        else:
            raise Http404
        return redirect("advising:group", pk=group.pk)
    search = "search" in request.GET
    form = HiringForm(request.GET if search else None, user=request.user)
    found = None
    if search and form.is_valid():
        data = form.cleaned_data
        found = hiring.hiring_search(
            request.user, majors=list(data["majors"]), min_language=data["min_language"],
            certificates=[c for c in (data["certificates"] or "").split(",") if c.strip()],
            min_mileage=data["min_mileage"], year_levels=data["year_levels"])
        found = [s for s in found if s.major.department.campus.institution_id == group.institution_id]
        members = set(group.members.values_list("student_id", flat=True))
        for s in found:
            s.in_group = s.pk in members
    return render(request, "advising/group.html", {
        "group": group, "members": selectors.group_members(request.user, group), "form": form, "found": found,
        "note": _describe_search(form) if found is not None else "",
    })


def _describe_search(form):
    """The conditions of the search, stored with each member it added ("how they were found")."""
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", []) or (hasattr(value, "exists") and not value.exists()):
            continue
        if hasattr(value, "__iter__") and not isinstance(value, str):
            value = ", ".join(str(v) for v in value)
        parts.append(f"{field.label}: {value}")
    return "; ".join(parts)[:500]
