"""The one place that decides who may see and act on which student's records.

Every page and API view goes through these functions. An object the user may not see is
reported as "not found" (Http404), so nobody learns that another student's entry exists.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accounts.models import Department, Major, Role
from mileage_portal.permissions import has_role, signed_in

from .models import CareerEntry, Evidence, StudentProfile


def students_visible_to(user, *, lookup=False):
    """The students whose records `user` may read. `lookup`: for finding one record, the scope is a
    join (no query first); lists read the scope's majors first (_major_ids)."""
    qs = StudentProfile.objects.select_related("major__department__campus__institution", "user")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_superuser or user.role == Role.ADMIN:
        return qs
    if user.role == Role.STUDENT:
        return qs.filter(user=user)
    if user.role == Role.ADVISOR:
        return qs.filter(mentor=user)
    if user.role == Role.STAFF:
        scope = getattr(user, "staff_scope", None)
        if scope is None:
            return qs.none()
        if scope.central_office:
            if lookup:
                return qs.filter(major__department__campus__institution_id=scope.institution_id)
            return qs.filter(major_id__in=_major_ids(department__campus__institution=scope.institution_id))
        if lookup:
            return qs.filter(major__department_id=scope.department_id)
        return qs.filter(major_id__in=_major_ids(department=scope.department_id))
    return qs.none()


def _major_ids(**where):
    """The scope's majors as a list of ids read first (one small query): PostgreSQL then estimates
    the students of the scope from its statistics on careers_studentprofile.major_id, where a join
    through accounts_major and accounts_department is estimated from averages. Off by 260× on a
    department of 20,000 students (bench/load.py), it probed the entry index once per student:
    the staff queue's count and page each took ~280 ms instead of ~10 (bench/README.md, issue 12)."""
    return list(Major.objects.filter(**where).order_by().values_list("pk", flat=True))


def departments_reviewed_by(user):
    """Ids of the departments whose students `user` may review (their queue's page-cache counters)."""
    if not user.is_authenticated or not user.is_active:
        return []
    departments = Department.objects.order_by("pk")
    if user.is_superuser or user.role == Role.ADMIN:
        return list(departments.values_list("pk", flat=True))
    scope = getattr(user, "staff_scope", None) if user.role == Role.STAFF else None
    if scope is None:
        return []
    if scope.central_office:
        return list(departments.filter(campus__institution=scope.institution_id).values_list("pk", flat=True))
    return [scope.department_id]


def get_student_or_404(user, pk):
    try:
        return students_visible_to(user, lookup=True).get(pk=pk)
    except (StudentProfile.DoesNotExist, ValueError):
        raise Http404 from None


def entries_visible_to(user, *, lookup=False):
    return (CareerEntry.objects.filter(student__in=students_visible_to(user, lookup=lookup))
            .select_related("student", "organization"))


def get_entry_or_404(user, pk):
    try:
        return entries_visible_to(user, lookup=True).get(pk=pk)
    except (CareerEntry.DoesNotExist, ValueError, ValidationError):  # a malformed UUID is "not found" too
        raise Http404 from None


def get_evidence_or_404(user, pk):
    try:
        return Evidence.objects.select_related("entry__student").get(
            pk=pk, entry__student__in=students_visible_to(user, lookup=True))
    except (Evidence.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def own_student(user):
    """The student profile of a student user, or None."""
    if user.is_authenticated and user.role == Role.STUDENT:
        # user.student_profile already read with her major (the sign-in reads the profile alone)
        cached = user._state.fields_cache.get("student_profile")
        if cached is not None and "major" in cached._state.fields_cache:
            return cached
        profile = StudentProfile.objects.filter(user=user).select_related("major__department__campus__institution").first()
        if profile is not None:  # the top bar (mileage_portal.menu) reads it again: once per request
            user._state.fields_cache["student_profile"] = profile
        return profile
    return None


def own_student_id_or_403(user):
    """The id of a student user's profile (one indexed lookup, no joins): enough to find her pages
    in the page cache before anything is rendered."""
    if not (user.is_authenticated and user.role == Role.STUDENT):
        raise PermissionDenied
    cached = user._state.fields_cache.get("student_profile")  # the sign-in read it (accounts.backends)
    if cached is not None:
        return cached.pk
    ids = list(StudentProfile.objects.filter(user=user).values_list("pk", flat=True)[:1])
    if not ids:
        raise PermissionDenied
    return ids[0]


def own_student_or_403(user):
    """The student profile of a student user; anyone else may not use a student's own pages."""
    student = own_student(user)
    if student is None:
        raise PermissionDenied
    return student


def is_owner(user, entry):
    return user.is_authenticated and entry.student.user_id == user.pk


def students_reviewable_by(user):
    """Staff decide on the students in their scope; admins on everyone; nobody else decides."""
    if user.is_authenticated and user.is_active and (user.is_superuser or user.role in (Role.ADMIN, Role.STAFF)):
        return students_visible_to(user)
    return StudentProfile.objects.none()


def may_review(user, student):
    return students_reviewable_by(user).filter(pk=student.pk).exists()


def may_decide_redemptions(user, student=None):
    """Confirming or refusing a DU-HEART scholarship redemption pays money and deducts points: the
    seed (001, 장학금 지급 절차) gives it to 학생지원부, a central office. So admins and central-office
    staff of the student's institution decide; department staff see the requests but do not decide
    (README "Security choices"). Without `student`: whether the user decides any at all."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    scope = getattr(user, "staff_scope", None) if user.role == Role.STAFF else None
    if scope is None or not scope.central_office:
        return False
    return student is None or may_review(user, student)


# Page permissions (mileage_portal.permissions): who may ever open a page; which record they see is
# decided above.
can_read_records = signed_in  # a record page: the record itself goes through get_*_or_404


def can_use_own_pages(user):
    """A student's own pages (/me/, the self-introduction, a new entry)."""
    return has_role(user, Role.STUDENT)


def can_list_students(user):
    """The student list: everyone but students (who have /me/)."""
    return signed_in(user) and user.role != Role.STUDENT


def can_review(user):
    """The review pages and decisions: staff and admins."""
    return has_role(user, Role.STAFF, Role.ADMIN)
