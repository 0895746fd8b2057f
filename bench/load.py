"""Benchmark: the portal under load (issue 12). 50 concurrent logged-in users against gunicorn on the
production settings, PostgreSQL with 20,000 students × 40 entries (bench/recompute.py's population)
and Redis; per page p50/p95 latency, throughput, the ratio to a bare Django view measured on the
same stack in the same run, and where the CPU went (the driver, gunicorn, PostgreSQL, Redis, per
request). Targets: p95 ≤ 150 ms and throughput ≥ 50 % of the bare view's.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mileage_bench_load python bench/load.py
    ... --think 1    # users pause about a second between pages, as people do

Pages: the student dashboard (/me/, each virtual user is a different student), the staff queue
(/staff/queue/, department staff: the department holds all 20,000 students, 2,000 entries wait) and
the staff's entry page (/entries/<id>/, a waiting entry with its evidence list and the rule
programs' points). The bare view is `HttpResponse("ok")` behind the same middleware (session,
auth, CSRF, CSP, WhiteNoise...) with the same session cookie; it reads neither the session nor
the user. Sessions are made directly in the session store (a login hashes a password: not what is
measured). Without --think each user sends its next request as soon as the answer is in (the
server saturated: throughput); with it, latency as people meet it. The driver (asyncio + httpx)
runs on the same machine and its CPU is in the figures. Loopback only; bounded request counts
(--requests per user and page).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mileage_bench_load")
REDIS_URL = "redis://127.0.0.1:6379/12"
SECRET = "load-benchmark-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"

URLS_MODULE = '''
from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("mileage_portal.urls"))]
'''
SETTINGS_MODULE = '''
from mileage_portal.settings.production import *  # noqa: F401,F403
ROOT_URLCONF = "load_bench_urls"
'''


def prepare(students, users, waiting):
    """Population (reused), waiting entries, stored results for the users, sessions. Returns cookies."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mileage_portal.settings.test")
    os.environ["SECRET_KEY"] = SECRET  # the session auth hash is keyed by it: the server uses the same
    os.environ["REDIS_URL"] = REDIS_URL  # sessions are cached there (cached_db), as the server reads them
    from recompute import ensure_population, setup_django, vacuum_analyze

    setup_django()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from importlib import import_module

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

    from accounts.models import Role, StaffScope, User
    from careers.models import CareerEntry, StudentProfile
    from scoring.services import recompute_student

    inst = ensure_population(students)
    stale = CareerEntry.objects.filter(student__major__department__campus__institution=inst, status="submitted")
    if stale.count() < waiting:
        ids = list(CareerEntry.objects.filter(student__major__department__campus__institution=inst, status="approved",
                                              kind="language_test").values_list("pk", flat=True)[:waiting])
        CareerEntry.objects.filter(pk__in=ids).update(status="submitted")
        vacuum_analyze()
    learners = list(StudentProfile.objects.filter(major__department__campus__institution=inst)
                    .select_related("user").order_by("student_no")[:users])
    for s in learners:
        recompute_student(student_id=s.pk)
    department = learners[0].major.department
    staff, _ = User.objects.get_or_create(username="bench-staff", defaults={"role": Role.STAFF})
    StaffScope.objects.get_or_create(user=staff, defaults={"department": department, "institution": inst})
    waiting_entry = CareerEntry.objects.filter(student__major__department=department, status="submitted").first()

    def session_for(user):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.set_expiry(settings.SESSION_COOKIE_AGE)
        store.create()
        return store.session_key

    return ([session_for(s.user) for s in learners], [session_for(staff) for _ in range(users)],
            str(waiting_entry.pk))


TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid):
    """User + system CPU of one process (from /proc), 0 if it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _processes(names):
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in names:
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def cpu_snapshot(server):
    """CPU seconds so far of the driver (this process), gunicorn (master and workers), PostgreSQL
    and Redis: where a request's time goes on this machine."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    workers = [server.pid, *map(int, children.read_text().split())] if children.exists() else [server.pid]
    return {"driver": time.process_time(), "gunicorn": {pid: _cpu_seconds(pid) for pid in workers},
            "postgres": {pid: _cpu_seconds(pid) for pid in _processes({"postgres"})},
            "redis": {pid: _cpu_seconds(pid) for pid in _processes({"redis-server"})}}


