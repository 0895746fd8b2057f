"""Scoring owns its batch tasks, its run page and its nightly schedule (issue 13): nothing about
recomputation is registered from scholarships any more."""
import subprocess
import sys

import pytest
from django.conf import settings

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_nightly_recomputation_is_scheduled_once_by_scoring():
    from django_celery_beat.models import PeriodicTask

    rows = PeriodicTask.objects.filter(task="scoring.batch_tasks.nightly_recompute")
    assert [(r.name, r.crontab.hour, r.crontab.minute, str(r.crontab.timezone)) for r in rows] == [
        ("Nightly recomputation", "3", "0", "Asia/Seoul")]
    assert PeriodicTask.objects.filter(task="scholarships.tasks.december_selection").count() == 1


def test_the_schedule_migration_keeps_an_existing_row_by_its_name():
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    migration = importlib.import_module("scoring.migrations.0005_nightly_schedule")
    migration.schedule(apps, None)  # run again on a database that already has the row
    assert PeriodicTask.objects.filter(name="Nightly recomputation").count() == 1


def test_a_worker_finds_the_batch_tasks_through_scoring_alone():
    code = ("import django, sys; django.setup(); import scoring.tasks; from celery import current_app; "
            "print('scholarships.tasks' in sys.modules, "
            "all(n in current_app.tasks for n in ('scoring.batch_tasks.recompute_chunk', "
            "'scoring.batch_tasks.nightly_recompute', 'scoring.batch_tasks.resume_batches')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=settings.BASE_DIR,
                         timeout=120)
    assert out.stdout.split()[-2:] == ["False", "True"], out.stderr[-2000:]


def test_the_run_page_lives_under_rules_and_the_old_address_forwards(client):
    client.force_login(UserFactory(role=Role.ADMIN))
    old = client.get("/scholarships/admin/batches/")
    assert old.status_code == 301 and old.url == "/rules/runs/"
    page = client.get("/rules/runs/")
    assert page.status_code == 200 and "일괄 재계산" in page.content.decode()
