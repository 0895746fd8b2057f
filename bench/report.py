"""Benchmark: the counseling report PDF (WeasyPrint, Noto CJK). Targets (issue 11): one report
≤ 1 s; a batch of 500 ≤ 5 min on this machine.

    createdb mileage_bench_reports
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mileage_bench_reports python bench/report.py --students 500

Students are bench/recompute.py's synthetic population (40 approved entries each, du-heart and
career-mileage results stored) plus a self-introduction. Printed: the first report of the
process (fonts found and loaded), the median and slowest of 20 more reports rendered without
the cache, then the batch exactly as the Celery task runs it (reports.services.batch_build: one
ZIP, progress counted per student) on an empty cache, and the same batch again, served from the
cache because nothing changed: by default on two Celery workers (Redis db 12), chunks of 20
students each, as the portal queues it; --workers 0 runs it in this process instead. Rendered
PDFs go to a fresh temporary MEDIA_ROOT each run, shared with the workers.
"""
from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ["DJANGO_SETTINGS_MODULE"] = "report_settings"  # bench/report_settings.py: one MEDIA_ROOT for all
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mileage_bench_reports")
os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT / "bench"), str(ROOT), os.environ.get("PYTHONPATH", "")])
os.environ.setdefault("BENCH_MEDIA_ROOT", tempfile.mkdtemp(prefix="mileage-bench-reports-"))
BROKER = "redis://127.0.0.1:6379/12"

INTRO = ("저는 문제를 끝까지 파고드는 끈기와 동료와 함께 답을 찾는 협업 능력을 강점으로 생각합니다. "
         "학과 프로젝트와 봉사활동을 통해 계획을 세우고 실행하는 경험을 쌓았으며, "
         "졸업 후에는 전공 지식을 살려 사회에 기여하는 전문가로 성장하고 싶습니다.")


def prepare(n):
    from recompute import ensure_population, setup_django, vacuum_analyze

    setup_django()
    from accounts.models import Role, User
    from careers.models import SelfIntroduction, StudentProfile
    from scoring.models import StoredResult
    from scoring.services import recompute_students

    inst = ensure_population(n)
    students = list(StudentProfile.objects.filter(major__department__campus__institution=inst).order_by("pk")[:n])
    ids = [s.pk for s in students]
    missing = [s for s in students if not hasattr(s, "self_introduction")]
    SelfIntroduction.objects.bulk_create([SelfIntroduction(student=s, job_fields=["it", "engineering"],
                                                           desired_companies="삼성전자, 네이버", text=INTRO)
                                          for s in missing])
    todo = sorted(set(ids) - set(StoredResult.objects.filter(student_id__in=ids).values_list("student_id", flat=True)))
    for i in range(0, len(todo), 100):
        recompute_students(student_ids=todo[i:i + 100])
    advisor, _ = User.objects.get_or_create(username="bench-advisor", defaults={"role": Role.ADMIN})
    vacuum_analyze()
    return advisor, students


def start_workers(count):
    import subprocess

    env = {**os.environ, "CELERY_BROKER_URL": BROKER}
    celery = str(Path(sys.executable).with_name("celery"))
    return [subprocess.Popen([celery, "-A", "mileage_portal", "worker", "--pool=solo", "-n", f"benchreport{i}@%h",
                              "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "error"],
                             cwd=ROOT, env=env, start_new_session=True) for i in range(count)]


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=500)
    ap.add_argument("--singles", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2, help="Celery workers for the batch; 0: in this process")
    args = ap.parse_args(argv)
    actor, students = prepare(args.students)
    from django.utils import translation
    from pypdf import PdfReader

    from reports import services
    from reports.models import ReportBatch

    translation.activate("ko")
    t = time.perf_counter()
    first = services.render_pdf(students[0], audience="counselor", lang="ko")
    cold = time.perf_counter() - t
    times, cpu = [], []
    for s in students[1:args.singles + 1]:
        t, c = time.perf_counter(), time.process_time()
        pdf = services.render_pdf(s, audience="counselor", lang="ko")
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    # CPU seconds of this process (the database's share not included, a few ms) do not grow with
    # other load on the machine; the wall clock does.
    print(f"one report: first of the process {cold:.2f} s ({len(first) // 1024} KiB); next {len(times)}: "
          f"median {statistics.median(times):.2f} s wall / {statistics.median(cpu):.2f} s CPU, slowest "
          f"{max(times):.2f} s wall ({len(pdf) // 1024} KiB, {len(PdfReader(io.BytesIO(pdf)).pages)} pages)"
          f"   target ≤ 1 s", flush=True)

    ids = [s.pk for s in students]
    from django.core.files.storage import default_storage

    def report(label, done, elapsed):
        assert done.status == ReportBatch.Status.DONE and done.done >= len(ids), done.status
        size = default_storage.size(done.archive)
        print(f"batch of {len(ids)} ({label}): {elapsed:.1f} s ({elapsed / len(ids):.2f} s a report, "
              f"{done.reused} from the cache, ZIP {size // (1024 * 1024)} MiB)   target ≤ 300 s", flush=True)

    if args.workers:
        import redis
        from celery import Celery

        redis.Redis.from_url(BROKER).flushdb()
        sender = Celery("bench", broker=BROKER, set_as_current=False)
        os.environ["CELERY_BROKER_URL"] = BROKER
        workers = start_workers(args.workers)
        try:
            time.sleep(5)  # workers up before the clock starts
            for label in (f"{args.workers} Celery workers, empty cache", f"{args.workers} workers, nothing changed"):
                batch = ReportBatch.objects.create(requested_by=actor, description="bench", language="ko",
                                                   student_ids=ids, total=len(ids), status=ReportBatch.Status.RUNNING)
                t = time.perf_counter()
                for i in range(0, len(ids), services.BATCH_CHUNK):
                    sender.send_task("reports.tasks.render_report_chunk",
                                     args=[batch.pk, ids[i:i + services.BATCH_CHUNK]])
                while not ReportBatch.objects.filter(pk=batch.pk, status__in=["done", "failed"]).exists():
                    time.sleep(0.5)
                report(label, ReportBatch.objects.get(pk=batch.pk), time.perf_counter() - t)
        finally:
            for w in workers:
                w.terminate()
                w.wait()
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(f"CPU of the {args.workers} workers over both batches: {used.ru_utime + used.ru_stime:.0f} s "
              f"({(used.ru_utime + used.ru_stime) / len(ids):.2f} s a report of the first batch and its repeat)")
    else:
        for label in ("one process, empty cache", "one process, nothing changed"):
            batch = ReportBatch.objects.create(requested_by=actor, description="bench", language="ko",
                                               student_ids=ids, total=len(ids))
            t = time.perf_counter()
            done = services.batch_build(batch.pk)
            report(label, done, time.perf_counter() - t)
    return 0


if __name__ == "__main__":
    sys.exit(main())
