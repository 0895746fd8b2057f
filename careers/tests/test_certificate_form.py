"""The student's certificate form picks from the certificate catalogue (scoring/engine/catalogue)."""
import pytest

from careers.kinds import CertificateForm
from careers.models import CareerEntry
from scoring.engine import evaluate
from tests.factories import StudentFactory


def form_data(**fields):
    return {"date": "2024-06-01", **fields}


def test_a_catalogue_name_fills_category_and_tier():
    form = CertificateForm(data=form_data(name="전기기사"))
    assert form.is_valid(), form.errors
    data = form.to_data()
    assert (data["category"], data["tier"]) == ("national_technical", "기사")


def test_the_catalogue_wins_over_a_category_the_student_chose():
    form = CertificateForm(data=form_data(name="컴활", grade="1급", category="private"))
    assert form.is_valid(), form.errors
    assert (form.to_data()["category"], form.to_data()["tier"]) == ("national_technical", "서비스1급")


def test_a_name_not_in_the_catalogue_needs_its_category_and_tier():
    form = CertificateForm(data=form_data(name="방재기사"))
    assert not form.is_valid()
    assert "방재기사" in " ".join(form.errors["category"])
    form = CertificateForm(data=form_data(name="방재기사", category="national_technical"))
    assert not form.is_valid() and list(form.errors) == ["tier"]


@pytest.mark.django_db
def test_the_page_offers_the_catalogue_names_and_stores_what_the_catalogue_says(client):
    student = StudentFactory()
    client.force_login(student.user)
    body = client.get("/me/entries/new/certificate/").content.decode()
    assert 'list="certificate-names"' in body and '<datalist id="certificate-names">' in body
    assert '<option value="정보처리기사" data-fill-category="national_technical" data-fill-tier="기사">' in body
    assert '<option value="한국사능력검정시험"></option>' in body  # its category is the student's to choose
    assert "공식 자격증명" in body  # the help text in Korean
    response = client.post("/me/entries/new/certificate/", form_data(name="전기기사"))
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = CareerEntry.objects.get()
    assert entry.data["category"] == "national_technical" and entry.data["tier"] == "기사"
    # what the engine makes of it: DU-HEART's 기사 row (400), not "unlisted national" (100)
    doc = {"program": "du-heart", "as_of": "2024-06-30",
           "entries": [{"id": "e", "kind": "certificate", **entry.data, "date": "2024-06-01"}]}
    assert evaluate(doc)["total"] == 400
