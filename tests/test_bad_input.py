"""Input that used to be a 500 (issue 12, "500s from input") is a form error or a 400 naming the
field, and nothing stored changes."""
import datetime

import pytest

from accounts.models import Role
from careers.models import CareerEntry, EntryStatus
from certification import services as certification
from certification.models import Application, CommitteeMembership
from tests.factories import StudentFactory, UserFactory, entry, major, staff_user

pytestmark = pytest.mark.django_db


def page_messages(response):
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.fixture
def student():
    return StudentFactory()


@pytest.fixture
def staff(student):
    return staff_user(department=student.major.department)


@pytest.mark.parametrize("url,field", [
    ("/students/?q=%00", "q"),
    ("/organizations/search/?q=a%00b", "q"),
    ("/staff/queue/?submitter=%00", "submitter"),
])
def test_a_nul_byte_in_the_query_string_is_a_400_naming_the_parameter(client, staff, url, field):
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 400
    assert field in response.content.decode() and "NUL" in response.content.decode()


def test_a_nul_byte_in_an_api_query_is_a_json_400(client, student):
    client.force_login(student.user)
    response = client.get("/api/v1/entries/?status=%00")
    assert response.status_code == 400 and "status" in response.json()


def test_a_nul_byte_in_a_reason_is_refused_and_the_entry_stays_submitted(client, student, staff):
    e = entry(student, status=EntryStatus.SUBMITTED)
    client.force_login(staff)
    response = client.post(f"/entries/{e.pk}/reject/", {"reason": "기간\x00누락"})
    assert response.status_code == 400 and "reason" in response.content.decode()
    assert CareerEntry.objects.get(pk=e.pk).status == EntryStatus.SUBMITTED
    api = client.post(f"/api/v1/entries/{e.pk}/reject/", {"reason": "기간\x00누락"}, content_type="application/json")
    assert api.status_code == 400 and "reason" in api.json()
    assert CareerEntry.objects.get(pk=e.pk).status == EntryStatus.SUBMITTED


def test_malformed_ids_on_the_bulk_approve_confirm_page(client, student, staff):
    e = entry(student, status=EntryStatus.SUBMITTED)
    client.force_login(staff)
    response = client.post("/staff/queue/approve/", {"entry": [str(e.pk), "not-a-uuid"]}, follow=True)
    assert response.status_code == 200
    assert "항목" in page_messages(response) or "Entries" in page_messages(response)
    response = client.post("/staff/queue/approve/", {"entry": ["1' OR 1=1"], "confirmed": "yes"}, follow=True)
    assert response.status_code == 200
    assert CareerEntry.objects.get(pk=e.pk).status == EntryStatus.SUBMITTED


def test_attendance_with_a_malformed_student_id_is_a_form_error(client):
    from programs import services as programs
    from programs.models import Participation

    department = major("10-3").department
    dept_staff = staff_user(department=department)
    program = programs.program_create(actor=dept_staff, department=department, title="AI 기초 부트캠프",
                                      category="learning", hours=12, starts_on=datetime.date(2025, 10, 1),
                                      ends_on=datetime.date(2025, 10, 31))
    s = StudentFactory()
    programs.program_apply(actor=s.user, program=program)
    client.force_login(dept_staff)
    response = client.post(f"/programs/{program.pk}/attendance/", {"attended": ["abc"]}, follow=True)
    assert response.status_code == 200 and "출석" in page_messages(response)
    assert Participation.objects.get(program=program).attended is None


@pytest.fixture
def senior():
    s = StudentFactory(major=major("10-3"), admission_year=2022, year_level=4, semesters_completed=7,
                       expected_graduation=datetime.date.today() + datetime.timedelta(days=60))
    entry(s, status="approved", data={"test": "TOEIC", "score": 705}, date=datetime.date(2025, 5, 10))
    return s


@pytest.mark.parametrize("exemption", ["x" * 40, "vip", "<script>"])
def test_an_unknown_exemption_is_a_form_error(client, senior, exemption):
    from careers.demo import pdf_bytes
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(senior.user)
    response = client.post("/certification/apply/", {"exemption": exemption,
                                                     "documents": SimpleUploadedFile("a.pdf", pdf_bytes())},
                           follow=True)
    assert response.status_code == 200 and "면제" in page_messages(response)
    assert not Application.objects.filter(student=senior).exists()


@pytest.mark.parametrize("points", ["NaN", "nan", "Infinity", "-Infinity", "sNaN", "abc", ""])
def test_committee_points_that_are_not_a_number_are_a_form_error(client, senior, points):
    member = UserFactory(role=Role.ADVISOR)
    CommitteeMembership.objects.create(user=member, major=senior.major)
    application = certification.apply(actor=senior.user, student=senior)
    area = application.engine_result["areas"][0]["area"]
    client.force_login(member)
    response = client.post(f"/certification/applications/{application.pk}/points/",
                           {"area": area, "points": points, "reason": "학회 발표"}, follow=True)
    assert response.status_code == 200 and "점수" in page_messages(response)
    assert not CareerEntry.objects.filter(kind="manual", student=senior).exists()


@pytest.mark.parametrize("semester", ["2026/2", "[x]", "a" * 40, "2026-2:*?"])
def test_a_semester_that_cannot_be_a_sheet_title_is_a_400(client, senior, semester):
    member = UserFactory(role=Role.ADVISOR)
    CommitteeMembership.objects.create(user=member, major=senior.major)
    client.force_login(member)
    for params in ({"semester": semester}, {"semester": semester, "format": "xlsx"}):
        response = client.get("/certification/committee/", params)
        assert response.status_code == 400 and "학기" in response.content.decode()


@pytest.mark.parametrize("query,field", [({"limit": "-5"}, "limit"), ({"limit": "abc"}, "limit"),
                                         ({"limit": "0"}, "limit"), ({"year_level": "-1"}, "year_level")])
def test_bad_paging_on_the_priority_list_is_a_400_naming_it(client, query, field):
    office = staff_user(central_office="학생성장지원팀")
    client.force_login(office)
    response = client.get("/scholarships/staff/priority/", query)
    assert response.status_code == 400 and field in response.content.decode()
    assert client.get("/scholarships/staff/priority/", {"limit": "10"}).status_code == 200


def test_a_json_body_nested_100000_deep_is_a_400(client, student):
    client.force_login(student.user)
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/evaluate/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "input" and "64" in response.json()["error"]
    deep_object = '{"a":' * 100_000 + "1" + "}" * 100_000
    response = client.post("/api/v1/entries/", deep_object, content_type="application/json")
    assert response.status_code == 400


def test_a_json_body_over_the_size_limit_is_a_400(client, student, settings):
    settings.API_MAX_JSON_BYTES = 1000
    client.force_login(student.user)
    response = client.post("/api/v1/evaluate/", '{"program": "' + "x" * 2000 + '"}', content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "input"


def test_the_depth_scan_ignores_brackets_inside_strings():
    from mileage_portal.parsers import json_depth_exceeds

    assert not json_depth_exceeds(b'{"a": "[[[[[[[[[[", "b": "\\"[[[[[["}', 3)
    assert json_depth_exceeds(b'[[[[1]]]]', 3)
    assert not json_depth_exceeds(b'[[[1]]]', 3)
