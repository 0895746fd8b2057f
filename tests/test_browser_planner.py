"""The what-if planner in Debian's Chromium (issue 13): a student types a TOEIC score, the total
moves without leaving the page (htmx, no inline script under the Content-Security-Policy), and no
suggested set says it passes while her required area is open."""
import datetime

import pytest

from tests.factories import PASSWORD, StudentFactory, entry, major
from tests.test_browser import _login, page  # noqa: F401 (the Chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_planner_recalculates_a_typed_toeic_score_in_place(page, live_server):  # noqa: F811
    blocked = []
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)
    student = StudentFactory(major=major("10-3"), admission_year=2022, year_level=4, semesters_completed=7,
                             expected_graduation=datetime.date(2027, 2, 20), gpa="2.50")
    entry(student, status="approved", data={"test": "TOEIC", "score": 505}, date=datetime.date(2025, 5, 10))

    _login(page, live_server, student.user.username, PASSWORD)
    page.goto(f"{live_server.url}/certification/")
    before = float(page.inner_text("#cert-total"))
    page.select_option("#plan-test", "TOEIC")
    page.fill("#plan-score", "800")
    page.click("#plan-button")
    page.wait_for_selector("#what-if-total")
    assert page.url == f"{live_server.url}/certification/"  # swapped in place, not a new page
    after = float(page.inner_text("#what-if-total"))
    assert after > before
    # the course and the 인성교육 sessions are open: the page says what is missing, not 충족
    assert page.inner_text("#what-if-verdict") != "요건 충족"
    assert "아직 남은 요건" in page.inner_text("#what-if")
    for verdict in page.locator("#plan-options .verdict").all_inner_texts():
        assert verdict != "충족"

    page.fill("#plan-score", "abc")
    page.click("#plan-button")
    page.wait_for_selector("#plan-errors")
    assert "점수: TOEIC은(는) 10~990점입니다." in page.inner_text("#plan-errors")
    assert not blocked, blocked


def test_every_area_of_the_chart_has_its_label(page, live_server):  # noqa: F811
    from scoring.services import recompute_student

    student = StudentFactory(major=major("10-3"), admission_year=2022, year_level=4, semesters_completed=7,
                             expected_graduation=datetime.date(2027, 2, 20), gpa="3.50")
    entry(student, status="approved", data={"test": "TOEIC", "score": 705}, date=datetime.date(2025, 5, 10))
    recompute_student(student_id=student.pk)
    _login(page, live_server, student.user.username, PASSWORD)
    page.goto(f"{live_server.url}/me/")
    page.wait_for_function("window.Chart && document.querySelectorAll('canvas.area-chart').length > 0"
                           " && [...document.querySelectorAll('canvas.area-chart')].every(c => Chart.getChart(c))")
    charts = page.evaluate("""[...document.querySelectorAll('canvas.area-chart')].map(c => {
        const chart = Chart.getChart(c);
        return {program: c.dataset.areas, labels: chart.data.labels.length, words: chart.data.labels.flat().join(" "), ticks: chart.scales.y.ticks.length,
                height: c.parentNode.getBoundingClientRect().height};
    })""")
    hankyong = next(c for c in charts if c["program"] == "hankyong-grad-cert")
    assert "외국어" in hankyong["words"] and "필수영역" not in hankyong["words"]  # checklist rows are no points
    for chart in charts:
        assert chart["labels"] >= 5 or chart["program"] != "career-mileage"
        assert chart["ticks"] == chart["labels"], chart  # no label skipped
        assert chart["height"] >= chart["labels"] * 34, chart
