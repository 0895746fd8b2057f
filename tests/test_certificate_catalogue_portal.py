"""A certificate entered through the portal's form is scored from the catalogue: the student
types only the name (전기기사), the stored results use its category and tier; and a higher
grade of the same field pays the difference (seed 001, 정보처리산업기사 → 정보처리기사)."""
import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Institution
from careers import services
from careers.demo import pdf_bytes
from careers.models import CareerEntry
from scoring.models import StoredResult
from tests.factories import StudentFactory, staff_user, write_intro

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit hooks must really run
RECENT = (datetime.date.today() - datetime.timedelta(days=40)).isoformat()


@pytest.fixture
def daegu_student():
    inst = Institution.objects.create(code="daegu", name="대구대학교", programs=["du-heart", "career-mileage"])
    dep = inst.campuses.create(code="gyeongsan", name="경산캠퍼스").departments.create(name="정보통신공학부")
    student = StudentFactory(major=dep.majors.create(name="컴퓨터정보공학전공"), admission_year=2021)
    write_intro(student)
    return student


def certificate_through_the_portal(client, student, name, date=RECENT):
    client.force_login(student.user)
    response = client.post("/me/entries/new/certificate/", {"name": name, "date": date})
    assert response.status_code == 302, response.content.decode()[:1500]
    e = CareerEntry.objects.filter(student=student).order_by("-created_at").first()
    services.evidence_add(actor=student.user, entry=e, uploaded_file=SimpleUploadedFile("c.pdf", pdf_bytes()))
    return services.entry_submit(actor=student.user, entry=e)


def test_a_name_alone_scores_the_catalogues_tier(client, daegu_student):
    staff = staff_user(department=daegu_student.major.department)
    e = certificate_through_the_portal(client, daegu_student, "전기기사")
    services.entry_approve(actor=staff, entry=e)
    du = StoredResult.objects.get(student=daegu_student, program="du-heart")
    item = du.items_by_entry()[str(e.pk)][0]
    assert du.total == 400 and item["rule"] == "certificate.national_technical.기사"


def test_the_same_field_at_a_higher_tier_pays_the_difference(client, daegu_student):
    staff = staff_user(department=daegu_student.major.department)
    today = datetime.date.today()
    with time_machine.travel(today - datetime.timedelta(days=60)):  # submitted two months ago
        lower = certificate_through_the_portal(client, daegu_student, "정보처리산업기사",
                                               (today - datetime.timedelta(days=90)).isoformat())
    services.entry_approve(actor=staff, entry=lower)
    higher = certificate_through_the_portal(client, daegu_student, "정보처리기사")
    services.entry_approve(actor=staff, entry=higher)
    du = StoredResult.objects.get(student=daegu_student, program="du-heart")
    by_entry = du.items_by_entry()
    assert by_entry[str(lower.pk)][0]["points"] == 200
    assert by_entry[str(higher.pk)][0]["points"] == 200  # 400 − the 200 already paid
    assert du.total == 400
