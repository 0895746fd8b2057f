"""An advisor downloads a mentee's counseling report in Debian's Chromium (Playwright)."""
import datetime

import pytest
from pypdf import PdfReader

from accounts.models import Role
from careers.models import EntryStatus
from scoring.models import StoredResult
from scoring.services import recompute_student
from tests.factories import PASSWORD, StudentFactory, UserFactory, entry, write_intro
from tests.test_browser import page  # noqa: F401 (the Chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_advisor_downloads_a_mentees_report_and_the_pdf_holds_name_totals_entries(page, live_server, tmp_path):  # noqa: F811
    page.set_default_timeout(20_000)
    advisor = UserFactory(role=Role.ADVISOR, username="prof-report", display_name="최지도")
    student = StudentFactory(name="정다운", mentor=advisor)
    write_intro(student)
    entry(student, data={"test": "TOEIC", "score": 880}, status=EntryStatus.APPROVED)
    entry(student, kind="volunteer", data={"hours": 30, "organization": "평택시자원봉사센터", "verified_by": "1365"},
          status=EntryStatus.APPROVED, date=datetime.date(2024, 9, 1))
    recompute_student(student_id=student.pk)
    totals = [str(r.result["total"]) for r in StoredResult.objects.filter(student=student)]
    assert totals

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", advisor.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/students/")
    page.click(f"a:has-text('{student.student_no}')")
    page.wait_for_selector("#report-actions")
    with page.expect_download() as download_info:
        page.click("#report-actions a:has-text('상담자료 출력')")
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.suffix == ".pdf"

    text = "\n".join(p.extract_text() for p in PdfReader(str(target)).pages)
    assert "정다운" in text and student.student_no in text
    for total in totals:
        assert total in text
    assert "TOEIC 880" in text and "상담자료" in text
