"""Writes of advising: counseling sessions, mentor assignment, the honors club, special groups.

Keyword-only arguments and an explicit actor (None = the rule, run by a command or the December
job); each call is one transaction and leaves an audit event; bad input raises ValidationError
naming the field, and nothing stored changes when a call fails.
"""
import datetime
from decimal import ROUND_FLOOR, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.services import log_action, notify
from careers import access
from careers import services as careers_services
from careers.models import StudentProfile
from mileage_portal.reasons import clean_reason
from mileage_portal.text import change_reason

from . import selectors
from .models import (
    CounselingSession, CounselingType, HonorsClubRule, HonorsMembership, MentorChange, SpecialGroup,
    SpecialGroupMember,
)

MIN_REASON_CHARS = 2


def _reason(reason):
    reason = clean_reason(reason)
    if len(reason) < MIN_REASON_CHARS:
        raise ValidationError({"reason": _("Reason: write the reason.")})
    return reason


def _clean_session(type, date, notes, next_steps):
    errors = {}
    if type not in CounselingType.values:
        errors["type"] = _("Type: choose mentor, employment or international.")
    if isinstance(date, str):
        try:
            date = datetime.date.fromisoformat(date.strip())
        except ValueError:
            date = None
    if not isinstance(date, datetime.date):
        errors["date"] = _("Date: enter the date of the session (YYYY-MM-DD).")
    elif date > timezone.localdate():
        errors["date"] = _("Date: a session cannot be logged before it has taken place.")
    elif date < datetime.date(1950, 1, 1):
        errors["date"] = _("Date: is too far in the past.")
    if len(notes or "") > 10000:
        errors["notes"] = _("Notes: at most 10,000 characters.")
    if len(next_steps or "") > 2000:
        errors["next_steps"] = _("Next steps: at most 2,000 characters.")
    if errors:
        raise ValidationError(errors)
    return type, date, (notes or "").strip(), (next_steps or "").strip()


def _entry_for(actor, session):
    return careers_services.entry_record_approved(
        actor=actor, student=session.student, kind="counseling",
        data={"type": session.type, "date": session.date.isoformat()},
        source=f"counseling:{session.pk}", reason=_("Counseling session logged by %(who)s") % {"who": actor},
    )


# --- counseling sessions ---------------------------------------------------------------------
@transaction.atomic
def session_log(*, actor, student, type, date, notes="", next_steps=""):
    """A counselor logs a session; it becomes the student's approved `counseling` entry."""
    type, date, notes, next_steps = _clean_session(type, date, notes, next_steps)
    if type not in selectors.loggable_types(actor, student):
        raise PermissionDenied(_("You may not log this kind of session for this student."))
    session = CounselingSession.objects.create(student=student, counselor=actor, type=type, date=date,
                                               notes=notes, next_steps=next_steps)
    session.entry = _entry_for(actor, session)
    session.save(update_fields=["entry"])
    log_action(actor=actor, action="counseling.log", obj=session, student=student,
               data={"type": type, "date": date.isoformat(), "entry": str(session.entry_id)})
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):  # the student reads it in the portal's language
        message = _("A %(type)s counseling session on %(date)s was recorded.") % {
            "type": session.get_type_display(), "date": date.isoformat()}
        if next_steps:
            message += " " + _("Agreed next steps: %(steps)s") % {"steps": next_steps}
        notify(user=student.user, subject=_("[Career Mileage Portal] Counseling session"), message=message,
               url=reverse("careers:dashboard") + "#counseling")
    return session


