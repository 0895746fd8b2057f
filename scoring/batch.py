"""Batch recomputation of stored results (after a rule set is published, nightly, on demand).

    run = start_batch(actor=None, reason="publish du-heart 2026-03", programs=["du-heart"])
    dispatch(run.pk)         # queue one Celery task per chunk of pending students (on commit)
    resume_unfinished()      # after a crash: queue the students still pending, nothing else

Exactly once: every affected student gets one BatchItem; a chunk task locks the chunk's pending
items (FOR UPDATE SKIP LOCKED: items another worker holds are skipped), recomputes those students
together (scoring.services.recompute_students: their row locks, results, ledger) and marks the
items done, all in ONE transaction. A worker killed mid-chunk rolls the whole chunk back: nothing
half-written, the items stay pending. Messages redelivered after a crash (acks_late) find their
items done and do nothing.
"""
import os
import socket

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from careers.models import StudentProfile

from .batch_models import BatchItem, BatchRun
from .engine import available_programs
from .services import recompute_students

WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"


def affected_students(programs=None):
    """Students of every institution that uses one of `programs` (all known programs if empty)."""
    from accounts.models import Institution

    wanted = set(programs or available_programs()) & set(available_programs())
    # Institutions are few; reading their program lists here works on every database (SQLite has
    # no JSON containment lookup).
    institutions = [i.pk for i in Institution.objects.only("pk", "programs") if wanted & set(i.programs or [])]
    return StudentProfile.objects.filter(major__department__campus__institution__in=institutions)


@transaction.atomic
def start_batch(*, actor=None, reason, programs=None, chunk_size=200, dispatch_now=True):
    run = BatchRun.objects.create(reason=reason, programs=list(programs or []), chunk_size=chunk_size,
                                  started_by=actor if getattr(actor, "is_authenticated", False) else None)
    ids = list(affected_students(programs).order_by("pk").values_list("pk", flat=True))
    BatchItem.objects.bulk_create([BatchItem(run=run, student_id=i) for i in ids], batch_size=5000)
    run.total = len(ids)
    run.save(update_fields=["total"])
    if dispatch_now:
        transaction.on_commit(lambda: dispatch(run.pk))
    return run


def pending_chunks(run_id):
    run = BatchRun.objects.get(pk=run_id)
    ids = list(BatchItem.objects.filter(run_id=run_id, done_at__isnull=True).order_by("student_id")
               .values_list("student_id", flat=True))
    return [ids[i:i + run.chunk_size] for i in range(0, len(ids), run.chunk_size)]


def dispatch(run_id):
    """Queue the pending students of a run, chunk by chunk; returns the number of chunks."""
    from .batch_tasks import recompute_chunk

    chunks = pending_chunks(run_id)
    for chunk in chunks:
        recompute_chunk.delay(run_id, chunk)
    if not chunks:
        finish_if_complete(run_id)
    return len(chunks)


def process_chunk(run_id, student_ids):
    """Recompute the chunk's pending students and mark them, in ONE transaction: a worker killed
    mid-chunk leaves the whole chunk pending and untouched. Items another worker holds are
    skipped (SKIP LOCKED), items already done are not redone."""
    with transaction.atomic():
        items = list(BatchItem.objects.select_for_update(skip_locked=True)
                     .filter(run_id=run_id, student_id__in=student_ids, done_at__isnull=True))
        if items:
            recompute_students(student_ids=[i.student_id for i in items])
            BatchItem.objects.filter(pk__in=[i.pk for i in items]).update(done_at=timezone.now(),
                                                                           worker=WORKER_NAME)
    finish_if_complete(run_id)
    return len(items)


def finish_if_complete(run_id):
    if not BatchItem.objects.filter(run_id=run_id, done_at__isnull=True).exists():
        BatchRun.objects.filter(pk=run_id, status=BatchRun.Status.RUNNING).update(
            status=BatchRun.Status.DONE, finished_at=timezone.now())


def resume_unfinished():
    """Re-queue what every unfinished run still has pending (after a crash, or from the nightly job)."""
    return {run.pk: dispatch(run.pk) for run in BatchRun.objects.filter(status=BatchRun.Status.RUNNING)}


def progress(limit=20):
    """Recent runs with done/total for the admin page."""
    runs = (BatchRun.objects.annotate(done=Count("items", filter=Q(items__done_at__isnull=False)))
            .order_by("-started_at")[:limit])
    return [{"run": r, "done": r.done, "total": r.total,
             "percent": round(100 * r.done / r.total) if r.total else 100} for r in runs]
