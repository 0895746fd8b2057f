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
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import CommitForm, UploadForm
from .sources import SOURCES

PREVIEW_ROWS = 500  # rows listed on the preview page; the counts cover all of them
PENDING_MAX_AGE = datetime.timedelta(days=1)


def _importer_or_403(request):
    if not services.may_import(request.user):
        raise PermissionDenied
    return request.user


def _pending_path(user, sha256):
    return f"imports/pending/{user.pk}/{sha256}"


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
def index(request):
    user = _importer_or_403(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        source, upload = form.cleaned_data["source"], form.cleaned_data["file"]
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
def commit(request):
    user = _importer_or_403(request)
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


@login_required
def batch_detail(request, pk):
    user = _importer_or_403(request)
    batch = get_object_or_404(selectors.batches_visible_to(user), pk=pk)
    rows = selectors.batch_rows(user, batch)
    return render(request, "imports/batch.html", {"batch": batch, "rows": rows[:1000], "row_total": rows.count()})
