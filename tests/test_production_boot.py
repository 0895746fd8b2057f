"""The production shape serves pages: production settings on a fresh PostgreSQL database and Redis,
`collectstatic` as the image runs it, `migrate`, `check --deploy`, then gunicorn on a loopback port,
fetched the way a browser behind the TLS proxy would (X-Forwarded-Proto: https).

Issue 12: the image used to build its static files with the dev settings, so production had no
manifest and every page, /login/ included, was a 500. Select with `-m production`.
"""
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import psycopg
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
pytestmark = pytest.mark.production

# 50+ characters, many distinct: Django's own W009 stays quiet too.
SECRET = "prod-boot-" + uuid.uuid4().hex + uuid.uuid4().hex
STUDENT_PASSWORD = "boot-Student-pw-2026!"
CREATE_STUDENT = f"""
import django; django.setup()
from accounts.hankyong_majors import load_hankyong
from accounts.models import Major, Role, User
from careers.models import StudentProfile
load_hankyong()
user = User.objects.create_user("s2026000001", password={STUDENT_PASSWORD!r}, role=Role.STUDENT, display_name="김부팅")
StudentProfile.objects.create(user=user, student_no="2026000001", name="김부팅", major=Major.objects.get(code="10-3"),
                              admission_year=2026, admission_type="freshman", year_level=1, semesters_completed=0,
                              gpa="3.00")
"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def production_env(tmp_path):
    admin_url = settings.DATABASES["default"]
    conninfo = dict(host=admin_url.get("HOST") or "127.0.0.1", port=admin_url.get("PORT") or 5432,
                    user=admin_url.get("USER") or "postgres", password=admin_url.get("PASSWORD") or None,
                    dbname="postgres", autocommit=True)
    name = f"mp_boot_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(**conninfo) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    password = f":{conninfo['password']}" if conninfo["password"] else ""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG", "AXES_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="mileage_portal.settings.production", SECRET_KEY=SECRET,
        DATABASE_URL=f"postgres://{conninfo['user']}{password}@{conninfo['host']}:{conninfo['port']}/{name}",
        REDIS_URL="redis://127.0.0.1:6379/14", CELERY_BROKER_URL="", ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(tmp_path / "static"), MEDIA_ROOT=str(tmp_path / "media"),
        RULES_CACHE_DIR=str(tmp_path / "rules-cache"),
    )
    try:
        yield env
    finally:
        with psycopg.connect(**conninfo) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(env, *args):
    out = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, f"manage.py {' '.join(args)}:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


def _csrf(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_production_settings_serve_login_a_student_page_and_static_files(production_env):
    env = production_env
    # Without the manifest, check --deploy now says so instead of reporting nothing.
    bare = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert bare.returncode != 0 and "mileage_portal.E001" in bare.stderr + bare.stdout

    _manage(env, "collectstatic", "--noinput", "-v0")
    _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    _manage(env, "migrate", "--noinput", "-v0")
    out = subprocess.run([sys.executable, "-c", CREATE_STUDENT], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "mileage_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--timeout", "60"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    proxy = {"X-Forwarded-Proto": "https"}  # what the TLS proxy in front adds
    try:
        with httpx.Client(base_url=base, headers=proxy, timeout=20) as client:
            for _ in range(100):
                try:
                    client.get("/login/")
                    break
                except httpx.TransportError:
                    assert server.poll() is None, server.stdout.read()
                    time.sleep(0.2)
            # Secure cookies are not sent back over plain http by a cookie jar: carry them by hand.
            login = client.get("/login/")
            assert login.status_code == 200, login.text[:2000]
            assert 'name="username"' in login.text and 'name="password"' in login.text
            cookies = dict(login.cookies)

            def jar():
                return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}

            css = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', login.text)
            assert css, "the page links the hashed name from the manifest"
            static = client.get(css.group(1))
            assert static.status_code == 200 and "text/css" in static.headers["content-type"]
            assert "max-age=315360000" in static.headers.get("cache-control", "")
            assert client.get("/static/vendor/chart-4.6.1.umd.min.js").status_code == 200

            posted = client.post("/login/", data={"username": "s2026000001", "password": STUDENT_PASSWORD,
                                                   "csrfmiddlewaretoken": _csrf(login.text)},
                                 headers={"Referer": f"https://127.0.0.1:{port}/login/", **jar()})
            assert posted.status_code == 302, posted.text[:2000]
            cookies.update(dict(posted.cookies))
            assert "sessionid" in cookies
            dashboard = client.get("/me/", headers=jar())
            assert dashboard.status_code == 200, dashboard.text[:2000]
            assert "김부팅" in dashboard.text or "s2026000001" in dashboard.text
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
