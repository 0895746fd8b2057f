"""Load Hankyong's institution, campuses, schools and majors from seed 004's table of contents.

Institutions edit the list afterwards in the admin (rename, deactivate, add majors).
"""
from django.db import migrations

from accounts.hankyong_majors import HANKYONG_MAJORS

CAMPUSES = {"anseong": "안성캠퍼스", "pyeongtaek": "평택캠퍼스"}


def load(apps, schema_editor):
    Institution = apps.get_model("accounts", "Institution")
    Campus = apps.get_model("accounts", "Campus")
    Department = apps.get_model("accounts", "Department")
    Major = apps.get_model("accounts", "Major")
    hankyong, _ = Institution.objects.get_or_create(
        code="hankyong", defaults={"name": "한경국립대학교", "programs": ["hankyong-grad-cert", "career-mileage"]}
    )
    campuses = {
        code: Campus.objects.get_or_create(institution=hankyong, code=code, defaults={"name": name})[0]
        for code, name in CAMPUSES.items()
    }
    for code, school, major, campus in HANKYONG_MAJORS:
        department, _ = Department.objects.get_or_create(campus=campuses[campus], name=school)
        Major.objects.get_or_create(department=department, name=major, defaults={"code": code})


def unload(apps, schema_editor):
    apps.get_model("accounts", "Major").objects.filter(department__campus__institution__code="hankyong").delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