@transaction.atomic
def session_update(*, actor, session, type, date, notes="", next_steps=""):
    """Change a session. A new type or date replaces its entry (the old one is revoked with a
    reason), so the student's points always match the sessions."""
    session = CounselingSession.objects.select_for_update().select_related("student").get(pk=session.pk)
    if not selectors.may_edit_session(actor, session):
        raise PermissionDenied(_("Only the counselor who logged this session can change it."))
    type, date, notes, next_steps = _clean_session(type, date, notes, next_steps)
    if type != session.type and type not in selectors.loggable_types(actor, session.student):
        raise PermissionDenied(_("You may not log this kind of session for this student."))
    changed_entry = (type, date) != (session.type, session.date)
    before = {"type": session.type, "date": session.date.isoformat()}
    session.type, session.date, session.notes, session.next_steps = type, date, notes, next_steps
    session.save()
    if changed_entry:
        if session.entry_id:
            careers_services.entry_revoke_recorded(
                actor=actor, entry=session.entry, reason=_("The counseling session was corrected (%(type)s, %(date)s).")
                % {"type": session.get_type_display(), "date": date.isoformat()})
        session.entry = _entry_for(actor, session)
        session.save(update_fields=["entry"])
    log_action(actor=actor, action="counseling.update", obj=session, student=session.student,
               data={"before": before, "type": type, "date": date.isoformat(), "entry": str(session.entry_id)})
    return session


@transaction.atomic
def session_delete(*, actor, session, reason):
    """Remove a session logged by mistake: its entry is revoked with the reason."""
    session = CounselingSession.objects.select_for_update().select_related("student").get(pk=session.pk)
    if not selectors.may_edit_session(actor, session):
        raise PermissionDenied(_("Only the counselor who logged this session can delete it."))
    reason = _reason(reason)
    if session.entry_id:
        careers_services.entry_revoke_recorded(actor=actor, entry=session.entry, reason=reason)
    log_action(actor=actor, action="counseling.delete", obj=session, student=session.student, reason=reason,
               data={"type": session.type, "date": session.date.isoformat(), "entry": str(session.entry_id)})
    session._change_reason = change_reason(reason)  # the audit event keeps it whole
    session.delete()


# --- mentor professors -------------------------------------------------------------------------
def _pick(candidates, loads):
    """Fewest active mentees first; ties by name, then account."""
    return min(candidates, key=lambda u: (loads.get(u.pk, 0), u.display_name or u.username, u.username), default=None)


@transaction.atomic
def assign_mentor(*, student, actor=None, loads=None):
    """Give an unassigned student a mentor by rule. Returns the mentor, or None when the student
    has one already or no advisor fits (it stays unassigned and is tried again next run)."""
    student = StudentProfile.objects.select_for_update().select_related("major__department").get(pk=student.pk)
    if student.mentor_id or student.enrollment_status not in selectors.ACTIVE_STATUSES:
        return None
    candidates = selectors.mentor_candidates(student)
    if not candidates:
        return None
    # Lock the candidates so that two students assigned at once do not both see the same loads.
    list(User.objects.select_for_update().filter(pk__in=[u.pk for u in candidates]).values_list("pk"))
    if loads is None:
        loads = selectors.mentor_loads(u.pk for u in candidates)
    mentor = _pick(candidates, loads)
    student.mentor = mentor
    student._change_reason = "mentor assigned by rule"
    student.save(update_fields=["mentor"])
    loads[mentor.pk] = loads.get(mentor.pk, 0) + 1
    reason = _("Assigned by rule: %(major)s, year %(level)s, fewest mentees.") % {
        "major": student.major.name, "level": student.year_level}
    MentorChange.objects.create(student=student, previous=None, mentor=mentor, actor=actor, reason=reason)
    log_action(actor=actor, action="advising.mentor_assign", obj=student, student=student, reason=reason,
               data={"mentor": mentor.pk})
    return mentor


