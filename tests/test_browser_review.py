"""Issue 13 in Debian's Chromium: the staff entry page at 1920×1080 (evidence beside the fields, the
decision under the evidence, all on the first screen), approving with the A key names the entry just
approved above the next one, the DU-HEART ledger keeps its column labels at 375 px, and the
self-introduction counts characters as they are typed."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from careers import services
from careers.demo import pdf_bytes
from careers.models import CareerEntry, EntryStatus
from tests.factories import PASSWORD, StudentFactory, entry, staff_user, write_intro
from tests.test_browser import _login, page  # noqa: F401 (the Chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submitted_toeic(student, score, day, files=1):
    e = services.entry_create(actor=student.user, student=student, kind="language_test",
                              data={"test": "TOEIC", "score": score, "date": "2025-01-12"})
    for n in range(files):
        services.evidence_add(actor=student.user, entry=e, uploaded_file=SimpleUploadedFile(
            f"toeic-{score}-{n}.pdf", pdf_bytes(f"TOEIC {score} page {n}")))
    services.entry_submit(actor=student.user, entry=e)
    CareerEntry.objects.filter(pk=e.pk).update(submitted_on=datetime.date(2025, 2, day))
    return e


def test_the_review_page_at_1920_shows_fields_evidence_and_decision_on_one_screen(page, live_server):  # noqa: F811
    student = StudentFactory(name="화면학생")
    write_intro(student)
    # two files (both sides of the score report): they scroll in their card, the decision stays up
    e = _submitted_toeic(student, 705, 1, files=2)
    staff = staff_user(department=student.major.department)
    page.set_viewport_size({"width": 1920, "height": 1080})
    _login(page, live_server, staff.username, PASSWORD)
    page.goto(f"{live_server.url}/entries/{e.pk}/?queue=status%3Dsubmitted")
    assert page.locator("#evidence iframe").count() == 2
    fields = page.locator("#entry-facts dl.fields").bounding_box()
    evidence = page.locator("#evidence iframe").first.bounding_box()
    decision = page.locator("#decision-form").bounding_box()
    approve = page.locator("#decision-form [data-key=a]").bounding_box()
    # beside: the evidence starts right of the fields and overlaps them vertically
    assert evidence["x"] >= fields["x"] + fields["width"]
    assert evidence["y"] < fields["y"] + fields["height"] and fields["y"] < evidence["y"] + evidence["height"]
    # the decision is under the evidence, and the approve button is on the first screen
    assert decision["y"] >= evidence["y"] + evidence["height"]
    assert approve["y"] + approve["height"] <= 1080
    assert evidence["height"] >= 300  # a readable preview, not a thumbnail


def test_approving_with_a_names_the_entry_just_approved_above_the_next(page, live_server):  # noqa: F811
    student = StudentFactory(name="단축키학생")
    write_intro(student)
    first = _submitted_toeic(student, 705, 1)
    second = _submitted_toeic(student, 855, 2)
    staff = staff_user(department=student.major.department)
    page.set_viewport_size({"width": 1920, "height": 1080})
    _login(page, live_server, staff.username, PASSWORD)
    page.goto(f"{live_server.url}/staff/queue/")
    with page.expect_navigation():
        page.click("a.review-link:has-text('TOEIC 705')")
    with page.expect_navigation():
        page.keyboard.press("a")
    assert "TOEIC 855" in page.inner_text("h1")
    assert page.inner_text("#entry-status") == "승인 대기"
    message = page.locator(".msg-decided")
    assert message.inner_text().strip().endswith("‘TOEIC 705’ 승인 완료 · 다음 항목")
    # set apart: a coloured bar on its left, unlike the page's own status
    assert page.evaluate("getComputedStyle(document.querySelector('.msg-decided')).borderLeftWidth") == "5px"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == EntryStatus.APPROVED and second.status == EntryStatus.SUBMITTED


def test_the_du_heart_ledger_keeps_its_column_labels_on_a_phone(page, live_server):  # noqa: F811
    from accounts.models import Institution
    from scoring.services import recompute_student

    daegu = Institution.objects.create(code="daegu", name="대구대학교", programs=["du-heart", "career-mileage"])
    campus = daegu.campuses.create(code="gyeongsan", name="경산캠퍼스")
    major = campus.departments.create(name="정보통신공학부").majors.create(name="컴퓨터정보공학전공")
    student = StudentFactory(major=major, admission_year=2021, semesters_completed=6,
                             flags={"national_scholarship_applied": True})
    write_intro(student)
    entry(student, data={"test": "TOEIC", "score": 905}, status=EntryStatus.APPROVED,
          date=datetime.date.today() - datetime.timedelta(days=40))
    recompute_student(student_id=student.pk)

    page.set_viewport_size({"width": 375, "height": 812})
    _login(page, live_server, student.user.username, PASSWORD)
    page.goto(f"{live_server.url}/scholarships/me/")
    row = page.locator("#statement tbody tr").first
    labels = row.locator("td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content.replace(/\"/g, ''))")
    assert labels == ["일자", "종류", "사유", "점수", "잔액"]
    assert "+" in row.locator("td[data-label='점수']").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_self_introduction_counts_as_she_types(page, live_server):  # noqa: F811
    student = StudentFactory(name="소개학생")
    _login(page, live_server, student.user.username, PASSWORD)
    page.goto(f"{live_server.url}/me/self-introduction/")
    counter = page.locator("#text-count")
    assert "0자 작성 · 최소 100자" in counter.inner_text()
    page.fill("#id_text", "가" * 60)
    assert "60자 작성" in counter.inner_text() and "warn" in counter.get_attribute("class")
    page.fill("#id_text", "가" * 100)
    assert "100자 작성" in counter.inner_text() and "ok" in counter.get_attribute("class")


def test_staff_merge_a_typed_organisation_picked_from_the_directory_search(page, live_server):  # noqa: F811
    from careers.models import Organization

    org = Organization.objects.create(name="한국전력공사", kind="public")
    student = StudentFactory(name="기관학생")
    write_intro(student)
    typed = services.entry_create(actor=student.user, student=student, kind="volunteer",
                                  data={"organization": "한전 봉사단", "hours": "8", "verified_by": "1365",
                                        "date": "2025-04-01"})
    staff = staff_user(department=student.major.department)
    _login(page, live_server, staff.username, PASSWORD)
    page.goto(f"{live_server.url}/entries/{typed.pk}/")
    page.fill("#org-merge-search", "한국전력")
    page.click("#org-merge-results button:has-text('한국전력공사')")
    assert page.input_value("#org-merge input[name=organization_id]") == str(org.pk)
    with page.expect_navigation():
        page.click("#org-merge button[type=submit]")
    assert "'한국전력공사'을(를) 기관 목록에 반영했습니다" in page.inner_text(".messages")
    assert page.locator("#adopt-organization").count() == 0
    typed.refresh_from_db()
    org.refresh_from_db()
    assert typed.organization == org and not typed.organization_direct_input and org.aliases == "한전 봉사단"
