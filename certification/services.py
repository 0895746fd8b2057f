"""Applications and committee decisions. Committee points are `manual` career entries (rules
are data: the engine counts them in the area the committee names), approved by the member."""
import datetime
import math
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from audit.services import log_action, notify
from careers import access
from careers.evidence import check_upload
from careers.models import CareerEntry, EntryStatus
from careers.services import _recompute_after_commit
from scoring.engine import EngineError, evaluate
from scoring.inputs import student_document
from scoring.rulesets import active_rules_dir
from mileage_portal.reasons import clean_reason

from .models import EXEMPTIONS, Application, ApplicationDocument, ApplicationStatus, CommitteeMembership

PROGRAM = "hankyong-grad-cert"


def current_semester(today=None):
    today = today or timezone.localdate()
    return f"{today.year}-{1 if 3 <= today.month <= 8 else 2}" if today.month >= 3 else f"{today.year - 1}-2"


def evaluate_student(student, *, as_of=None):
    """The engine's answer for this student now (not stored): the checklist and planner use it."""
    return evaluate(student_document(student, PROGRAM, as_of=as_of), rules_dir=active_rules_dir())


def in_graduation_semester(student):
    """Seed 004: students apply in their graduation semester (7 semesters done, or graduating
    within six months)."""
    if student.semesters_completed >= 7:
        return True
    eg = student.expected_graduation
    return bool(eg and eg <= timezone.localdate() + datetime.timedelta(days=183))


def is_committee_member(user, major):
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    return CommitteeMembership.objects.filter(user=user, major=major).exists()


def applications_for_committee(user):
    qs = Application.objects.select_related("student__major__department")
    if user.is_superuser or user.role == Role.ADMIN:
        return qs
    return qs.filter(student__major__in=CommitteeMembership.objects.filter(user=user).values("major"))


@transaction.atomic
def apply(*, actor, student, exemption="", exemption_note="", documents=()):
    if student.user_id != actor.pk:
        raise PermissionDenied(_("Only the student can apply."))
    if not in_graduation_semester(student):
        raise ValidationError(_("You can apply in your graduation semester."))
    semester = current_semester()
    if Application.objects.filter(student=student, semester=semester).exists():
        raise ValidationError(_("You have already applied this semester."))
    if exemption and exemption not in dict(EXEMPTIONS):
        raise ValidationError({"exemption": _("Exemption: choose one of the listed exemptions.")})
    if exemption and not documents:
        raise ValidationError({"documents": _("Documents: an exemption request needs its documents.")})
    try:
        result = evaluate_student(student)
    except EngineError as error:
        raise ValidationError(str(error)) from None
    application = Application.objects.create(student=student, semester=semester, exemption=exemption,
                                             exemption_note=exemption_note, engine_result=result)
    for upload in documents:
        checked = check_upload(upload)
        doc = ApplicationDocument(application=application, original_name=upload.name[-255:],
                                  content_type=checked.content_type, sha256=checked.sha256)
        doc.file.save("upload", ContentFile(checked.content), save=False)
        doc.save()
    log_action(actor=actor, action="certification.apply", obj=application, student=student,
               data={"semester": semester, "exemption": exemption, "total": result.get("total")})
    return application


@transaction.atomic
def add_committee_points(*, actor, application, area, points, reason):
    """Points for an activity the rules leave to the committee, as an approved `manual` entry."""
    student = application.student
    if not is_committee_member(actor, student.major):
        raise PermissionDenied(_("Only the major's evaluation committee can do this."))
    if not clean_reason(reason):
        raise ValidationError({"reason": _("Reason: write the reason for this decision.")})
    threshold = application.engine_result.get("threshold")
    if points is None or not (points.is_finite() if isinstance(points, Decimal) else math.isfinite(points)):
        # NaN and Infinity parse as Decimals; a NaN cannot even be compared
        raise ValidationError({"points": _("Points: between 0 and the pass mark.")})
    if points <= 0 or (threshold is not None and points > threshold):
        raise ValidationError({"points": _("Points: between 0 and the pass mark.")})
    doc = student_document(student, PROGRAM, entries=[])
    doc["entries"] = [{"id": "probe", "kind": "manual", "area": area, "points": float(points), "reason": reason,
                       "date": timezone.localdate().isoformat()}]
    try:
        probe = evaluate(doc, rules_dir=active_rules_dir())
    except EngineError as error:
        raise ValidationError({"area": str(error)}) from None
    # An area the rule set does not have is an item "not scored by this program" (no rule took
    # it), not an error: refuse it here, with the engine's reason.
    unscored = [i for i in probe.get("items", []) if i.get("entry_id") == "probe" and i.get("rule") is None]
    if unscored:
        raise ValidationError({"area": unscored[0].get("reason") or _("Area: not one of this program's areas.")})
    entry = CareerEntry.objects.create(
        student=student, kind="manual", status=EntryStatus.APPROVED, date=timezone.localdate(),
        # `program`: these points are this program's; the other programs show them as not scored
        data={"area": area, "points": float(points), "reason": reason, "program": PROGRAM},
        source=f"committee:{application.pk}",
        submitted_on=timezone.localdate(), decided_at=timezone.now(), decided_by=actor, decision_reason=reason,
        created_by=actor,
    )
    log_action(actor=actor, action="certification.committee_points", obj=application, student=student,
               reason=reason, data={"area": area, "points": float(points), "entry": str(entry.pk)})
    application.engine_result = evaluate_student(student)
    application.save(update_fields=["engine_result"])
    _recompute_after_commit(student.pk)
    return entry


@transaction.atomic
def decide(*, actor, application, passed, reason):
    application = Application.objects.select_for_update().select_related("student__user").get(pk=application.pk)
    if not is_committee_member(actor, application.student.major):
        raise PermissionDenied(_("Only the major's evaluation committee can do this."))
    if not clean_reason(reason):
        raise ValidationError({"reason": _("Reason: write the reason for this decision.")})
    application.engine_result = evaluate_student(application.student)
    application.status = ApplicationStatus.PASSED if passed else ApplicationStatus.FAILED
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.decision_reason = reason
    application.save()
    log_action(actor=actor, action="certification.decide", obj=application, student=application.student,
               reason=reason, data={"passed": passed, "engine_passed": application.engine_result.get("passed")})
    notify(user=application.student.user, subject=_("Graduation certification"),
           message=_("Graduation certification %(semester)s: %(status)s. %(reason)s")
           % {"semester": application.semester, "status": application.get_status_display(), "reason": reason})
    return application


def may_view_application(user, application):
    return (access.students_visible_to(user).filter(pk=application.student_id).exists()
            or is_committee_member(user, application.student.major))
