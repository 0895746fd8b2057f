"""Report batches (one ZIP of many students' reports, built by a Celery task with progress) and
the per-student nonce that makes a shared portfolio link revocable."""
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_nonce():
    return secrets.token_hex(16)


class ReportBatch(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        ASSEMBLING = "assembling", _("Making the ZIP")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    description = models.CharField(_("selection"), max_length=200)
    language = models.CharField(_("language"), max_length=8)
    student_ids = models.JSONField(default=list)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    reused = models.PositiveIntegerField(default=0, help_text="Reports taken from the cache, not rendered again.")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    archive = models.CharField(max_length=200, blank=True, help_text="Path of the ZIP in the default storage.")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report batch")
        verbose_name_plural = _("report batches")

    def __str__(self):
        return f"{self.description} ({self.done}/{self.total})"

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def is_active(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING, self.Status.ASSEMBLING)


class PortfolioShare(models.Model):
    """The student's current share: links carry the nonce; rotating it withdraws every link."""

    student = models.OneToOneField("careers.StudentProfile", on_delete=models.CASCADE, related_name="portfolio_share")
    nonce = models.CharField(max_length=32, default=new_nonce)
    expires_at = models.DateTimeField(_("link expires"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("portfolio share")
        verbose_name_plural = _("portfolio shares")

    def __str__(self):
        return f"{self.student} {self.expires_at}"
