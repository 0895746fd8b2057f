"""What scoring tells the apps that read its output, and what it asks of the apps that feed it,
without importing them (scoring reads careers; scholarships reads scoring; never the reverse).

- `results_stored`: sent inside recompute_students' transaction, after the stored results were
  written, with `du_heart={student id: (result, ruleset_version)}`; the scholarships ledger
  receives it (scholarships/apps.py) and appends its rows in the same transaction.
- `redemption_sources`: the one function that gives DU-HEART's confirmed redemptions (the
  contract's `redemptions` input) for many students, `{student id: [...]}`. Scholarships registers
  it when Django starts; an evaluation without it would miss deductions, so asking for
  redemptions before it is registered is an error, not an empty list.
"""
from django.dispatch import Signal

results_stored = Signal()

_redemptions_for = None


def register_redemptions(fn):
    """`fn(student_ids) -> {student id: [{"date": ..., "points": ...}, ...]}`."""
    global _redemptions_for
    _redemptions_for = fn


def redemptions_for(student_ids):
    if _redemptions_for is None:
        raise RuntimeError("No source of confirmed redemptions is registered (scholarships.apps registers it).")
    return _redemptions_for(student_ids)
