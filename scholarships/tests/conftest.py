import datetime

import pytest

from accounts.models import Institution
from tests.factories import StudentFactory, staff_user, write_intro

RECENT = datetime.date.today() - datetime.timedelta(days=40)


@pytest.fixture
def daegu():
    return Institution.objects.create(code="daegu", name="대구대학교", programs=["du-heart", "career-mileage"])


@pytest.fixture
def daegu_major(daegu):
    campus = daegu.campuses.create(code="gyeongsan", name="경산캠퍼스")
    dep = campus.departments.create(name="정보통신공학부")
    return dep.majors.create(name="컴퓨터정보공학전공")


@pytest.fixture
def student(daegu_major):
    s = StudentFactory(major=daegu_major, admission_year=2021, semesters_completed=6,
                       flags={"national_scholarship_applied": True})
    write_intro(s)
    return s


@pytest.fixture
def office(daegu):
    return staff_user(institution=daegu, central_office="학생지원팀",
                      department=None)
