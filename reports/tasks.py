"""Celery tasks of report batches (reports/services.py holds the logic)."""
from celery import shared_task

from . import services


@shared_task(name="reports.tasks.render_report_chunk")
def render_report_chunk(batch_id, student_ids):
    return services.batch_render_chunk(batch_id, student_ids).status
