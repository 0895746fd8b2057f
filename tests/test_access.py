"""A student can reach only their own records, by page or by API: others' are "not found"."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from careers import services
from careers.demo import pdf_bytes
from careers.models import CareerEntry
from tests.factories import StudentFactory, UserFactory, entry, major, staff_user, write_intro

pytestmark = pytest.mark.django_db


@pytest.fixture
def victim():
    student = StudentFactory(name="피해자학생")
    write_intro(student)
    e = entry(student, data={"test": "TOEIC", "score": 905})
    ev = services.evidence_add(actor=student.user, entry=e, uploaded_file=SimpleUploadedFile("v.pdf", pdf_bytes()))
    return student, e, ev


@pytest.fixture
def intruder(client):
    student = StudentFactory()
    write_intro(student)
    client.force_login(student.user)
    return student


def test_pages_of_another_students_entry_are_not_found(client, victim, intruder):
    _student, e, ev = victim
    for url in [f"/entries/{e.pk}/", f"/entries/{e.pk}/edit/", f"/evidence/{ev.pk}/",
                f"/evidence/{ev.pk}/?download=1", f"/students/{_student.pk}/"]:
        response = client.get(url)
        assert response.status_code in (302, 404), url
        if response.status_code == 302:  # students are sent to their own dashboard, never to the victim's
            assert response.url == "/me/"
        assert "피해자학생" not in response.content.decode()
    for url in [f"/entries/{e.pk}/submit/", f"/entries/{e.pk}/delete/", f"/entries/{e.pk}/approve/",
                f"/entries/{e.pk}/evidence/", f"/evidence/{ev.pk}/delete/"]:
        assert client.post(url, {"reason": "x"}).status_code == 404, url
    e.refresh_from_db()
    assert e.status == "draft" and CareerEntry.objects.filter(pk=e.pk).exists() and e.evidence.count() == 1


def test_dashboard_lists_only_own_entries(client, victim, intruder):
    entry(intruder, data={"test": "TOEIC", "score": 650})
    body = client.get("/me/").content.decode()
    assert "TOEIC 650" in body and "TOEIC 905" not in body


def test_api_hides_other_students(client, victim, intruder):
    student, e, ev = victim
    listing = client.get("/api/v1/entries/").json()
    assert listing["count"] == 0
    assert client.get(f"/api/v1/entries/{e.pk}/").status_code == 404
    assert client.patch(f"/api/v1/entries/{e.pk}/", {"data": {"score": 990}}, content_type="application/json").status_code == 404
    assert client.delete(f"/api/v1/entries/{e.pk}/").status_code == 404
    assert client.post(f"/api/v1/entries/{e.pk}/submit/").status_code == 404
    assert client.get(f"/api/v1/evidence/{ev.pk}/").status_code == 404
    assert client.get(f"/api/v1/evidence/{ev.pk}/file/").status_code == 404
    assert client.get(f"/api/v1/students/{student.pk}/").status_code == 404
    assert [s["student_no"] for s in client.get("/api/v1/students/").json()["results"]] == [intruder.student_no]
    e.refresh_from_db()
    assert e.data["score"] == 905


def test_a_malformed_id_is_not_found_too(client, intruder):
    assert client.get("/api/v1/entries/00000000-0000-0000-0000-00000000000g/").status_code == 404
    assert client.get("/entries/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_anonymous_users_are_sent_to_login(client, victim):
    _student, e, ev = victim
    assert client.get(f"/evidence/{ev.pk}/").status_code == 302
    assert client.get("/api/v1/entries/").status_code in (401, 403)


@pytest.mark.parametrize("role", ["owner", "department_staff", "central_staff", "mentor", "admin"])
def test_those_who_may_see_the_student_can_open_the_evidence(client, victim, role):
    student, _e, ev = victim
    mentor = UserFactory(role=Role.ADVISOR)
    student.mentor = mentor
    student.save()
    user = {
        "owner": student.user,
        "department_staff": staff_user(department=student.major.department),
        "central_staff": staff_user(central_office="취업지원팀"),
        "mentor": mentor,
        "admin": UserFactory(role=Role.ADMIN),
    }[role]
    client.force_login(user)
    response = client.get(f"/evidence/{ev.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("role", ["other_department_staff", "other_advisor"])
def test_staff_and_advisors_outside_their_scope_see_nothing(client, victim, role):
    student, e, ev = victim
    user = (staff_user(department=major("2-2").department) if role == "other_department_staff"
            else UserFactory(role=Role.ADVISOR))
    client.force_login(user)
    assert client.get(f"/evidence/{ev.pk}/").status_code == 404
    assert client.get(f"/entries/{e.pk}/").status_code == 404
    assert client.get(f"/students/{student.pk}/").status_code == 404
    assert "피해자학생" not in client.get("/students/").content.decode()
    assert client.get("/api/v1/entries/").json()["count"] == 0
