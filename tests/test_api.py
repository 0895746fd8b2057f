"""The API a client would call: same validation as the forms, OpenAPI schema, evidence upload."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from careers.demo import image_bytes, pdf_bytes
from careers.models import CareerEntry, Organization
from tests.factories import StudentFactory, staff_user, write_intro

pytestmark = pytest.mark.django_db


@pytest.fixture
def student(client):
    s = StudentFactory()
    write_intro(s)
    client.force_login(s.user)
    return s


def post_entry(client, kind, data, **extra):
    return client.post("/api/v1/entries/", {"kind": kind, "data": data, **extra}, content_type="application/json")


def test_a_student_records_submits_and_sees_a_toeic_entry(client, student):
    created = post_entry(client, "language_test", {"test": "TOEIC", "score": 705, "date": "2024-03-10"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["date"] == "2024-03-10" and body["data"]["score"] == 705
    pk = body["id"]
    refused = client.post(f"/api/v1/entries/{pk}/submit/")
    assert refused.status_code == 400 and "증빙" in str(refused.json())
    uploaded = client.post(f"/api/v1/entries/{pk}/evidence/", {"file": SimpleUploadedFile("toeic.pdf", pdf_bytes())})
    assert uploaded.status_code == 201 and uploaded.json()["content_type"] == "application/pdf"
    submitted = client.post(f"/api/v1/entries/{pk}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert client.get("/api/v1/entries/?status=submitted").json()["count"] == 1


def test_api_errors_name_the_field_in_korean(client, student):
    response = post_entry(client, "language_test", {"test": "TOEIC", "score": 1200, "date": "2024-03-10"})
    assert response.status_code == 400
    assert "990" in response.json()["score"][0] and "점수" in response.json()["score"][0]
    response = post_entry(client, "language_test", {"test": "TOEIC", "score": "many", "date": "2024-03-10"})
    assert response.status_code == 400 and "score" in response.json()
    response = post_entry(client, "nonsense", {})
    assert response.status_code == 400 and "kind" in response.json()
    assert CareerEntry.objects.count() == 0


def test_a_failed_update_keeps_what_was_stored(client, student):
    pk = post_entry(client, "language_test", {"test": "TOEIC", "score": 705, "date": "2024-03-10"}).json()["id"]
    bad = client.patch(f"/api/v1/entries/{pk}/", {"data": {"score": 3000}}, content_type="application/json")
    assert bad.status_code == 400
    assert CareerEntry.objects.get(pk=pk).data["score"] == 705
    good = client.patch(f"/api/v1/entries/{pk}/", {"data": {"score": 810}}, content_type="application/json")
    assert good.status_code == 200 and good.json()["data"]["score"] == 810


def test_a_refused_upload_names_the_field(client, student):
    pk = post_entry(client, "language_test", {"test": "TOEIC", "score": 705, "date": "2024-03-10"}).json()["id"]
    response = client.post(f"/api/v1/entries/{pk}/evidence/", {"file": SimpleUploadedFile("x.png", b"#!/bin/sh\necho hi\n")})
    assert response.status_code == 400 and "증빙서류" in str(response.json())
    assert client.post(f"/api/v1/entries/{pk}/evidence/", {}).status_code == 400


def test_organization_from_the_directory_or_typed_in(client, student):
    org = Organization.objects.create(name="LG전자", kind="company")
    picked = post_entry(client, "internship", {"organization": "엘지", "start": "2024-07-01", "end": "2024-08-01"},
                        organization_id=org.pk).json()
    entry = CareerEntry.objects.get(pk=picked["id"])
    assert entry.organization == org and entry.data["organization"] == "LG전자" and not entry.organization_direct_input
    typed = post_entry(client, "internship", {"organization": "동네 카페 코드랩", "start": "2024-07-01", "end": "2024-08-01"}).json()
    entry = CareerEntry.objects.get(pk=typed["id"])
    assert entry.organization is None and entry.organization_direct_input and entry.data["organization"] == "동네 카페 코드랩"


def test_staff_decide_through_the_api(client, student):
    pk = post_entry(client, "language_test", {"test": "TOEIC", "score": 705, "date": "2024-03-10"}).json()["id"]
    client.post(f"/api/v1/entries/{pk}/evidence/", {"file": SimpleUploadedFile("a.png", image_bytes())})
    client.post(f"/api/v1/entries/{pk}/submit/")
    client.force_login(staff_user(department=student.major.department))
    no_reason = client.post(f"/api/v1/entries/{pk}/reject/", {}, content_type="application/json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    rejected = client.post(f"/api/v1/entries/{pk}/reject/", {"reason": "흐린 스캔"}, content_type="application/json")
    assert rejected.json()["status"] == "rejected" and rejected.json()["decision_reason"] == "흐린 스캔"
    assert client.post(f"/api/v1/entries/{pk}/approve/").status_code == 403  # a rejected entry waits for the student


def test_profile_of_the_logged_in_student(client, student):
    me = client.get("/api/v1/students/me/").json()
    assert me["student_no"] == student.student_no and me["major_code"] == "10-3" and me["campus"] == "anseong"


def test_openapi_schema_and_docs_page(client, student):
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ["/api/v1/entries/", "/api/v1/entries/{id}/submit/", "/api/v1/entries/{id}/evidence/",
                 "/api/v1/evidence/{id}/file/", "/api/v1/students/me/"]:
        assert path in paths
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    assert b"cdn" not in docs.content.lower()
