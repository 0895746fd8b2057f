"""The nightly recomputation's schedule, registered by scoring (it was registered by a scholarships
migration before; issue 13). django-celery-beat's tables hold it (admins see and change it in the
admin): 03:00 Asia/Seoul, `scoring.batch_tasks.nightly_recompute` (which first finishes any run a
crash left behind). Idempotent by the schedule's name, so a database that already has the row from
the old scholarships migration keeps one row, now owned here.
"""
import json

from django.db import migrations

NAME = "Nightly recomputation"
TASK = "scoring.batch_tasks.nightly_recompute"


def schedule(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    cron, _ = Crontab.objects.get_or_create(minute="0", hour="3", day_of_month="*", month_of_year="*",
                                            day_of_week="*", timezone="Asia/Seoul")
    Task.objects.update_or_create(name=NAME, defaults={"task": TASK, "crontab": cron, "args": json.dumps([])})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0004_stale_results"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
