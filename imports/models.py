"""An import batch per file, and the link from each imported row to what it created.

The link is its own model so that an entry's `data` stays exactly the kind form's fields (the
engine reads it as it is). Its `row_key`, unique per source, is what makes re-importing a file
change nothing: a row whose key is already there is skipped and counted.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .sources import SOURCE_CHOICES


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        # A dry run is never stored (it writes nothing); run_import hands back an unsaved batch
        # with this status so that the preview and the result speak about the same object.
        DRY_RUN = "dry_run", _("Dry run")
        COMMITTED = "committed", _("Imported")

    source = models.CharField(_("source"), max_length=40, choices=SOURCE_CHOICES)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRY_RUN)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped (already imported)"), default=0)
    updated_count = models.PositiveIntegerField(_("profiles updated"), default=0)  # GPA rows

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self):
        return f"#{self.pk} {self.get_source_display()} {self.file_name}"

    @property
    def entry_source(self):
        """What CareerEntry.source says for the entries of this batch."""
        return f"import:{self.source}"


class ImportedRow(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="rows")
    source = models.CharField(max_length=40, choices=SOURCE_CHOICES)  # the batch's, for the constraint
    row_key = models.CharField(max_length=100)
    row_number = models.PositiveIntegerField(_("row"))
    student = models.ForeignKey("careers.StudentProfile", on_delete=models.SET_NULL, null=True, related_name="+")
    # Empty for a row that only updated a profile (a GPA). Approved entries are never deleted,
    # but if one ever is, the key stays: re-importing must still not bring it back.
    entry = models.ForeignKey("careers.CareerEntry", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="import_rows")

    class Meta:
        ordering = ["batch", "row_number"]
        constraints = [models.UniqueConstraint(fields=["source", "row_key"], name="uniq_imported_row_key")]
        verbose_name = _("imported row")
        verbose_name_plural = _("imported rows")

    def __str__(self):
        return f"{self.batch_id}:{self.row_number}"


class ImportJob(models.Model):
    """A big file (more rows than IMPORT_TASK_ROWS) checked or imported by a Celery task, so that
    the request returns at once; the job page shows its progress and then its result.

    The file waits in the default storage under imports/pending/<user>/<sha256> (as for the
    preview of a small file). Progress is counted in the cache (the task's transaction would hide
    it); the result is kept here: counts, the first errors and the first rows to create.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("source"), max_length=40, choices=SOURCE_CHOICES)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    dry_run = models.BooleanField(default=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self):
        return f"job {self.pk} {self.source} {self.file_name}"

    @property
    def progress_key(self):
        return f"imports:job:{self.pk}:rows_done"
