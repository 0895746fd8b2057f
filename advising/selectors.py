"""Reads of advising: who may log or read counseling, a student's sessions, mentees with their
last session, honors-club membership, special groups.

Who may see a student at all is careers.access.students_visible_to (advisors: their mentees;
staff: their scope; admins: everyone); the functions here only narrow that further.
"""
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.http import Http404

from accounts.models import Role
from careers import access
from careers.models import EnrollmentStatus, StudentProfile

from .models import (
    AdvisorProfile, CounselingSession, CounselingType, Counselor, HonorsMembership, MentorChange, SpecialGroup,
)

# Mentees who still count towards an advisor's load (graduates and withdrawals do not).
ACTIVE_STATUSES = (EnrollmentStatus.ENROLLED, EnrollmentStatus.ON_LEAVE)


def _is_admin(user):
    return user.is_superuser or user.role == Role.ADMIN


def _visible(user, student):
    return access.students_visible_to(user).filter(pk=student.pk).exists()


def counselor_types(user):
    """The counseling types `user` holds: mentor for advisors, employment/international for counselors."""
    if not (user.is_authenticated and user.is_active):
        return []
    if _is_admin(user):
        return list(CounselingType.values)
    types = [CounselingType.MENTOR] if user.role == Role.ADVISOR else []
    counselor = Counselor.objects.filter(user=user).first()
    if counselor:
        types += [t for t in counselor.types() if t not in types]
    return types


def loggable_types(user, student):
    """The session types `user` may log for `student`: mentor sessions by the student's mentor,
    employment/international sessions by counselors of those kinds who see the student."""
    if not _visible(user, student):
        return []
    if _is_admin(user):
        return list(CounselingType.values)
    return [t for t in counselor_types(user) if t != CounselingType.MENTOR or student.mentor_id == user.pk]


def may_read_notes(user, student):
    """Notes are private to counselors: the student's mentor, counselors who see the student,
    admins. Never the student, never staff who only review entries."""
    if not (user.is_authenticated and user.is_active) or user.role == Role.STUDENT:
        return False
    if not _visible(user, student):
        return False
    return (_is_admin(user) or student.mentor_id == user.pk
            or Counselor.objects.filter(Q(employment=True) | Q(international=True), user=user).exists())


def may_edit_session(user, session):
    """The counselor who logged it (while they still see the student), or an admin."""
    if not _visible(user, session.student):
        return False
    return _is_admin(user) or session.counselor_id == user.pk


def sessions_for(viewer, student):
    """The student's sessions as `viewer` may see them. For a viewer who may not read notes the
    notes are not even loaded (each session's `notes` is None)."""
    qs = CounselingSession.objects.filter(student=student).select_related("counselor")
    if may_read_notes(viewer, student):
        return list(qs)
    sessions = list(qs.defer("notes"))
    for session in sessions:
        session.__dict__["notes"] = None  # a deferred field would load on access; this one stays empty
    return sessions


def get_session_or_404(user, pk):
    try:
        session = CounselingSession.objects.select_related("student__major__department__campus", "counselor").get(pk=pk)
    except (CounselingSession.DoesNotExist, ValueError):
        raise Http404 from None
    if not may_edit_session(user, session):
        raise Http404
    return session


def mentees_overview(user, *, q="", unassigned=False):
    """The students `user` sees, with each one's last session and number of sessions. Advisors
    see their mentees; counselors and staff see their scope (searchable)."""
    last = CounselingSession.objects.filter(student=OuterRef("pk")).order_by("-date", "-created_at")
    qs = (access.students_visible_to(user)
          .annotate(last_session=Max("counseling_sessions__date"), session_count=Count("counseling_sessions"),
                    last_type=Subquery(last.values("type")[:1]))
          .select_related("mentor"))
    if unassigned:
        qs = qs.filter(mentor__isnull=True, enrollment_status__in=ACTIVE_STATUSES)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(student_no__icontains=q))
    return qs.order_by("year_level", "student_no")


# --- mentors -----------------------------------------------------------------------------------
def mentor_loads(user_ids=None):
    """{advisor id: number of active mentees}."""
    qs = StudentProfile.objects.filter(mentor__isnull=False, enrollment_status__in=ACTIVE_STATUSES)
    if user_ids is not None:
        qs = qs.filter(mentor_id__in=list(user_ids))
    return dict(qs.values("mentor_id").annotate(n=Count("pk")).values_list("mentor_id", "n"))


def mentor_candidates(student):
    """Advisors who may mentor `student` by rule: those of the student's major who take its year
    level; when the major has none, those of its department who take the year level."""
    profiles = list(AdvisorProfile.objects.filter(
        accepts_mentees=True, user__is_active=True, user__role=Role.ADVISOR,
        major__department=student.major.department_id).select_related("user"))
    fitting = [p for p in profiles if p.takes_level(student.year_level)]
    same_major = [p.user for p in fitting if p.major_id == student.major_id]
    return same_major or [p.user for p in fitting]


def mentor_choices_for(student):
    """Advisors staff may pick for `student`: every active advisor of the student's institution."""
    from accounts.models import User

    return (User.objects.filter(role=Role.ADVISOR, is_active=True)
            .filter(advisor_profile__major__department__campus__institution=student.institution)
            .order_by("display_name", "username"))


def mentor_history(student):
    return list(MentorChange.objects.filter(student=student).select_related("previous", "mentor", "actor"))


# --- honors club ---------------------------------------------------------------------------------
def honors_membership(student):
    """The student's most recent honors-club membership (a HonorsMembership: year, year_level,
    rank, mileage), or None. Reports and the student's page read this."""
    return HonorsMembership.objects.filter(student=student).order_by("-year").first()


def honors_members(institution, year=None):
    qs = HonorsMembership.objects.filter(institution=institution).select_related("student__major")
    if year is None:
        year = qs.aggregate(y=Max("year"))["y"]
    return year, list(qs.filter(year=year)) if year else []


# --- special management groups ---------------------------------------------------------------------
def groups_visible_to(user):
    """Staff see their institution's groups, admins every group."""
    qs = SpecialGroup.objects.select_related("institution").annotate(size=Count("members"))
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if _is_admin(user):
        return qs
    scope = getattr(user, "staff_scope", None) if user.role == Role.STAFF else None
    return qs.filter(institution=scope.institution_id) if scope else qs.none()


def get_group_or_404(user, pk):
    try:
        return groups_visible_to(user).get(pk=pk)
    except (SpecialGroup.DoesNotExist, ValueError):
        raise Http404 from None


def group_members(user, group):
    """The group's members the viewer may see (department staff: their department's)."""
    return list(group.members.filter(student__in=access.students_visible_to(user))
                .select_related("student__major", "added_by"))


def special_groups_of(student):
    return list(SpecialGroup.objects.filter(members__student=student))


def intro_for(student):
    """The student's self-introduction with its job fields as labels, or None. Advisors and
    counselors read it (seed 000: it is used in counseling with the mentor professor)."""
    from careers.models import JOB_FIELDS, SelfIntroduction

    intro = SelfIntroduction.objects.filter(student=student).first()
    if intro is not None:
        labels = dict(JOB_FIELDS)
        intro.job_field_labels = [labels.get(f, f) for f in intro.job_fields]
    return intro


def unassigned_count(user):
    """Active students the user sees who have no mentor professor (staff act on these)."""
    return access.students_visible_to(user).filter(mentor__isnull=True, enrollment_status__in=ACTIVE_STATUSES).count()
