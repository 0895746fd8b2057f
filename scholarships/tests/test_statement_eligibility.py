"""Issue 13: a program the student's university does not run is not shown as if it were; an
ineligible student reads why before any redemption form, from the same function the redemption
service refuses with (services.redemption_eligibility_problems)."""
import datetime
import html
import re

import pytest

from careers.models import EntryStatus
from scholarships import services
from scholarships.models import Redemption, RedemptionWindow
from scoring.models import StoredResult
from scoring.services import recompute_student
from tests.factories import StudentFactory, entry, major, staff_user, write_intro

from .conftest import RECENT

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def text(response):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def open_window(student):
    inst = student.major.department.campus.institution
    return RedemptionWindow.objects.create(
        institution=inst, semester="2025-2", opens_on=TODAY - datetime.timedelta(1),
        closes_on=TODAY + datetime.timedelta(7), tuition_won=4_000_000,
        created_by=staff_user(institution=inst, central_office="학생지원팀"))


def test_an_eligible_daegu_student_sees_the_form(client, student):
    open_window(student)
    client.force_login(student.user)
    body = client.get("/scholarships/me/").content.decode()
    assert 'id="redeem"' in body and 'id="ineligible"' not in body


def test_an_ineligible_student_reads_why_before_any_form(client, student):
    open_window(student)
    student.flags = {}  # no national scholarship application this semester
    student.save()
    client.force_login(student.user)
    response = client.get("/scholarships/me/")
    body = response.content.decode()
    assert 'id="ineligible"' in body and 'id="redeem"' not in body
    page = text(response)
    assert "지금은 점수를 장학금으로 전환할 수 없습니다" in page
    assert "당해학기 국가장학금을 신청한 학생만 신청할 수 있습니다." in page
    # the page says exactly what the redemption service refuses with
    for problem in services.redemption_eligibility_problems(student):
        assert str(problem) in page


def test_a_post_from_an_ineligible_student_requests_nothing(client, student):
    window = open_window(student)
    student.flags = {"national_scholarship_applied": True, "national_exam_scholarship": True}
    student.save()
    client.force_login(student.user)
    response = client.post("/scholarships/me/", {"window": window.pk, "points": 300})
    assert "국가고시" in text(response)
    assert not Redemption.objects.filter(student=student).exists()


def test_a_hankyong_student_is_told_her_university_does_not_run_du_heart(client):
    hankyong = StudentFactory(major=major("10-3"), flags={"national_scholarship_applied": True})
    write_intro(hankyong)
    assert "du-heart" not in hankyong.institution.programs
    client.force_login(hankyong.user)
    response = client.get("/scholarships/me/")
    page = text(response)
    assert response.status_code == 200
    assert "한경국립대학교은(는) DU-HEART 마일리지를 운영하지 않으므로" in page
    assert 'id="redeem"' not in response.content.decode() and 'id="balance"' not in response.content.decode()
    # the menu has no DU-HEART link for her either
    assert 'href="/scholarships/me/"' not in client.get("/me/").content.decode()


def test_the_redemption_service_refuses_a_university_that_does_not_run_du_heart(daegu):
    hankyong = StudentFactory(major=major("10-3"), flags={"national_scholarship_applied": True})
    window = open_window(hankyong)
    problems = services.redemption_blockers(hankyong, window, 300)
    assert "소속 대학은 DU-HEART 마일리지를 운영하지 않으므로 장학금으로 전환할 수 없습니다." in problems


def test_a_result_of_a_program_the_university_no_longer_runs_is_not_on_the_dashboard(client, student, daegu):
    entry(student, data={"test": "TOEIC", "score": 905}, status=EntryStatus.APPROVED, date=RECENT)
    recompute_student(student_id=student.pk)
    assert StoredResult.objects.filter(student=student, program="du-heart").exists()
    client.force_login(student.user)
    assert "DU-HEART" in text(client.get("/me/"))
    daegu.programs = ["career-mileage"]
    daegu.save()
    page = text(client.get("/me/"))
    assert "DU-HEART" not in page and "경력 마일리지" in page


def test_the_ledger_cells_carry_their_column_labels_for_the_phone_layout(client, student):
    entry(student, data={"test": "TOEIC", "score": 905}, status=EntryStatus.APPROVED, date=RECENT)
    recompute_student(student_id=student.pk)
    client.force_login(student.user)
    body = client.get("/scholarships/me/").content.decode()
    row = re.search(r'<table class="entries" id="statement">.*?<tbody>\s*(<tr.*?</tr>)', body, re.S).group(1)
    assert [m for m in re.findall(r'data-label="([^"]+)"', row)] == ["일자", "종류", "사유", "점수", "잔액"]


def test_the_counseling_report_leaves_out_a_program_the_university_no_longer_runs(student, daegu):
    from reports import selectors as report_selectors

    entry(student, data={"test": "TOEIC", "score": 905}, status=EntryStatus.APPROVED, date=RECENT)
    recompute_student(student_id=student.pk)
    before = report_selectors.cache_key(student, audience="student", lang="ko")
    assert "du-heart" in [r.program for r in report_selectors._results(student)]
    daegu.programs = ["career-mileage"]
    daegu.save()
    student.refresh_from_db()
    assert [r.program for r in report_selectors._results(student)] == ["career-mileage"]
    assert report_selectors.cache_key(student, audience="student", lang="ko") != before  # not the old PDF
