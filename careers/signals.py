"""What careers tells the apps that read its records, without importing them (careers is read by
scoring, scholarships, certification...; it imports none of them).

- `records_changed`: sent after the transaction that approved, rejected, revoked, imported or
  otherwise changed a student's records commits, with `student_id`. Scoring receives it
  (scoring/apps.py) and queues the student's recomputation.
"""
from django.dispatch import Signal

records_changed = Signal()
