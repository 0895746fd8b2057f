"""factory_boy factories: real users with roles, students on Hankyong's migrated majors."""
import datetime

import factory
from django.contrib.auth.hashers import make_password

from accounts.hankyong_majors import load_hankyong
from accounts.models import Major, Role, StaffScope, User
from careers.models import CareerEntry, EntryStatus, SelfIntroduction, StudentProfile

PASSWORD = "pass-for-tests-1"
_HASH = None


def _password_hash():
    global _HASH
    if _HASH is None:
        _HASH = make_password(PASSWORD)
    return _HASH


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.STUDENT
    display_name = factory.Faker("name", locale="ko_KR")
    password = factory.LazyFunction(_password_hash)


def major(code="10-3"):
    load_hankyong()  # transactional tests flush the migration's rows
    return Major.objects.select_related("department__campus__institution").get(code=code)


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentProfile

    user = factory.SubFactory(UserFactory, role=Role.STUDENT)
    student_no = factory.Sequence(lambda n: f"2023{n:06d}")
    name = factory.LazyAttribute(lambda o: o.user.display_name)
    major = factory.LazyFunction(major)
    admission_year = 2023
    admission_type = "freshman"
    year_level = 3
    semesters_completed = 4
    gpa = "3.50"


def staff_user(*, department=None, central_office="", institution=None):
    user = UserFactory(role=Role.STAFF)
    if institution is None:
        institution = department.campus.institution if department else major().department.campus.institution
    StaffScope.objects.create(user=user, department=department, central_office=central_office,
                              institution=institution)
    return user


def write_intro(student, text="저는 꾸준함과 협업을 강점으로 생각합니다. " * 6):
    return SelfIntroduction.objects.create(student=student, job_fields=["it"], text=text)


TOEIC = {"test": "TOEIC", "score": 705, "date": "2024-03-10"}


def entry(student, *, kind="language_test", data=None, status=EntryStatus.DRAFT, date=datetime.date(2024, 3, 10)):
    return CareerEntry.objects.create(
        student=student, kind=kind, data=data or {"test": "TOEIC", "score": 705}, date=date,
        status=status, created_by=student.user,
    )
