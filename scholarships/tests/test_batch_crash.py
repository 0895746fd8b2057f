"""Batch recomputation survives a killed worker: a real `celery worker` on Redis is SIGKILLed
mid-run; re-running finishes with every student on the new version exactly once and no
half-written result."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.db import connection

from careers.models import CareerEntry, EntryStatus
from scoring import batch
from scoring.batch_models import BatchItem, BatchRun
from scoring.models import StoredResult
from tests.factories import StudentFactory

BROKER = "redis://127.0.0.1:6379/14"
REPO = Path(__file__).resolve().parents[2]
STUDENTS = 150
OLD = "old-version"


def start_worker(db_name):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db_name}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mileage_portal.settings.test", "DATABASE_URL": url,
           "CELERY_BROKER_URL": BROKER}
    celery = str(Path(sys.executable).with_name("celery"))
    return subprocess.Popen(
        [celery, "-A", "mileage_portal", "worker", "--pool=solo", "--without-heartbeat", "--without-gossip",
         "--without-mingle", "-l", "warning"],
        cwd=REPO, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def kill(worker):
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)  # its own session: the worker and nothing else
    worker.wait(timeout=10)


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def queue():
    r = redis.Redis.from_url(BROKER)
    r.flushdb()
    # Not the current app: the portal's tasks keep running eagerly in this test process.
    sender = Celery("crash-test", broker=BROKER, set_as_current=False)
    yield sender
    sender.close()
    r.flushdb()


@pytest.fixture
def workers():
    started = []
    yield started
    for w in started:  # whatever happened in the test, no worker outlives it
        kill(w)


@pytest.fixture
def population(daegu_major):
    students = [StudentFactory(major=daegu_major, admission_year=2021) for _ in range(STUDENTS)]
    CareerEntry.objects.bulk_create([
        CareerEntry(student=s, kind="language_test", data={"test": "TOEIC", "score": 600 + 10 * (i % 30)},
                    date="2025-03-10", status=EntryStatus.APPROVED, created_by=s.user)
        for i, s in enumerate(students) for _ in range(3)])
    # Results stored under the previous rule-set version, as after a publication.
    StoredResult.objects.bulk_create([
        StoredResult(student=s, program=p, ruleset=p, ruleset_version=OLD, total=0, result={"items": []},
                     input_digest="old") for s in students for p in ("du-heart", "career-mileage")])
    return students


def versions_by_student():
    out = {}
    for student_id, version in StoredResult.objects.values_list("student_id", "ruleset_version"):
        out.setdefault(student_id, set()).add(version)
    return out


@pytest.mark.django_db(transaction=True)
def test_killed_worker_rerun_finishes_every_student_exactly_once(population, queue, workers):
    run = batch.start_batch(reason="publish test", chunk_size=5, dispatch_now=False)
    assert run.total == STUDENTS
    db_name = connection.settings_dict["NAME"]

    def send_pending():
        for chunk in batch.pending_chunks(run.pk):
            queue.send_task("scoring.batch_tasks.recompute_chunk", args=[run.pk, chunk])

    def done():
        return BatchItem.objects.filter(run=run, done_at__isnull=False).count()

    send_pending()
    first = start_worker(db_name)
    workers.append(first)
    wait_until(lambda: done() >= 20, 60, "the first worker to recompute some students")
    kill(first)
    stopped_at = done()
    time.sleep(0.5)
    assert done() == stopped_at and 0 < stopped_at < STUDENTS, "the kill must land mid-run"
    # No half-written student: each one has all programs on the old version or all on the new.
    assert all(v == {OLD} or OLD not in v for v in versions_by_student().values())
    assert BatchRun.objects.get(pk=run.pk).status == BatchRun.Status.RUNNING

    send_pending()  # the re-run: queue what is still pending (old messages are still queued too)
    second = start_worker(db_name)
    workers.append(second)
    wait_until(lambda: BatchRun.objects.get(pk=run.pk).status == BatchRun.Status.DONE, 120, "the re-run")
    kill(second)

    items = list(BatchItem.objects.filter(run=run))
    assert len(items) == STUDENTS and all(i.done_at for i in items)
    by_worker = {}
    for i in items:
        by_worker[i.worker] = by_worker.get(i.worker, 0) + 1
    assert len(by_worker) == 2 and sum(by_worker.values()) == STUDENTS  # each student done once, by one worker
    versions = versions_by_student()
    assert len(versions) == STUDENTS and all(OLD not in v for v in versions.values())
    assert StoredResult.objects.filter(ruleset_version=OLD).count() == 0
    # The stored result of a student came from the transaction that marked it done: none later.
    last_done = {i.student_id: i.done_at for i in items}
    assert all(r.computed_at <= last_done[r.student_id] for r in StoredResult.objects.all())
