"""Celery tasks of scoring. Eager without a broker (settings), a real worker otherwise."""
from celery import shared_task

from . import services


@shared_task(acks_late=True)
def recompute_student_results(student_id):
    """After an approval, rejection, revocation, import or redemption: the student's stored results
    and ledger. Returns the number of students recomputed (0 if the profile is gone)."""
    return services.recompute_students(student_ids=[student_id])
