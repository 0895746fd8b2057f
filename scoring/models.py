"""Stored evaluation results: one row per student and program, replaced on recomputation."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Program
from careers.models import StudentProfile


class StoredResult(models.Model):
    student = models.ForeignKey(StudentProfile, on_delete=models.CASCADE, related_name="results")
    program = models.CharField(_("program"), max_length=32, choices=Program.choices)
    ruleset = models.CharField(max_length=64)
    ruleset_version = models.CharField(max_length=32)
    total = models.DecimalField(max_digits=10, decimal_places=3)
    passed = models.BooleanField(null=True)
    result = models.JSONField(help_text="The contract's output, with every item and reason.")
    input_digest = models.CharField(max_length=64, help_text="SHA-256 of the contract input it was computed from.")
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "program"], name="uniq_result_per_program")]
        ordering = ["student", "program"]

    def __str__(self):
        return f"{self.student} {self.program} {self.total}"

    def items_by_entry(self):
        out = {}
        for item in self.result.get("items", []):
            out.setdefault(item.get("entry_id"), []).append(item)
        return out
from .batch_models import BatchItem, BatchRun  # noqa: E402,F401  (batch recomputation, scoring/batch.py)
