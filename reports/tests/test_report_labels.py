"""Issue 13 (h15): the counseling report PDF and the remaining pages a person reads show no engine
code: rule ids, requirement ids, test codes, entry ids (UUIDs) and the rule-set tag read as words,
in Korean and, for an English viewer, in English. Same code patterns as the certification pages'
test (certification/tests/test_labels_and_planner.py)."""
import datetime
import re

import pytest
from django.utils import translation

from accounts.models import Role
from careers.models import CareerEntry, EntryStatus
from certification.tests.test_labels_and_planner import CODES, DOTTED, SNAKE, UPPER_CODE, UUID, assert_no_codes, \
    visible_text
from reports import selectors
from reports.tests.test_reports import content, pdf_text
from scoring import labels
from scoring.models import StoredResult
from scoring.services import recompute_student
from tests.factories import StudentFactory, UserFactory, entry, major, staff_user, write_intro

pytestmark = pytest.mark.django_db


def assert_no_codes_in_text(text):
    """A PDF's extracted text: the same patterns as a page's visible text."""
    text = " ".join(text.split())
    for pattern in (DOTTED, SNAKE, UPPER_CODE, UUID):
        assert not pattern.findall(text), (pattern.pattern, pattern.findall(text)[:5])
    for code in CODES:
        assert code not in text
    assert not re.search(r"\bgpa\b", text)


@pytest.fixture
def senior():
    """10-3 in the graduation semester: two TOEIC results (the lower one refused, its reason naming
    the better entry by id), a certificate the major's table does not list, a TOEFL iBT score, a
    GPA row; a mentor who reads the report."""
    mentor = UserFactory(role=Role.ADVISOR, display_name="박지도")
    student = StudentFactory(major=major("10-3"), admission_year=2022, year_level=4, semesters_completed=7,
                             expected_graduation=datetime.date(2027, 2, 20), gpa="2.50", mentor=mentor)
    write_intro(student)
    entry(student, status=EntryStatus.APPROVED, data={"test": "TOEIC", "score": 705}, date=datetime.date(2025, 5, 10))
    entry(student, status=EntryStatus.APPROVED, data={"test": "TOEIC", "score": 600}, date=datetime.date(2024, 5, 10))
    entry(student, status=EntryStatus.APPROVED, data={"test": "TOEFL_IBT", "score": 80}, date=datetime.date(2024, 9, 1))
    entry(student, kind="certificate", status=EntryStatus.APPROVED, date=datetime.date(2025, 1, 10),
          data={"name": "바리스타", "grade": "2급", "category": "private"})
    recompute_student(student_id=student.pk)
    return student


def _stored_codes(student):
    """What the stored results hold that a page must not show: rule ids, entry ids in reasons."""
    rules, uuid_reasons = set(), []
    for result in StoredResult.objects.filter(student=student):
        for item in result.result.get("items", []):
            rules.add(item.get("rule"))
            if UUID.search(item.get("reason") or ""):
                uuid_reasons.append(item["reason"])
    return rules, uuid_reasons


def test_the_counseling_report_pdf_shows_words_not_engine_codes(client, senior):
    rules, uuid_reasons = _stored_codes(senior)
    assert "language.english.TOEIC" in rules and uuid_reasons  # the codes are there to hide
    client.force_login(senior.mentor)
    text = pdf_text(content(client.get(f"/reports/students/{senior.pk}/report.pdf")))
    assert_no_codes_in_text(text)
    flat = " ".join(text.split())
    assert "TOEIC 705" in flat and "바리스타 2급" in flat and "TOEFL iBT 80" in flat
    assert "“TOEFL iBT 80”" in flat  # the lower scores' reasons name the better entry, not its id
    assert "hankyong/10-3" not in flat and "계산 시각" in flat  # the rule-set tag gave way to the time
    requirements = StoredResult.objects.get(student=senior, program="hankyong-grad-cert").result["requirements"]
    assert requirements
    with translation.override("ko"):
        for requirement in requirements:  # each requirement row in words, never its id
            assert " ".join(labels.requirement_label(requirement).split()) in flat


def test_the_report_in_english_shows_english_words_not_codes(client, senior):
    client.force_login(senior.mentor)
    client.cookies["django_language"] = "en"
    text = pdf_text(content(client.get(f"/reports/students/{senior.pk}/report.pdf")))
    assert "Counseling report" in text
    assert_no_codes_in_text(text)
    assert "Computed on" in " ".join(text.split())


def test_a_report_cached_before_the_labels_is_not_served(senior, monkeypatch):
    """The cache key carries the report's format version: a PDF rendered under the old format
    (raw codes) is drawn anew, not served."""
    key_now = selectors.cache_key(senior, audience="counselor", lang="ko")
    monkeypatch.setattr(selectors, "REPORT_VERSION", "1")
    assert selectors.cache_key(senior, audience="counselor", lang="ko") != key_now


def test_staff_and_advisor_pages_show_no_engine_codes(client, senior):
    """The student's page as her mentor and as department staff see it, each entry's page with
    its per-program points, the advising pages, the staff queue and the student's own pages."""
    submitted = entry(senior, status=EntryStatus.SUBMITTED, data={"test": "TOEFL_IBT", "score": 95},
                      date=datetime.date(2025, 9, 1))
    approved = CareerEntry.objects.filter(student=senior, status=EntryStatus.APPROVED,
                                          data__score=600).get()
    staff = staff_user(department=senior.major.department)
    for viewer, urls in (
        (senior.mentor, [f"/students/{senior.pk}/", f"/entries/{approved.pk}/", "/advising/",
                         f"/advising/students/{senior.pk}/", f"/reports/students/{senior.pk}/portfolio/"]),
        (staff, [f"/students/{senior.pk}/", f"/entries/{approved.pk}/", f"/entries/{submitted.pk}/",
                 "/staff/", "/staff/queue/"]),
        (senior.user, ["/me/", f"/entries/{approved.pk}/"]),
    ):
        client.force_login(viewer)
        for lang in ("ko", "en"):
            client.cookies["django_language"] = lang
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, (viewer, url, response.status_code)
                if url == f"/students/{senior.pk}/" and lang == "ko":  # the reasons are there, in words
                    assert "“TOEFL iBT 80”" in visible_text(response.content.decode())
                try:
                    assert_no_codes(response.content.decode())
                except AssertionError as error:
                    raise AssertionError(f"{url} ({lang}): {error}") from error
        client.cookies["django_language"] = "ko"
