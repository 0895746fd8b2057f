"""Stored evaluation results: one row per student and program, replaced on recomputation."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Program
from careers.models import StudentProfile
from mileage_portal.choices import CachedChoicesDisplayMixin


class StoredResult(CachedChoicesDisplayMixin, models.Model):
    student = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="results")
    program = models.CharField(_("program"), max_length=32, choices=Program.choices)
    ruleset = models.CharField(max_length=64)
    ruleset_version = models.CharField(max_length=32)
    total = models.DecimalField(max_digits=10, decimal_places=3)
    passed = models.BooleanField(null=True)
    result = models.JSONField(help_text="The contract's output, with every item and reason.")
    input_digest = models.CharField(max_length=64, help_text="SHA-256 of the contract input it was computed from.")
    computed_at = models.DateTimeField(auto_now=True)
    # Issue 10: a student whose evaluation fails keeps the last good result, marked stale with the
    # engine's error, rather than losing it. Both empty while the stored result is current. A
    # student who never had a good result gets a row with an empty `ruleset` and result (see
    # `has_result`) so that the failure is still counted and shown.
    error = models.TextField(_("evaluation error"), blank=True,
                             help_text="The engine's error from the last evaluation that failed.")
    stale_since = models.DateTimeField(_("stale since"), null=True, blank=True,
                                       help_text="When evaluating this student first failed since the last good result.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "program"], name="uniq_result_per_program")]
        ordering = ["student", "program"]
        indexes = [models.Index(fields=["program"], condition=~models.Q(error=""), name="stale_results_by_program")]

    def __str__(self):
        return f"{self.student} {self.program} {self.total}"

    @property
    def is_stale(self):
        return bool(self.error)

    @property
    def has_result(self):
        """False for the row of a student whose evaluation has never succeeded (only the error)."""
        return bool(self.ruleset)

    def items_by_entry(self):
        out = {}
        for item in self.result.get("items", []):
            out.setdefault(item.get("entry_id"), []).append(item)
        return out
from .batch_models import BatchItem, BatchRun  # noqa: E402,F401  (batch recomputation, scoring/batch.py)


class RuleRevision(models.Model):
    """An administrator's edit of one rule file (rules/<program>/<path>), from draft to published.

    Published revisions replace the repository's file wherever the portal evaluates (scoring.rulesets
    builds the folder the engine reads); at most one is published per file; an older one becomes
    superseded. The text is kept whole, so any published state can be read and compared again."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")
        DISCARDED = "discarded", _("Discarded")

    program = models.CharField(_("program"), max_length=32, choices=Program.choices)
    path = models.CharField(_("file"), max_length=200, help_text="Inside rules/<program>/, e.g. majors/10-3.yaml.")
    text = models.TextField(_("rule file"))
    base_sha = models.CharField(max_length=64, help_text="SHA-256 of the text this edit started from.")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField(_("what changes and why"), blank=True)
    check_error = models.TextField(blank=True, help_text="The engine's complaint about the text, if any.")
    preview = models.JSONField(null=True, blank=True, help_text="What publishing would change (scoring.rulesets).")
    preview_sha = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the text the preview used.")
    preview_started_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    batch = models.ForeignKey("scoring.BatchRun", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", help_text="The recomputation its publication started.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["program", "path"], condition=models.Q(status="published"),
                                               name="one_published_revision_per_file")]

    def __str__(self):
        return f"{self.program}/{self.path} ({self.get_status_display()})"
