"""Load Hankyong's institution, campuses, schools and majors from seed 004's table of contents.

Institutions edit the list afterwards in the admin (rename, deactivate, add majors).
"""
from django.db import migrations

from accounts.hankyong_majors import load_hankyong


def load(apps, schema_editor):
    load_hankyong(apps)


def unload(apps, schema_editor):
    apps.get_model("accounts", "Major").objects.filter(department__campus__institution__code="hankyong").delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