@transaction.atomic
def release_departed_mentors(*, institution=None, actor=None):
    """Students whose mentor's account was closed or is no longer an advisor lose that mentor
    (logged), so that the rule can give them a new one. Returns how many."""
    students = StudentProfile.objects.filter(enrollment_status__in=selectors.ACTIVE_STATUSES, mentor__isnull=False).filter(
        Q(mentor__is_active=False) | ~Q(mentor__role=Role.ADVISOR))
    if institution is not None:
        students = students.filter(major__department__campus__institution=institution)
    reason = _("The mentor professor no longer mentors (account closed or no longer an advisor).")
    released = 0
    for student in students.select_for_update().select_related("mentor"):
        previous = student.mentor
        student.mentor = None
        student._change_reason = "mentor released"
        student.save(update_fields=["mentor"])
        MentorChange.objects.create(student=student, previous=previous, mentor=None, actor=actor, reason=reason)
        log_action(actor=actor, action="advising.mentor_release", obj=student, student=student, reason=reason,
                   data={"previous": previous.pk})
        released += 1
    return released


def assign_unassigned(*, institution=None, actor=None):
    """Run the rule for every enrolled student without a mentor (and those whose mentor left);
    returns (assigned, left)."""
    release_departed_mentors(institution=institution, actor=actor)
    students = StudentProfile.objects.filter(mentor__isnull=True, enrollment_status__in=selectors.ACTIVE_STATUSES)
    if institution is not None:
        students = students.filter(major__department__campus__institution=institution)
    loads = selectors.mentor_loads()
    assigned = left = 0
    for student in students.order_by("student_no"):
        if assign_mentor(student=student, actor=actor, loads=loads):
            assigned += 1
        else:
            left += 1
    return assigned, left


@transaction.atomic
def mentor_change(*, actor, student, mentor, reason):
    """Staff set (or clear) a student's mentor, with a reason; the change is logged."""
    student = StudentProfile.objects.select_for_update().select_related("major__department__campus").get(pk=student.pk)
    if not access.may_review(actor, student):
        raise PermissionDenied(_("Only staff responsible for this student can change the mentor."))
    reason = _reason(reason)
    if mentor is not None and not selectors.mentor_choices_for(student).filter(pk=mentor.pk).exists():
        raise ValidationError({"mentor": _("Mentor: choose an advisor of the student's institution.")})
    if (mentor.pk if mentor else None) == student.mentor_id:
        raise ValidationError({"mentor": _("Mentor: this is already the student's mentor.")})
    previous = student.mentor
    student.mentor = mentor
    student._change_reason = change_reason(reason)  # MentorChange keeps it whole
    student.save(update_fields=["mentor"])
    MentorChange.objects.create(student=student, previous=previous, mentor=mentor, actor=actor, reason=reason)
    log_action(actor=actor, action="advising.mentor_change", obj=student, student=student, reason=reason,
               data={"previous": previous.pk if previous else None, "mentor": mentor.pk if mentor else None})
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        notify(user=student.user, subject=_("[Career Mileage Portal] Mentor professor"),
               message=_("Your mentor professor is now %(mentor)s.") % {"mentor": mentor} if mentor
               else _("You have no mentor professor at the moment."))
    return student


# --- honors club -----------------------------------------------------------------------------------
def honors_count(rule, candidates):
    """How many of a year level's ranked candidates join: top N, top p % (rounded down: only
    students within the top p % join), or the smaller of the two when both are set."""
    counts = []
    if rule.top_n is not None:
        counts.append(rule.top_n)
    if rule.top_percent is not None:
        counts.append(int((Decimal(candidates) * rule.top_percent / 100).to_integral_value(rounding=ROUND_FLOOR)))
    return min(counts) if counts else 0


