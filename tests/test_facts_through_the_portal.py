"""Issue 10 §2 through the portal: what a student enters and staff approve is what the engine
compares — two real TOEIC results earn 우수 향상율, an approved employment entry makes the student
기 취업자, the same paper entered twice counts once — with nothing typed beyond the forms."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from careers import services
from careers.demo import pdf_bytes
from scoring.models import StoredResult
from tests.factories import StudentFactory, major, staff_user, write_intro

pytestmark = pytest.mark.django_db(transaction=True)  # the recomputation runs on commit


@pytest.fixture
def student():
    s = StudentFactory(major=major("4-1"), admission_year=2023)  # 4-1: 우수 향상율 0.3, 기 취업자 row
    write_intro(s)
    return s


def approved(student, staff, kind, data):
    e = services.entry_create(actor=student.user, student=student, kind=kind, data=data)
    services.evidence_add(actor=student.user, entry=e, uploaded_file=SimpleUploadedFile("e.pdf", pdf_bytes()))
    services.entry_submit(actor=student.user, entry=e)
    services.entry_approve(actor=staff, entry=e)
    return e


def hankyong_items(student, entry):
    result = StoredResult.objects.get(student=student, program="hankyong-grad-cert")
    return result.items_by_entry()[str(entry.pk)]


def test_two_approved_toeic_results_450_then_600_earn_the_improvement(student):
    staff = staff_user(department=student.major.department)
    first = approved(student, staff, "language_test", {"test": "TOEIC", "score": "450", "date": "2024-03-10"})
    second = approved(student, staff, "language_test", {"test": "TOEIC", "score": "600", "date": "2025-03-10"})
    items = {i["rule"]: i for i in hankyong_items(student, second)}
    bonus = items["language.improvement"]
    assert bonus["counted"] and bonus["points"] == 0.3
    assert "450" in bonus["reason"] and "600" in bonus["reason"] and str(first.pk) in bonus["reason"]
    # revoking the earlier result takes the bonus away: no earlier result backs it any more
    services.entry_revoke(actor=staff, entry=first, reason="원본 불일치")
    assert "language.improvement" not in {i["rule"] for i in hankyong_items(student, second)}


def test_an_approved_employment_entry_closes_the_internship_row(student):
    staff = staff_user(department=student.major.department)
    intern = approved(student, staff, "internship", {"organization": "국립원예특작과학원", "start": "2024-07-01",
                                                       "end": "2024-08-31"})
    assert hankyong_items(student, intern)[0]["counted"] is True
    approved(student, staff, "employment", {"employer": "한경정밀", "start": "2026-03-02"})
    item = hankyong_items(student, intern)[0]
    assert item["counted"] is False and "기 취업자는 해당 없음" in item["reason"]


def test_the_same_paper_entered_twice_counts_once(student):
    staff = staff_user(department=student.major.department)
    data = {"venue": "domestic_conference", "format": "paper", "role": "first", "authors": "1", "date": "2024-05-01"}
    one = approved(student, staff, "paper", {**data, "title": "스마트팜 작물 생육 예측: 딥러닝 기반 연구"})
    two = approved(student, staff, "paper", {**data, "title": "스마트팜 작물생육 예측 — 딥러닝 기반 연구."})
    # Which of the two is kept depends on the entries' order in the input (ids are random); one is.
    first, second = hankyong_items(student, one)[0], hankyong_items(student, two)[0]
    kept, dropped = (first, second) if first["counted"] else (second, first)
    assert kept["counted"] is True and kept["points"] > 0
    assert dropped["counted"] is False and dropped["points"] == 0
