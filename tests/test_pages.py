"""Student pages as a browser without JavaScript sees them."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from careers.demo import pdf_bytes
from careers.models import CareerEntry, Organization
from tests.factories import StudentFactory, entry, write_intro

pytestmark = pytest.mark.django_db


@pytest.fixture
def student(client):
    s = StudentFactory()
    client.force_login(s.user)
    return s


def test_dashboard_shows_the_gate_and_a_form_per_kind(client, student):
    body = client.get("/me/").content.decode()
    assert "자기소개서" in body and 'id="intro-gate"' in body
    for kind in ["language_test", "certificate", "award", "internship", "volunteer", "overseas_study"]:
        assert f"/me/entries/new/{kind}/" in body
        assert client.get(f"/me/entries/new/{kind}/").status_code == 200
    assert client.get("/me/entries/new/course/").status_code == 404  # records from campus systems only


def test_a_form_with_errors_lists_them_by_field_and_keeps_the_input(client, student):
    response = client.post("/me/entries/new/language_test/", {"test": "TOEIC", "score": "1500", "date": "2024-03-10"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "점수: TOEIC 점수는" in body or "점수" in body and "990" in body
    assert 'value="1500"' in body
    assert CareerEntry.objects.count() == 0


def test_new_entry_upload_and_submit_through_the_pages(client, student):
    write_intro(student)
    response = client.post("/me/entries/new/language_test/", {"test": "TOEIC", "score": "705", "date": "2024-03-10"})
    entry_obj = CareerEntry.objects.get()
    assert response.status_code == 302 and response.url == f"/entries/{entry_obj.pk}/"
    client.post(f"/entries/{entry_obj.pk}/evidence/", {"file": SimpleUploadedFile("toeic.pdf", pdf_bytes())})
    detail = client.get(f"/entries/{entry_obj.pk}/").content.decode()
    assert "toeic.pdf" in detail and "<iframe" in detail  # the PDF is previewed
    client.post(f"/entries/{entry_obj.pk}/submit/")
    entry_obj.refresh_from_db()
    assert entry_obj.status == "submitted"
    assert "승인 대기" in client.get("/me/").content.decode()


def test_organization_search_offers_directory_entries_or_direct_input(client, student):
    Organization.objects.create(name="한국전력공사", kind="public")
    found = client.get("/organizations/search/", {"q": "전력"}, HTTP_HX_REQUEST="true").content.decode()
    assert "한국전력공사" in found and "data-org-id" in found
    missing = client.get("/organizations/search/", {"q": "없는기관"}).content.decode()
    assert "직접입력" in missing or "없는기관" in missing


def test_english_is_available(client, student):
    client.post("/i18n/setlang/", {"language": "en", "next": "/me/"})
    body = client.get("/me/", headers={"accept-language": "en"}).content.decode()
    assert "Add an entry" in body and "Write your self-introduction" in body


def test_approved_entries_cannot_be_edited_through_the_page(client, student):
    e = entry(student, status="approved")
    response = client.post(f"/entries/{e.pk}/edit/", {"test": "TOEIC", "score": "990", "date": "2024-03-10"})
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.data["score"] == 705


def test_login_page_and_lockout(client, db):
    from tests.factories import PASSWORD, UserFactory

    user = UserFactory(username="s2023999999")
    client.logout()
    assert "로그인" in client.get("/login/").content.decode()
    for _ in range(5):
        client.post("/login/", {"username": user.username, "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    locked = client.post("/login/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert locked.status_code in (403, 429) or "_auth_user_id" not in client.session
