"""Writes of the reports app: rendering (and caching) a student's PDF, report batches, and the
portfolio's share link.

    pdf, reused = report_pdf(student=s, audience="counselor", lang="ko")
    batch = batch_start(actor=advisor, students=qs, description="...", lang="ko")   # Celery on commit
    token = share_create(actor=student_user, student=s, days=14)
    share_revoke(actor=student_user, student=s)
"""
import datetime
import io
import os
import tempfile
import zipfile

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import log_action
from careers import access

from . import selectors
from .models import PortfolioShare, ReportBatch, new_nonce

SHARE_SALT = "reports.portfolio"
SHARE_DAYS = (1, 7, 14, 30)
MAX_SHARE_DAYS = max(SHARE_DAYS)
MAX_BATCH = 2000

_fonts = None


def _font_config():
    # One FontConfiguration per process: WeasyPrint then finds Noto CJK once, not per report.
    global _fonts
    if _fonts is None:
        from weasyprint.text.fonts import FontConfiguration

        _fonts = FontConfiguration()
    return _fonts


def render_html(student, *, audience, lang):
    with translation.override(lang):
        return render_to_string("reports/report.html", selectors.report_context(student, audience=audience))


def render_pdf(student, *, audience, lang):
    """The report as PDF bytes, rendered now (no cache)."""
    from weasyprint import HTML

    html = render_html(student, audience=audience, lang=lang)
    return HTML(string=html).write_pdf(font_config=_font_config())


def _cache_path(student, key):
    return f"reports/cache/{student.pk}/{key}.pdf"


def report_pdf(*, student, audience, lang):
    """The student's report, from the cache when nothing it shows has changed. Returns
    (pdf bytes, True if it came from the cache)."""
    key = selectors.cache_key(student, audience=audience, lang=lang)
    path = _cache_path(student, key)
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as handle:
            return handle.read(), True
    pdf = render_pdf(student, audience=audience, lang=lang)
    default_storage.save(path, ContentFile(pdf))
    return pdf, False


def report_filename(student, lang):
    with translation.override(lang):
        stem = _("counseling-report")
    return f"{stem}-{student.student_no}.pdf"


# --- batches ------------------------------------------------------------------------------------
@transaction.atomic
def batch_start(*, actor, students, description, lang):
    """Queue one ZIP of the reports of `students` (already narrowed to what `actor` may see)."""
    if actor.role not in ("advisor", "staff", "admin") and not actor.is_superuser:
        raise PermissionDenied(_("Only advisors and staff print reports in batches."))
    ids = list(access.students_visible_to(actor).filter(pk__in=students.values("pk"))
               .order_by("student_no").values_list("pk", flat=True))
    if not ids:
        raise ValidationError({"students": _("No student matches this selection.")})
    if len(ids) > MAX_BATCH:
        raise ValidationError({"students": _("At most %(max)d students at a time (%(n)d selected).")
                               % {"max": MAX_BATCH, "n": len(ids)}})
    batch = ReportBatch.objects.create(requested_by=actor, description=description[:200], language=lang,
                                       student_ids=ids, total=len(ids))
    log_action(actor=actor, action="report.batch", obj=batch, data={"students": len(ids), "selection": description})
    transaction.on_commit(lambda: _dispatch(batch.pk))
    return batch


def _dispatch(batch_id):
    from .tasks import build_report_batch

    build_report_batch.delay(batch_id)


def batch_build(batch_id):
    """Render (or reuse) every report of the batch into one ZIP, counting progress as it goes.
    Students the requester may no longer see are left out."""
    batch = ReportBatch.objects.select_related("requested_by").get(pk=batch_id)
    if batch.status == ReportBatch.Status.DONE:
        return batch
    ReportBatch.objects.filter(pk=batch.pk).update(status=ReportBatch.Status.RUNNING, done=0, reused=0, error="")
    students = {s.pk: s for s in access.students_visible_to(batch.requested_by).filter(pk__in=batch.student_ids)
                .select_related("mentor", "major__department__campus__institution")}
    handle, tmp = tempfile.mkstemp(suffix=".zip")
    os.close(handle)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
            for student_id in batch.student_ids:
                student = students.get(student_id)
                if student is not None:
                    audience = selectors.audience_for(batch.requested_by, student)
                    pdf, reused = report_pdf(student=student, audience=audience, lang=batch.language)
                    archive.writestr(f"{student.student_no}-{student.name}.pdf", pdf)
                ReportBatch.objects.filter(pk=batch.pk).update(
                    done=F("done") + 1, reused=F("reused") + (1 if student is not None and reused else 0))
        with open(tmp, "rb") as data:
            path = default_storage.save(f"reports/batches/{batch.pk}/{new_nonce()}.zip", File(data))
    except Exception as error:  # recorded for the requester's page; the worker log has the traceback
        ReportBatch.objects.filter(pk=batch.pk).update(status=ReportBatch.Status.FAILED, error=str(error)[:1000],
                                                       finished_at=timezone.now())
        raise
    finally:
        os.unlink(tmp)
    ReportBatch.objects.filter(pk=batch.pk).update(status=ReportBatch.Status.DONE, archive=path,
                                                   finished_at=timezone.now())
    batch.refresh_from_db()
    return batch


# --- portfolio share links -----------------------------------------------------------------------
def _signer():
    return signing.TimestampSigner(salt=SHARE_SALT)


def share_token(share):
    return _signer().sign_object({"s": share.student_id, "n": share.nonce,
                                  "e": int(share.expires_at.timestamp())}, compress=True)


@transaction.atomic
def share_create(*, actor, student, days):
    """A new read-only link to the student's portfolio, valid `days` days; any earlier link stops working."""
    if actor.pk != student.user_id:
        raise PermissionDenied(_("Only the student shares their portfolio."))
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = None
    if days not in SHARE_DAYS:
        raise ValidationError({"days": _("Choose how long the link stays valid: %(choices)s days.")
                               % {"choices": ", ".join(str(d) for d in SHARE_DAYS)}})
    share, _created = PortfolioShare.objects.select_for_update().get_or_create(student=student)
    share.nonce = new_nonce()
    share.expires_at = timezone.now() + datetime.timedelta(days=days)
    share.save()
    log_action(actor=actor, action="portfolio.share", obj=share, student=student, data={"days": days})
    return share_token(share)


@transaction.atomic
def share_revoke(*, actor, student):
    if actor.pk != student.user_id:
        raise PermissionDenied(_("Only the student shares their portfolio."))
    share, _created = PortfolioShare.objects.select_for_update().get_or_create(student=student)
    share.nonce = new_nonce()
    share.expires_at = None
    share.save()
    log_action(actor=actor, action="portfolio.revoke", obj=share, student=student)


def shared_student(token):
    """The student a share link points to, or None when it is tampered with, expired or withdrawn."""
    from careers.models import StudentProfile

    try:
        payload = _signer().unsign_object(token, max_age=datetime.timedelta(days=MAX_SHARE_DAYS, hours=1))
        student_id, nonce, expires = int(payload["s"]), str(payload["n"]), int(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if expires < timezone.now().timestamp():
        return None
    share = PortfolioShare.objects.filter(student_id=student_id, nonce=nonce).first()
    if share is None or share.expires_at is None or share.expires_at < timezone.now():
        return None
    return (StudentProfile.objects.select_related("major__department__campus__institution", "mentor")
            .filter(pk=student_id).first())
