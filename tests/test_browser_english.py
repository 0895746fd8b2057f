"""Issue 13 in Debian's Chromium: a staff member switches the portal to English with the language
menu, approves an entry from the queue and reads the outcome in English; switching back, the next
decision reads in Korean (the messages are translated when shown, not when the code was loaded)."""
import datetime

import pytest

from careers import services
from careers.models import CareerEntry, EntryStatus
from tests.factories import PASSWORD, StudentFactory, staff_user, write_intro
from tests.test_browser import _login, page  # noqa: F401 (the Chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submitted(student, score, day):
    e = services.entry_create(actor=student.user, student=student, kind="language_test",
                              data={"test": "TOEIC", "score": score, "date": "2025-01-12"})
    CareerEntry.objects.filter(pk=e.pk).update(status=EntryStatus.SUBMITTED, submitted_on=datetime.date(2025, 2, day))
    return e


def test_after_switching_to_english_the_decision_message_is_english(page, live_server):  # noqa: F811
    student = StudentFactory(name="영어학생")
    write_intro(student)
    first, second = _submitted(student, 705, 1), _submitted(student, 855, 2)
    staff = staff_user(department=student.major.department)
    _login(page, live_server, staff.username, PASSWORD)

    page.goto(f"{live_server.url}/entries/{first.pk}/")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.click("#decision-form [data-key=a]")
    text = page.inner_text("main") if page.locator("main").count() else page.inner_text("body")
    assert "Approved." in text and "승인되었습니다" not in text

    page.goto(f"{live_server.url}/entries/{second.pk}/")
    with page.expect_navigation():
        page.select_option("select[name=language]", "ko")
    with page.expect_navigation():
        page.click("#decision-form [data-key=a]")
    text = page.inner_text("body")
    assert "승인되었습니다." in text and "Approved." not in text
