"""Celery tasks of batch recomputation (scoring/batch.py holds the logic)."""
from celery import shared_task

from . import batch


@shared_task(acks_late=True, name="scoring.batch_tasks.recompute_chunk")
def recompute_chunk(run_id, student_ids):
    return batch.process_chunk(run_id, student_ids)


@shared_task(name="scoring.batch_tasks.resume_batches")
def resume_batches():
    return batch.resume_unfinished()


@shared_task(name="scoring.batch_tasks.nightly_recompute")
def nightly_recompute():
    """Finish any run a crash left behind, then recompute everyone for the night."""
    batch.resume_unfinished()
    run = batch.start_batch(reason="nightly")
    return run.pk

