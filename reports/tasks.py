"""Celery tasks of report batches (reports/services.py holds the logic)."""
from celery import shared_task

from . import services


@shared_task(name="reports.tasks.build_report_batch")
def build_report_batch(batch_id):
    return services.batch_build(batch_id).pk
