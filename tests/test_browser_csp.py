"""The Content-Security-Policy in a real browser (issue 12): the pages that use scripts work and the
browser reports no blocked script, style or frame; the data-attribute handlers replace inline ones."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from careers import services
from careers.demo import pdf_bytes
from scoring.services import recompute_student
from tests.factories import PASSWORD, StudentFactory, staff_user, write_intro
from tests.test_browser import _login, page  # noqa: F401 (the Chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_page_breaks_the_policy(page, live_server):  # noqa: F811
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text else None)
    student = StudentFactory(name="정책학생")
    write_intro(student)
    e = services.entry_create(actor=student.user, student=student, kind="language_test",
                              data={"test": "TOEIC", "score": 855, "date": "2025-01-12"})
    services.evidence_add(actor=student.user, entry=e, uploaded_file=SimpleUploadedFile("toeic.pdf", pdf_bytes("TOEIC")))
    services.entry_submit(actor=student.user, entry=e)
    staff = staff_user(department=student.major.department)
    services.entry_approve(actor=staff, entry=e)
    recompute_student(student_id=student.pk)

    _login(page, live_server, student.user.username, PASSWORD)
    page.goto(f"{live_server.url}/me/")
    page.wait_for_function("document.querySelector('canvas.area-chart') === null || window.Chart !== undefined")
    # the language menu submits on change through data-autosubmit (no onchange=)
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(f"{live_server.url}/entries/{e.pk}/")
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui", timeout=15_000)
    assert not violations, violations