def cpu_spent(before, after):
    """Seconds of CPU between two snapshots, per part; a process that started or ended in between
    counts from 0 or up to its last reading (PostgreSQL backends come and go)."""
    out = {"driver": after["driver"] - before["driver"]}
    for part in ("gunicorn", "postgres", "redis"):
        out[part] = sum(max(0.0, after[part].get(pid, before[part].get(pid, 0.0)) - before[part].get(pid, 0.0))
                        for pid in set(before[part]) | set(after[part]))
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(workers, tmp, threads=1):
    (tmp / "load_bench_urls.py").write_text(URLS_MODULE)
    (tmp / "load_bench_settings.py").write_text(SETTINGS_MODULE)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG"))}
    env.update(DJANGO_SETTINGS_MODULE="load_bench_settings", SECRET_KEY=SECRET, REDIS_URL=REDIS_URL,
               CELERY_BROKER_URL="", ALLOWED_HOSTS="127.0.0.1", STATIC_ROOT=str(tmp / "static"),
               SECURE_SSL_REDIRECT="False", PYTHONPATH=f"{tmp}:{ROOT}", LOG_LEVEL="ERROR",
               RULES_CACHE_DIR=str(tmp / "rules-cache"))
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "mileage_portal.wsgi", "--bind", f"127.0.0.1:{port}",
                               "--workers", str(workers), "--timeout", "120", "--log-level", "warning",
                               *(["--threads", str(threads)] if threads > 1 else [])],
                              cwd=ROOT, env=env)
    return server, f"http://127.0.0.1:{port}"


async def run_phase(base, path_for, cookies, per_user, think=0.0):
    """len(cookies) users at once, each sending per_user requests one after the other, pausing a
    random time (exponential, mean `think` seconds) after each answer, as a person reads a page."""
    import httpx

    latencies, errors = [], 0
    limits = httpx.Limits(max_connections=len(cookies), max_keepalive_connections=len(cookies))
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60,
                                 headers={"X-Forwarded-Proto": "https"}) as client:
        async def user(i, cookie):
            nonlocal errors
            for _ in range(per_user):
                t = time.perf_counter()
                response = await client.get(path_for(i), headers={"Cookie": f"sessionid={cookie}"})
                latencies.append((time.perf_counter() - t) * 1000)
                if response.status_code != 200:
                    errors += 1
                if think:
                    await asyncio.sleep(random.expovariate(1 / think))
        started = time.perf_counter()
        await asyncio.gather(*(user(i, c) for i, c in enumerate(cookies)))
        wall = time.perf_counter() - started
    latencies.sort()
    return {"n": len(latencies), "p50": statistics.median(latencies),
            "p95": latencies[int(len(latencies) * 0.95) - 1], "rps": len(latencies) / wall, "errors": errors}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--students", type=int, default=20000)
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--requests", type=int, default=20, help="per user and page")
    ap.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    ap.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (> 1: gthread, keep-alive)")
    ap.add_argument("--waiting", type=int, default=2000, help="entries waiting in the staff queue")
    ap.add_argument("--think", type=float, default=0.0,
                    help="mean pause of a user between pages, seconds (0: none, the server saturated)")
    args = ap.parse_args(argv)
    students, staff, entry_id = prepare(args.students, args.users, args.waiting)
    with tempfile.TemporaryDirectory(prefix="mileage-load-") as tmp:
        server, base = start_server(args.workers, Path(tmp), args.threads)
        try:
            import httpx

            for _ in range(100):
                try:
                    httpx.get(f"{base}/bench/bare/", timeout=2)
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            warm = asyncio.run(run_phase(base, lambda i: "/me/", students, 2))  # each worker's first pages
            assert warm["errors"] == 0, "the dashboard did not answer 200: check the sessions"
            asyncio.run(run_phase(base, lambda i: "/staff/queue/", staff, 1))
            phases = [
                ("bare view", lambda i: "/bench/bare/", students),
                ("student dashboard /me/", lambda i: "/me/", students),
                ("staff queue /staff/queue/", lambda i: "/staff/queue/", staff),
                ("entry page /entries/<id>/", lambda i: f"/entries/{entry_id}/", staff),
                ("bare view (again)", lambda i: "/bench/bare/", students),
            ]
            results = []
            for name, path_for, cookies in phases:
                before = cpu_snapshot(server)
                result = asyncio.run(run_phase(base, path_for, cookies, args.requests, args.think))
                after = cpu_snapshot(server)
                result["cpu"] = {k: v * 1000 / result["n"] for k, v in cpu_spent(before, after).items()}
                results.append((name, result))
        finally:
            server.terminate()
            server.wait(timeout=20)
    bare = max(r["rps"] for name, r in results if name.startswith("bare"))
    print(f"{args.users} users × {args.requests} requests per page, gunicorn {args.workers} workers, "
          f"{args.students} students, think time {args.think:g} s")
    print(f"{'page':32} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'÷ bare':>7} {'errors':>6}"
          "   CPU ms a request: driver gunicorn postgres redis")
    for name, r in results:
        cpu = r["cpu"]
        print(f"{name:32} {r['n']:6d} {r['p50']:8.1f} {r['p95']:8.1f} {r['rps']:8.1f} {r['rps'] / bare:7.2f} "
              f"{r['errors']:6d}   {cpu['driver']:6.2f} {cpu['gunicorn']:8.2f} {cpu['postgres']:8.2f} "
              f"{cpu['redis']:5.2f}")


if __name__ == "__main__":
    main()
