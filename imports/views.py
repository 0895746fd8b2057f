"""Import pages: upload → dry-run preview → commit → the batch's result; the list of batches.

The preview keeps the uploaded file on the server (default storage, under
`imports/pending/<user id>/<sha256>`), so the commit button posts only the file's SHA-256 and
the user does not upload it twice. The commit re-reads that file, checks its SHA-256 and runs
the whole check again inside the committing transaction: the preview is a promise, not a
licence. Files left by previews that were never committed are removed after a day.
"""
import datetime
import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import CommitForm, UploadForm
from .models import ImportJob
from .reading import MAX_BYTES, estimate_data_rows, max_rows
from .sources import SOURCES
from mileage_portal.permissions import permission_required
from .access import can_import

PREVIEW_ROWS = 500  # rows listed on the preview page; the counts cover all of them
PENDING_MAX_AGE = datetime.timedelta(days=1)


def _pending_path(user, sha256):
    return services.pending_path(user.pk, sha256)


def _keep_pending(user, sha256, upload):
    folder = f"imports/pending/{user.pk}"
    try:
        _dirs, names = default_storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        names = []
    for name in names:  # this user's abandoned previews
        try:
            if timezone.now() - default_storage.get_modified_time(f"{folder}/{name}") > PENDING_MAX_AGE:
                default_storage.delete(f"{folder}/{name}")
        except (FileNotFoundError, NotImplementedError):
            pass
    path = _pending_path(user, sha256)
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(b"".join(upload.chunks())))


def _preview(request, result, source):
    return render(request, "imports/preview.html", {
        "result": result, "source": SOURCES[source], "batch": result.batch,
        "rows": result.to_create[:PREVIEW_ROWS], "more_rows": max(0, len(result.to_create) - PREVIEW_ROWS),
        "commit_form": CommitForm(initial={"source": source, "sha256": result.batch.sha256,
                                           "file_name": result.batch.file_name}),
    })


@login_required
@permission_required(can_import)
def index(request):
    user = request.user
    form = UploadForm(request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        source, upload = form.cleaned_data["source"], form.cleaned_data["file"]
        job = _big_file_job(user, source, upload, dry_run=True)
        if job is not None:
            return redirect("imports:job", pk=job.pk)
        try:
            result = services.run_import(actor=user, source=source, uploaded_file=upload, dry_run=True)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if result.ok:
                _keep_pending(user, result.batch.sha256, upload)
            return _preview(request, result, source)
    return render(request, "imports/index.html", {
        "form": form, "sources": SOURCES.values(), "batches": selectors.batches_visible_to(user)[:50],
    })


@login_required
@require_POST
@permission_required(can_import)
def commit(request):
    user = request.user
    form = CommitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Upload the file again."))
        return redirect("imports:index")
    source, sha256 = form.cleaned_data["source"], form.cleaned_data["sha256"]
    path = _pending_path(user, sha256)
    if not default_storage.exists(path):
        messages.error(request, _("The previewed file is no longer on the server; upload it again."))
        return redirect("imports:index")
    with default_storage.open(path, "rb") as kept:
        content = kept.read()
    if hashlib.sha256(content).hexdigest() != sha256:
        messages.error(request, _("Upload the file again."))
        return redirect("imports:index")
    rows = estimate_data_rows(form.cleaned_data["file_name"], content)
    if rows is not None and rows > services.task_rows():
        job = services.job_start(actor=user, source=source, file_name=form.cleaned_data["file_name"],
                                 sha256=sha256, rows=rows, dry_run=False)
        return redirect("imports:job", pk=job.pk)
    try:
        result = services.run_import(actor=user, source=source, dry_run=False,
                                     uploaded_file=ContentFile(content, name=form.cleaned_data["file_name"]))
    except services.ImportRejected as rejected:  # the records changed since the preview
        return _preview(request, rejected.result, source)
    default_storage.delete(path)
    batch = result.batch
    messages.success(request, _("Imported: %(created)d created, %(skipped)d already imported.")
                     % {"created": batch.created_count, "skipped": batch.skipped_count})
    return redirect("imports:batch_detail", pk=batch.pk)


def _big_file_job(user, source, upload, *, dry_run):
    """A file of more than IMPORT_TASK_ROWS rows is kept and checked by a task; None for a small one
    (checked in the request as before)."""
    if upload.size is not None and upload.size > MAX_BYTES:
        return None  # run_import refuses it with its message
    content = b"".join(upload.chunks())
    rows = estimate_data_rows(upload.name, content)
    if rows is None or rows <= services.task_rows() or rows > max_rows():
        return None  # small, or refused at once by run_import for its row count
    sha256 = hashlib.sha256(content).hexdigest()
    _keep_pending(user, sha256, upload)
    return services.job_start(actor=user, source=source, file_name=upload.name, sha256=sha256, rows=rows,
                              dry_run=dry_run)


@login_required
@permission_required(can_import)
def job_detail(request, pk):
    """A big file's check or import: progress while the task runs, then the preview or the result."""
    user = request.user
    job = get_object_or_404(ImportJob.objects.filter(user=user), pk=pk)
    done, total = services.job_progress(job)
    finished = job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED)
    result = job.result or {}
    return render(request, "imports/job.html", {
        "job": job, "source": SOURCES[job.source], "done": done, "total": total, "finished": finished,
        "counts": {**{k: result.get(k, 0) for k in ("row_count", "created_count", "skipped_count", "updated_count")},
                   "source": job.source, "status": "committed" if job.batch_id else "dry_run"},
        "result": result, "more_rows": max(0, result.get("created_count", 0) - len(result.get("rows", []))),
        "more_errors": max(0, result.get("error_count", 0) - len(result.get("errors", []))),
        "commit_form": CommitForm(initial={"source": job.source, "sha256": job.sha256, "file_name": job.file_name})
        if finished and job.dry_run and result.get("ok") else None,
    })


@login_required
@permission_required(can_import)
def batch_detail(request, pk):
    user = request.user
    batch = get_object_or_404(selectors.batches_visible_to(user), pk=pk)
    rows = selectors.batch_rows(user, batch)
    return render(request, "imports/batch.html", {"batch": batch, "rows": rows[:1000], "row_total": rows.count()})
