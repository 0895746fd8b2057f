"""Batch recomputation runs: one BatchRun per trigger (rule-set publication, nightly, on demand)
and one BatchItem per affected student. An item is marked done in the same transaction that
stores the student's results, so a worker killed mid-run leaves each student either fully
recomputed and marked, or untouched and pending; re-running picks up the pending ones only."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    reason = models.CharField(_("reason"), max_length=100)
    programs = models.JSONField(default=list, blank=True, help_text="Programs that changed; empty = all.")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    total = models.PositiveIntegerField(default=0)
    chunk_size = models.PositiveIntegerField(default=200)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        app_label = "scoring"
        ordering = ["-started_at"]
        verbose_name = _("recomputation run")
        verbose_name_plural = _("recomputation runs")

    def __str__(self):
        return f"{self.reason} {self.started_at:%Y-%m-%d %H:%M}"


class BatchItem(models.Model):
    run = models.ForeignKey(BatchRun, on_delete=models.CASCADE, related_name="items")
    student = models.ForeignKey("careers.StudentProfile", on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True, help_text="Which process recomputed it.")

    class Meta:
        app_label = "scoring"
        constraints = [models.UniqueConstraint(fields=["run", "student"], name="uniq_batch_item")]
        indexes = [models.Index(fields=["run", "done_at"])]
