"""Celery tasks of scoring. Eager without a broker (settings), a real worker otherwise."""
from celery import shared_task

from . import services


@shared_task(acks_late=True)
def recompute_student_results(student_id):
    return [r.pk for r in services.recompute_student(student_id=student_id)]
