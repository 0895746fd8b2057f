"""An advisor logs a counseling session in Debian's Chromium; the student sees it on their page."""
import datetime

import pytest

from accounts.models import Institution, Role
from advising.models import AdvisorProfile, CounselingSession
from careers.models import CareerEntry, EntryStatus
from tests.factories import PASSWORD, StudentFactory, UserFactory, write_intro
from tests.test_browser import _login, page  # noqa: F401  (the Chromium page fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NOTE = "부모님과 진로 의견 차이 (비공개)"
STEP = "정보처리기사 필기 접수하고 다음 상담 때 일정 공유"


def test_an_advisor_logs_a_session_and_the_mentee_sees_the_next_steps_but_not_the_notes(page, live_server):  # noqa: F811
    inst = Institution.objects.create(code="daegu", name="대구대학교", programs=["career-mileage"])
    major = inst.campuses.create(code="gyeongsan", name="경산캠퍼스").departments.create(
        name="정보통신공학부").majors.create(name="컴퓨터정보공학전공")
    prof = UserFactory(role=Role.ADVISOR, display_name="김지도교수", username="prof-kim")
    AdvisorProfile.objects.create(user=prof, major=major)
    student = StudentFactory(major=major, name="이하늘", user__username="s-haneul")
    assert student.mentor == prof  # assigned by rule when the student was created
    intro = write_intro(student)
    intro.desired_companies = "네이버, 카카오"
    intro.save()

    _login(page, live_server, prof.username, PASSWORD)
    page.click("a[href='/advising/']")
    page.click(f"#mentees a[href='/advising/students/{student.pk}/']")
    assert "네이버, 카카오" in page.inner_text("#self-introduction")  # the mentee's wishes, used in counseling
    page.select_option("#id_type", "mentor")
    page.fill("#id_date", (datetime.date.today() - datetime.timedelta(days=1)).isoformat())
    page.fill("#id_notes", NOTE)
    page.fill("#id_next_steps", STEP)
    page.click("#log-session button")
    page.wait_for_selector(".msg-success")
    row = page.inner_text("#sessions tbody tr")
    assert NOTE in row and STEP in row

    session = CounselingSession.objects.get(student=student)
    assert CareerEntry.objects.get(pk=session.entry_id).status == EntryStatus.APPROVED

    page.click("button.link")  # log out
    _login(page, live_server, student.user.username, PASSWORD)
    page.goto(f"{live_server.url}/me/")
    counseling = page.inner_text("#counseling")
    assert STEP in counseling and "김지도교수" in counseling
    assert NOTE not in page.content()
    areas = page.inner_text("[data-program='career-mileage'] .areas")
    assert "상담실적 10" in " ".join(areas.split())
