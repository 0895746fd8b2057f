"""The ledger refuses UPDATE and DELETE at the database (PostgreSQL), and the schedules.

Schedules live in django-celery-beat's tables (admins can see and change them in the admin),
not in CELERY_BEAT_SCHEDULE: the December Rainbow selection on 15 December at 02:00, Asia/Seoul.
Scoring's nightly recomputation is registered by scoring (scoring/migrations/0005_nightly_schedule.py);
this migration created it too before that move, and that migration keeps the same row by its name.
"""
import json

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION scholarships_ledger_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ledger rows are append-only: write a reversing row';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER scholarships_ledger_no_update_delete
  BEFORE UPDATE OR DELETE ON scholarships_ledgerentry
  FOR EACH ROW EXECUTE FUNCTION scholarships_ledger_append_only();
"""
REVERSE = """
DROP TRIGGER IF EXISTS scholarships_ledger_no_update_delete ON scholarships_ledgerentry;
DROP FUNCTION IF EXISTS scholarships_ledger_append_only();
"""

SCHEDULES = [
    # name, task, crontab (minute, hour, day_of_month, month_of_year)
    ("December Rainbow selection", "scholarships.tasks.december_selection", ("0", "2", "15", "12")),
]


def trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL)


def untrigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)


def schedules(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, (minute, hour, day, month) in SCHEDULES:
        cron, _ = Crontab.objects.get_or_create(minute=minute, hour=hour, day_of_month=day, month_of_year=month,
                                                day_of_week="*", timezone="Asia/Seoul")
        Task.objects.update_or_create(name=name, defaults={"task": task, "crontab": cron, "args": json.dumps([])})


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[s[0] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scholarships", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(trigger, untrigger), migrations.RunPython(schedules, unschedule)]
