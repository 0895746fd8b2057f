"""Writes of the reports app: rendering (and caching) a student's PDF, report batches, and the
portfolio's share link.

    pdf, reused = report_pdf(student=s, audience="counselor", lang="ko")
    batch = batch_start(actor=advisor, students=qs, description="...", lang="ko")   # Celery on commit
    token = share_create(actor=student_user, student=s, days=14)
    share_revoke(actor=student_user, student=s)
"""
import datetime
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


_fetcher = None


def _no_fetching():
    """Reports are self-contained (inline CSS and SVG): WeasyPrint fetches nothing, so no text a
    student typed can make the server open a URL. One instance per process, because building
    WeasyPrint's default fetcher (an SSL context) costs a tenth of a second per report."""
    global _fetcher
    if _fetcher is None:
        from weasyprint.urls import URLFetcher

        class Refuse(URLFetcher):
            def __init__(self):
                pass  # no handlers, no SSL context

            def fetch(self, url, headers=None):
                raise ValueError(f"reports fetch nothing: {url[:80]}")

        _fetcher = Refuse()
    return _fetcher


def render_html(student, *, audience, lang):
    with translation.override(lang):
        return render_to_string("reports/report.html", selectors.report_context(student, audience=audience))


def render_pdf(student, *, audience, lang):
    """The report as PDF bytes, rendered now (no cache)."""
    from weasyprint import HTML

    html = render_html(student, audience=audience, lang=lang)
    return HTML(string=html, url_fetcher=_no_fetching()).write_pdf(font_config=_font_config())


def _cache_dir(student):
    return f"reports/cache/{student.pk}"


def report_pdf(*, student, audience, lang):
    """The student's report, from the cache when nothing it shows has changed. Returns
    (pdf bytes, True if it came from the cache). A new rendering replaces the student's older
    copies for the same audience and language, so the cache holds one PDF per kind of reader."""
    key = selectors.cache_key(student, audience=audience, lang=lang)
    prefix = f"{audience}-{lang}-"
    path = f"{_cache_dir(student)}/{prefix}{key}.pdf"
    if default_storage.exists(path):
        with default_storage.open(path, "rb") as handle:
            return handle.read(), True
    pdf = render_pdf(student, audience=audience, lang=lang)
    try:
        _dirs, older = default_storage.listdir(_cache_dir(student))
    except (FileNotFoundError, NotImplementedError):
        older = []
    for name in older:
        if name.startswith(prefix):
            default_storage.delete(f"{_cache_dir(student)}/{name}")
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
    from .access import can_batch_reports  # the predicate the batch pages declare

    if not can_batch_reports(actor):
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


BATCH_CHUNK = 20


def _dispatch(batch_id):
    """Queue the batch as chunks of students: several workers render at once (each into the
    cache); whichever finishes the last chunk makes the ZIP."""
    from .tasks import render_report_chunk

    batch = ReportBatch.objects.get(pk=batch_id)
    ReportBatch.objects.filter(pk=batch_id, status=ReportBatch.Status.QUEUED).update(status=ReportBatch.Status.RUNNING)
    ids = batch.student_ids
    for i in range(0, len(ids), BATCH_CHUNK):
        render_report_chunk.delay(batch_id, ids[i:i + BATCH_CHUNK])


def _batch_students(batch, ids):
    """The batch's students the requester may still see (anyone they lost since is left out)."""
    return {s.pk: s for s in access.students_visible_to(batch.requested_by).filter(pk__in=ids)
            .select_related("mentor", "major__department__campus__institution")}


def batch_render_chunk(batch_id, student_ids):
    """Render (or find in the cache) the reports of some of a batch's students, counting progress.
    A chunk redelivered after a worker crash renders again from the cache; the ZIP is made from
    the cache once the count reaches the total, so nothing is missing or doubled in it."""
    batch = ReportBatch.objects.select_related("requested_by").get(pk=batch_id)
    if batch.status not in (ReportBatch.Status.QUEUED, ReportBatch.Status.RUNNING):
        return batch
    students = _batch_students(batch, student_ids)
    for student_id in student_ids:
        student = students.get(student_id)
        reused = False
        if student is not None:
            _pdf, reused = report_pdf(student=student, audience=selectors.audience_for(batch.requested_by, student),
                                      lang=batch.language)
        ReportBatch.objects.filter(pk=batch.pk).update(done=F("done") + 1, reused=F("reused") + int(reused))
    return batch_assemble_if_complete(batch_id)


def batch_assemble_if_complete(batch_id):
    """Once every student is counted, exactly one caller (a conditional UPDATE) writes the ZIP."""
    claimed = ReportBatch.objects.filter(pk=batch_id, status=ReportBatch.Status.RUNNING,
                                         done__gte=F("total")).update(status=ReportBatch.Status.ASSEMBLING)
    batch = ReportBatch.objects.select_related("requested_by").get(pk=batch_id)
    if not claimed:
        return batch
    students = _batch_students(batch, batch.student_ids)
    handle, tmp = tempfile.mkstemp(suffix=".zip")
    os.close(handle)
    try:
        # PDFs are compressed already: storing them is as small and much faster.
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
            for student_id in batch.student_ids:
                student = students.get(student_id)
                if student is None:
                    continue
                pdf, _reused = report_pdf(student=student,
                                          audience=selectors.audience_for(batch.requested_by, student),
                                          lang=batch.language)
                archive.writestr(f"{student.student_no}-{student.name}.pdf", pdf)
        with open(tmp, "rb") as data:
            path = default_storage.save(f"reports/batches/{batch.pk}/{new_nonce()}.zip", File(data))
    except Exception as error:  # shown on the requester's page; the worker log has the traceback
        ReportBatch.objects.filter(pk=batch.pk).update(status=ReportBatch.Status.FAILED, error=str(error)[:1000],
                                                       finished_at=timezone.now())
        raise
    finally:
        os.unlink(tmp)
    ReportBatch.objects.filter(pk=batch.pk).update(status=ReportBatch.Status.DONE, archive=path,
                                                   finished_at=timezone.now())
    batch.refresh_from_db()
    return batch


def batch_build(batch_id):
    """The whole batch in this process, chunk after chunk (what eager Celery does; the benchmark's
    one-worker figure)."""
    batch = ReportBatch.objects.get(pk=batch_id)
    ReportBatch.objects.filter(pk=batch_id).update(status=ReportBatch.Status.RUNNING)
    ids = batch.student_ids
    for i in range(0, len(ids), BATCH_CHUNK):
        batch = batch_render_chunk(batch_id, ids[i:i + BATCH_CHUNK])
    return batch_assemble_if_complete(batch_id)


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
