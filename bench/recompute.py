"""Benchmark: full recomputation of N synthetic students × 40 entries for every available program,
on PostgreSQL with two Celery workers (concurrency 1 each) on Redis, next to a bare SELECT of the
same rows. Targets (issue 6): ≤ 60 s for 20,000 students, ratio ≤ 4.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mileage_bench python bench/recompute.py --students 20000

The database is migrated and the synthetic population (institution "bench") created once and
reused; --fresh recreates it. Redis db 13 carries the queue.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mileage_portal.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mileage_bench")
BROKER = "redis://127.0.0.1:6379/13"


def setup_django():
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def ensure_population(n, entries=40, fresh=False):
    """Institution "bench" with n students × `entries` approved entries (engine/bench generator)."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import Institution, Role, User
    from careers.models import CareerEntry, StudentProfile
    from engine import make_entry

    inst, _ = Institution.objects.get_or_create(code="bench", defaults={
        "name": "Bench University", "programs": ["du-heart", "career-mileage"]})
    have = StudentProfile.objects.filter(major__department__campus__institution=inst).count()
    if have >= n and not fresh:
        return inst
    if fresh and have:
        sys.exit("--fresh: drop the bench database first (ledger rows are append-only)")
    campus, _ = inst.campuses.get_or_create(code="main", defaults={"name": "Main"})
    dep, _ = campus.departments.get_or_create(name="Bench Dept")
    major, _ = dep.majors.get_or_create(name="Bench Major")
    rng = random.Random(11)
    pw = make_password("bench-not-a-login")
    t = time.perf_counter()
    for start in range(have, n, 2000):
        batch = range(start, min(n, start + 2000))
        users = User.objects.bulk_create([User(username=f"bench-{i}", role=Role.STUDENT, password=pw) for i in batch])
        students = StudentProfile.objects.bulk_create([
            StudentProfile(user=u, student_no=f"B{i:09d}", name=f"학생{i}", major=major, admission_year=2021,
                           admission_type="freshman", year_level=1 + i % 5, semesters_completed=i % 9,
                           gpa=f"{2 + rng.random() * 2.5:.2f}", flags={"national_scholarship_applied": True})
            for u, i in zip(users, batch)])
        rows = []
        for s in students:
            for j in range(entries):
                e = make_entry(rng, j)
                data = {k: v for k, v in e.items() if k not in ("id", "kind", "date", "status", "submitted_on")}
                rows.append(CareerEntry(student=s, kind=e["kind"], date=e["date"], data=data, status="approved",
                                        created_by_id=s.user_id))
        CareerEntry.objects.bulk_create(rows, batch_size=10000)
        print(f"  created {min(n, start + 2000)} / {n} students ({time.perf_counter() - t:.0f} s)", flush=True)
    return inst


def vacuum_analyze():
    """What autovacuum does a minute after a bulk load: planner statistics for the fresh rows (without
    them PostgreSQL scans the whole ledger for every chunk) and the previous run's dead results gone."""
    from django.db import connection

    with connection.cursor() as c:
        for table in ("careers_studentprofile", "careers_careerentry", "scoring_storedresult",
                      "scholarships_ledgerentry", "scoring_batchitem"):
            c.execute(f"VACUUM ANALYZE {table}")


def bare_select(inst):
    """The same rows the recomputation reads: every student of the institution and their entries."""
    from django.db import connection

    t = time.perf_counter()
    with connection.cursor() as c:
        c.execute("SELECT s.* FROM careers_studentprofile s JOIN accounts_major m ON m.id = s.major_id "
                  "JOIN accounts_department d ON d.id = m.department_id JOIN accounts_campus c ON c.id = d.campus_id "
                  "WHERE c.institution_id = %s", [inst.pk])
        ids = [r[0] for r in c.fetchall()]
        c.execute("SELECT * FROM careers_careerentry WHERE student_id = ANY(%s)", [ids])
        n = len(c.fetchall())
    return time.perf_counter() - t, n


def start_workers(count=2):
    env = {**os.environ, "CELERY_BROKER_URL": BROKER}
    celery = str(Path(sys.executable).with_name("celery"))
    return [subprocess.Popen([celery, "-A", "mileage_portal", "worker", "--pool=solo", "-n", f"bench{i}@%h",
                              "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "error"],
                             cwd=ROOT, env=env, start_new_session=True) for i in range(count)]


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=20000)
    ap.add_argument("--entries", type=int, default=40)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=100)
    ap.add_argument("--fresh", action="store_true")
    args = ap.parse_args(argv)
    setup_django()
    import redis
    from celery import Celery

    from scoring import batch
    from scoring.batch_models import BatchItem, BatchRun

    inst = ensure_population(args.students, args.entries, args.fresh)
    vacuum_analyze()
    selects = sorted(bare_select(inst) for _ in range(3))  # it varies by ±20 % here: the median
    select_s, rows = selects[1]
    redis.Redis.from_url(BROKER).flushdb()
    sender = Celery("bench", broker=BROKER, set_as_current=False)
    workers = start_workers(args.workers)
    try:
        time.sleep(3)  # workers up before the clock starts
        run = batch.start_batch(reason="bench", programs=None, chunk_size=args.chunk, dispatch_now=False)
        t = time.perf_counter()  # the clock includes queueing every chunk
        ids = list(BatchItem.objects.filter(run=run).values_list("student_id", flat=True).order_by("student_id"))
        for i in range(0, len(ids), args.chunk):
            sender.send_task("scoring.batch_tasks.recompute_chunk", args=[run.pk, ids[i:i + args.chunk]])
        while BatchItem.objects.filter(run=run, done_at__isnull=True).exists():
            time.sleep(0.5)
        elapsed = time.perf_counter() - t
        assert BatchRun.objects.get(pk=run.pk).status == BatchRun.Status.DONE
    finally:
        for w in workers:
            w.kill()
            w.wait()
    print(f"students {len(ids)} × {args.entries} entries, programs du-heart + career-mileage, {args.workers} workers")
    print(f"full recomputation: {elapsed:.1f} s ({len(ids) / elapsed:.0f} students/s)   target ≤ 60 s")
    print(f"bare SELECT of the same {rows} entries + students: {select_s:.2f} s "
          f"(median of {', '.join(f'{t:.2f}' for t, _n in selects)})")
    print(f"ratio recompute / SELECT: {elapsed / select_s:.1f}   target ≤ 4")
    return 0


if __name__ == "__main__":
    sys.exit(main())
