"""The production shape and its settings."""
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_compose_file_has_every_service_the_settings_need():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis", "objectstore"} <= set(services)
    assert "gunicorn" in services["web"]["command"]
    assert "celery" in services["worker"]["command"] and "worker" in services["worker"]["command"]
    assert "celery" in services["beat"]["command"] and "beat" in services["beat"]["command"]
    env = services["web"]["environment"]
    # Each URL the settings read points at a service defined in the file.
    assert "@db:5432" in env["DATABASE_URL"]
    assert "redis://redis:6379" in env["CELERY_BROKER_URL"]
    assert "objectstore:9000" in env["AWS_S3_ENDPOINT_URL"]
    assert env["DJANGO_SETTINGS_MODULE"] == "mileage_portal.settings.production"
    for name in ("worker", "beat"):
        assert services[name]["environment"] == env


def _load_production(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL")}
    clean.update(env, DJANGO_SETTINGS_MODULE="mileage_portal.settings.production")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"],
        cwd=ROOT, env=clean, capture_output=True, text=True,
    )


GOOD_KEY = "k" * 20 + "-production-secret-value-0123456789"


def test_production_refuses_debug_on():
    result = _load_production(DEBUG="True", SECRET_KEY=GOOD_KEY, DATABASE_URL="postgres://u@db/x")
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_production_refuses_the_default_or_missing_key():
    assert "SECRET_KEY must be set" in _load_production(DATABASE_URL="postgres://u@db/x").stderr
    default = _load_production(SECRET_KEY=settings.INSECURE_DEFAULT_SECRET_KEY, DATABASE_URL="postgres://u@db/x")
    assert default.returncode != 0 and "SECRET_KEY must be set" in default.stderr


def test_production_starts_with_safe_settings():
    result = _load_production(SECRET_KEY=GOOD_KEY, DATABASE_URL="postgres://u@db/x")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_embedded_defaults_need_no_service():
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.STORAGES['default']['BACKEND'])")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "AWS_STORAGE_BUCKET_NAME")}
    env["DJANGO_SETTINGS_MODULE"] = "mileage_portal.settings.dev"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["django.db.backends.sqlite3", "True", "django.core.files.storage.FileSystemStorage"]


def test_s3_storage_when_a_bucket_is_configured():
    code = "import django; django.setup(); from django.conf import settings as s; print(s.STORAGES['default']['BACKEND'])"
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="mileage_portal.settings.dev", AWS_STORAGE_BUCKET_NAME="evidence")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "storages.backends.s3.S3Storage"


def test_tests_run_on_postgresql():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_production_passes_djangos_deployment_checklist(tmp_path):
    # the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves; a deployment never has it
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    clean.update(DJANGO_SETTINGS_MODULE="mileage_portal.settings.production", SECRET_KEY=GOOD_KEY,
                 DATABASE_URL="postgres://u@db/x", ALLOWED_HOSTS="portal.example.ac.kr",
                 STATIC_ROOT=str(tmp_path / "static"), REDIS_URL="redis://redis:6379/2")
    check = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    # Before collectstatic every page would be a 500: the checklist says so (it used to say nothing).
    before = subprocess.run(check, cwd=ROOT, env=clean, capture_output=True, text=True)
    assert before.returncode != 0 and "No static files manifest" in before.stderr + before.stdout
    collect = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                             cwd=ROOT, env=clean, capture_output=True, text=True)
    assert collect.returncode == 0, collect.stderr[-2000:]
    result = subprocess.run(check, cwd=ROOT, env=clean, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout


def test_a_process_local_cache_is_a_deployment_warning(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL")}
    clean.update(DJANGO_SETTINGS_MODULE="mileage_portal.settings.production", SECRET_KEY=GOOD_KEY,
                 DATABASE_URL="postgres://u@db/x", STATIC_ROOT=str(tmp_path))
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=clean,
                            capture_output=True, text=True)
    assert "mileage_portal.W001" in result.stderr + result.stdout


def test_the_image_build_key_is_refused_at_run_time():
    key = settings.BUILD_ONLY_SECRET_KEY
    assert "build-only key" in _load_production(SECRET_KEY=key, DATABASE_URL="postgres://u@db/x").stderr
    assert _load_production(SECRET_KEY=key, DATABASE_URL="postgres://u@db/x", DJANGO_BUILD_STEP="1").returncode == 0
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "settings.production DJANGO_BUILD_STEP=1" in dockerfile and f"SECRET_KEY={key}" in dockerfile
    assert "settings.dev python manage.py collectstatic" not in dockerfile


def test_the_vendored_scripts_point_at_no_missing_source_map():
    for script in (ROOT / "static" / "vendor").glob("*.js"):
        for pointer in re.findall(r"sourceMappingURL=(\S+)", script.read_text()):
            assert (script.parent / pointer).exists(), f"{script.name} points at a missing {pointer}"


def test_the_demo_sets_up_on_the_embedded_sqlite_default(tmp_path):
    """What ./scripts/dev does before serving: migrate and seed the demo on SQLite, eager Celery,
    local files (the stored results are written the non-PostgreSQL way there)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env.update(DJANGO_SETTINGS_MODULE="mileage_portal.settings.dev", DATABASE_URL=f"sqlite:///{tmp_path}/demo.sqlite3",
               MEDIA_ROOT=str(tmp_path / "media"), RULES_CACHE_DIR=str(tmp_path / "rules"))
    for command in (["migrate", "-v0"], ["seed_demo"]):
        out = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr[-2000:]
    code = ("import django; django.setup(); from scoring.models import StoredResult; "
            "print(StoredResult.objects.values('student').distinct().count())")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert int(out.stdout) == 72  # every demo student has stored results
    # Every login the README names exists in the demo, with the demo password.
    readme = (ROOT / "README.md").read_text()
    table = readme.split("| role | demo login", 1)[1].split("\n\n", 1)[0]
    import datetime
    import re
    names = set(re.findall(r"`((?:staff|prof|admin)[\w-]*)`", table))
    # The README's example student number, in the admission year of a first-year student of a demo made today.
    today = datetime.date.today()
    (example,) = re.findall(r"`s(\d{4})(\d{6})`", table)
    names.add(f"s{today.year - (1 if today.month < 3 else 0)}{example[1]}")
    assert {"staff-hankyong", "staff-10-3", "prof05", "admin"} <= names
    code = ("import django, sys; django.setup(); from accounts.models import User; "
            "users = {u.username: u for u in User.objects.filter(username__in=sys.argv[1:])}; "
            "missing = [n for n in sys.argv[1:] if n not in users or not users[n].check_password('demo1234!')]; "
            "print(','.join(missing))")
    out = subprocess.run([sys.executable, "-c", code, *sorted(names)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "", f"README logins missing from the demo: {out.stdout}"