@transaction.atomic
def honors_recompute(*, institution, year=None, actor=None):
    """Replace the institution's honors-club list of `year` from career-mileage standing per year
    level (the December ranking's order and tie-break). Without a rule the institution has no club."""
    from scholarships.selectors import may_manage_institution
    from scholarships.services import ranked_candidates

    if actor is not None and not may_manage_institution(actor, institution):
        raise PermissionDenied(_("Only the central office can recompute the honors club."))
    year = year or timezone.localdate().year
    rule = HonorsClubRule.objects.filter(institution=institution).first()
    HonorsMembership.objects.filter(institution=institution, year=year).delete()
    if rule is None:
        return []
    rows = []
    for level, candidates in sorted(ranked_candidates(institution).items()):
        take = honors_count(rule, len(candidates))
        for rank, (_key, student_id, total, _gpa) in enumerate(candidates[:take], start=1):
            if total < rule.min_mileage:
                break
            rows.append(HonorsMembership(student_id=student_id, institution=institution, year=year,
                                         year_level=level, rank=rank, mileage=total))
    HonorsMembership.objects.bulk_create(rows)
    log_action(actor=actor, action="advising.honors_recompute", obj=institution,
               data={"year": year, "members": [r.student_id for r in rows], "rule": str(rule)})
    return rows


def december_run(*, year=None):
    """The December job's advising part: mentors for unassigned students, then the honors club of
    every institution with a rule. Called by scholarships.tasks.december_selection."""
    from accounts.models import Institution

    assigned, left = assign_unassigned()
    honors = {inst.code: len(honors_recompute(institution=inst, year=year))
              for inst in Institution.objects.filter(honors_rule__isnull=False)}
    return {"mentors_assigned": assigned, "mentors_left": left, "honors": honors}


# --- special management groups -----------------------------------------------------------------------
def _require_group_manager(actor, institution):
    from scholarships.selectors import may_manage_institution

    scope = getattr(actor, "staff_scope", None) if actor.role == Role.STAFF else None
    if not (may_manage_institution(actor, institution) or (scope and scope.institution_id == institution.pk)):
        raise PermissionDenied(_("Only staff of this institution can manage its groups."))


@transaction.atomic
def group_create(*, actor, institution, name, description=""):
    _require_group_manager(actor, institution)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name: give the group a name.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Name: at most 100 characters.")})
    if SpecialGroup.objects.filter(institution=institution, name=name).exists():
        raise ValidationError({"name": _("Name: a group with this name exists already.")})
    group = SpecialGroup.objects.create(institution=institution, name=name, description=(description or "").strip(),
                                        created_by=actor)
    log_action(actor=actor, action="advising.group_create", obj=group, data={"name": name})
    return group


@transaction.atomic
def group_add_members(*, actor, group, student_ids, note=""):
    """Add students (e.g. the result of a hiring-condition search) the actor may review.
    Students already in the group are skipped; returns the new members."""
    _require_group_manager(actor, group.institution)
    ids = {int(i) for i in student_ids if str(i).strip().isdigit()}
    if not ids:
        raise ValidationError({"students": _("Students: choose at least one student.")})
    allowed = set(access.students_reviewable_by(actor).filter(
        pk__in=ids, major__department__campus__institution=group.institution).values_list("pk", flat=True))
    if allowed != ids:
        raise PermissionDenied(_("Some of the chosen students are not in your scope."))
    present = set(group.members.filter(student_id__in=ids).values_list("student_id", flat=True))
    added = []
    for student in StudentProfile.objects.filter(pk__in=ids - present).order_by("student_no"):
        added.append(SpecialGroupMember.objects.create(group=group, student=student, added_by=actor, note=note[:500]))
        log_action(actor=actor, action="advising.group_add", obj=group, student=student, reason=note,
                   data={"group": group.name})
    return added


@transaction.atomic
def group_remove_member(*, actor, group, student, reason):
    _require_group_manager(actor, group.institution)
    reason = _reason(reason)
    if not access.may_review(actor, student):
        raise PermissionDenied(_("This student is not in your scope."))
    member = SpecialGroupMember.objects.filter(group=group, student=student).first()
    if member is None:
        raise ValidationError({"student": _("Student: not a member of this group.")})
    log_action(actor=actor, action="advising.group_remove", obj=group, student=student, reason=reason,
               data={"group": group.name})
    member._change_reason = change_reason(reason)  # the audit event keeps it whole
    member.delete()
