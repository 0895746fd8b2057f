"""Graduation-certification applications (졸업인증신청), committee decisions, committee members."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Major
from careers.models import StudentProfile

EXEMPTIONS = [
    ("athlete", _("Sports scholarship student")),
    ("severe_disability", _("Severe disability")),
    ("employed_final_semester", _("Employed in the final semester")),
    ("foreign_admission", _("Foreign admission")),
]


class CommitteeMembership(models.Model):
    """Who sits on a major's evaluation committee (평가위원회)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="committees")
    major = models.ForeignKey(Major, on_delete=models.CASCADE, related_name="committee")
    chair = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "major"], name="uniq_committee_member")]


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    PASSED = "passed", _("Certified")
    FAILED = "failed", _("Not passed")


class Application(models.Model):
    student = models.ForeignKey(StudentProfile, on_delete=models.PROTECT, related_name="certification_applications")
    semester = models.CharField(_("semester"), max_length=7, help_text="e.g. 2026-2")
    status = models.CharField(_("status"), max_length=16, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.APPLIED)
    exemption = models.CharField(_("exemption requested"), max_length=32, choices=EXEMPTIONS, blank=True)
    exemption_note = models.TextField(_("exemption note"), blank=True)
    engine_result = models.JSONField(_("result at application"), default=dict)
    applied_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decision_reason = models.TextField(_("reason"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-applied_at"]
        constraints = [models.UniqueConstraint(fields=["student", "semester"], name="uniq_application_semester")]

    def __str__(self):
        return f"{self.student} {self.semester}"


def document_path(instance, filename):
    import uuid

    return f"certification/{uuid.uuid4().hex}{instance.extension}"


class ApplicationDocument(models.Model):
    """A supporting document of an exemption request, checked like any evidence file
    (careers.evidence.check_upload) and served only through the access-checked view."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=document_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    @property
    def extension(self):
        from careers.models import Evidence

        return Evidence.EXTENSIONS.get(self.content_type, "")
