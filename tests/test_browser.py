"""What a student does in a browser: Debian's Chromium driven by Playwright."""
import shutil

import pytest
from django.core.management import call_command

from careers.demo import pdf_bytes
from careers.management.commands.seed_demo import PASSWORD
from careers.models import CareerEntry, StudentProfile

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        context = browser.new_context(locale="ko-KR", viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


def test_demo_student_writes_intro_adds_toeic_with_pdf_and_submits(page, live_server, tmp_path):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    student = StudentProfile.objects.filter(self_introduction__isnull=True).order_by("student_no").first()
    before = CareerEntry.objects.filter(student=student).count()
    pdf = tmp_path / "토익성적표.pdf"
    pdf.write_bytes(pdf_bytes("TOEIC 785"))

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", student.user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/me/")
    assert page.locator("#intro-gate").is_visible()

    page.click("#intro-gate a")
    page.check("input[name=job_fields][value=it]")
    page.fill("#id_desired_companies", "네이버, 카카오")
    page.fill("#id_text", "저는 데이터를 다루며 문제를 해결하는 일을 좋아합니다. " * 5)
    page.click("button[type=submit]")
    page.wait_for_url("**/me/")
    assert page.locator("#intro-gate").count() == 0

    page.click("a[href='/me/entries/new/language_test/']")
    page.select_option("#id_test", "TOEIC")
    page.fill("#id_score", "785")
    page.fill("#id_date", "2025-05-11")
    page.click("button[type=submit]")
    page.wait_for_url("**/entries/*/")
    page.set_input_files("input[type=file]", str(pdf))
    page.click("form.upload button[type=submit]")
    page.wait_for_selector("text=토익성적표.pdf")
    page.click("text=승인 요청")
    page.wait_for_selector("#entry-status")
    assert page.inner_text("#entry-status") == "승인 대기"

    page.goto(f"{live_server.url}/me/")
    row = page.locator("#group-language tr", has_text="TOEIC 785")
    assert row.locator(".badge").inner_text() == "승인 대기"
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)

    created = CareerEntry.objects.filter(student=student).exclude(status="approved").order_by("-created_at").first()
    assert CareerEntry.objects.filter(student=student).count() == before + 1
    assert created.status == "submitted" and created.data["score"] == 785 and created.evidence.count() == 1


def test_the_dashboard_fits_a_phone(page, live_server):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    student = StudentProfile.objects.filter(self_introduction__isnull=False).order_by("student_no").first()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", student.user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/me/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing forces sideways scrolling


def _login(page, live_server, username, password):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_staff_reviews_the_queue_and_the_student_sees_both_outcomes(page, live_server):
    from careers import services
    from careers.models import EntryStatus
    from django.core.files.uploadedfile import SimpleUploadedFile
    from tests.factories import PASSWORD, StudentFactory, staff_user, write_intro

    student = StudentFactory(name="큐학생")
    write_intro(student)
    staff = staff_user(department=student.major.department)
    made = []
    for score in (650, 855):
        e = services.entry_create(actor=student.user, student=student, kind="language_test",
                                  data={"test": "TOEIC", "score": score, "date": "2025-01-12"})
        services.evidence_add(actor=student.user, entry=e,
                              uploaded_file=SimpleUploadedFile(f"toeic-{score}.pdf", pdf_bytes(f"TOEIC {score}")))
        made.append(services.entry_submit(actor=student.user, entry=e))

    _login(page, live_server, staff.username, PASSWORD)
    page.goto(f"{live_server.url}/staff/queue/")
    assert page.locator("#bulk input[name=entry]").count() == 2
    with page.expect_response(lambda r: "/evidence/" in r.url) as pdf_response:
        page.click("a.review-link:has-text('TOEIC 650')")
    assert pdf_response.value.status == 200
    assert pdf_response.value.headers["content-type"] == "application/pdf"
    assert page.locator("#evidence iframe").count() == 1

    page.select_option("#reason-template", index=1)  # a template fills the reason box
    assert "기간" in page.input_value("#decision-form textarea")
    page.fill("#decision-form textarea", "성적표의 응시일이 보이지 않습니다.")
    with page.expect_navigation():
        page.click("#decision-form button:has-text('반려')")
    # next in the queue comes up: approve it with the keyboard
    assert "TOEIC 855" in page.inner_text("h1")
    with page.expect_navigation():
        page.keyboard.press("a")

    made[0].refresh_from_db()
    made[1].refresh_from_db()
    assert made[0].status == EntryStatus.REJECTED and made[1].status == EntryStatus.APPROVED

    page.context.clear_cookies()
    _login(page, live_server, student.user.username, PASSWORD)
    page.goto(f"{live_server.url}/me/")
    assert page.locator("#group-language tr", has_text="TOEIC 650").locator(".badge").inner_text() == "반려"
    assert page.locator("#group-language tr", has_text="TOEIC 855").locator(".badge").inner_text() == "승인"
    assert page.locator("#notices-link .pill").inner_text() == "2"
    page.click("#group-language a:has-text('TOEIC 650')")
    assert "성적표의 응시일이 보이지 않습니다." in page.inner_text("main")


def test_a_10_3_student_sees_the_planner_applies_and_the_committee_approves(page, live_server):
    import datetime

    from accounts.models import Role
    from certification.models import Application, CommitteeMembership
    from tests.factories import PASSWORD, StudentFactory, UserFactory, entry, major

    student = StudentFactory(major=major("10-3"), admission_year=2022, year_level=4, semesters_completed=7,
                             expected_graduation=datetime.date(2027, 2, 20))
    entry(student, status="approved", data={"test": "TOEIC", "score": 705}, date=datetime.date(2025, 5, 10))
    chair = UserFactory(role=Role.ADVISOR)
    CommitteeMembership.objects.create(user=chair, major=student.major, chair=True)

    _login(page, live_server, student.user.username, PASSWORD)
    page.goto(f"{live_server.url}/certification/")
    assert page.locator("#planner").is_visible()
    assert page.locator("#checklist li").count() >= 1
    with page.expect_navigation():
        page.click("#apply-button")
    assert Application.objects.filter(student=student).count() == 1

    page.context.clear_cookies()
    _login(page, live_server, chair.username, PASSWORD)
    page.goto(f"{live_server.url}/certification/committee/")
    page.click(f"text={student.student_no}")
    page.fill("#decision-reason", "졸업인증 기준 충족 확인")
    with page.expect_navigation():
        page.click("#committee-actions button:has-text('합격')")
    assert page.inner_text("#application-status") == "합격"
    assert Application.objects.get(student=student).status == "passed"


def test_an_admin_changes_a_rule_file_previews_it_and_publishes_it(page, live_server):
    from scoring.models import RuleRevision, StoredResult
    from tests.test_rule_publishing import raised_toeic_text

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    _login(page, live_server, "admin", PASSWORD)
    page.click("a[href='/rules/']")
    page.click("tr[data-file='du-heart/rules.yaml'] a.btn")
    page.fill("#id_text", raised_toeic_text())
    page.fill("#id_note", "TOEIC 700점대 350점으로 상향")
    page.click("button.primary")
    page.wait_for_selector("#check-ok")
    assert "points: 350" in page.inner_text("#diff")
    page.click("#run-preview")  # eager in tests: computed before the page comes back
    changed = int(page.inner_text("#preview-changed"))
    rev = RuleRevision.objects.get()
    assert changed == rev.preview["changed"] > 0  # the demo has Daegu students with TOEIC in the 700s
    first = rev.preview["largest"][0]
    assert first["student_no"] in page.inner_text("#preview-largest")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#publish")
    page.wait_for_selector("#runs")
    assert "du-heart/rules.yaml" in page.inner_text("#runs")
    rev.refresh_from_db()
    assert rev.status == RuleRevision.Status.PUBLISHED
    stored = StoredResult.objects.get(student__student_no=first["student_no"], program="du-heart")
    assert float(stored.total) == first["after"] and stored.ruleset_version == "2026-11.portal"


def test_a_student_redeems_points_in_the_browser_and_staff_confirm_it(page, live_server):
    import datetime

    from careers import services
    from scholarships.models import LedgerEntry, Redemption
    from scholarships.selectors import balance_of

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    student = StudentProfile.objects.filter(major__department__campus__institution__code="daegu",
                                            self_introduction__isnull=False).order_by("student_no").first()
    student.flags = {**student.flags, "national_scholarship_applied": True}
    student.semesters_completed = 4
    student.save()
    e = CareerEntry.objects.create(student=student, kind="language_test", status="submitted",
                                   data={"test": "TOEIC", "score": 905}, created_by=student.user,
                                   date=datetime.date.today() - datetime.timedelta(days=20))
    from accounts.models import User

    services.entry_approve(actor=User.objects.get(username="staff-daegu"), entry=e)  # +500 points
    balance = balance_of(student.pk)
    assert balance >= 500

    # Staff open this semester's window.
    _login(page, live_server, "staff-daegu", PASSWORD)
    page.goto(f"{live_server.url}/scholarships/staff/windows/")
    today = datetime.date.today()
    page.fill("#id_semester", f"{today.year}-2")
    page.fill("#id_opens_on", (today - datetime.timedelta(days=1)).isoformat())
    page.fill("#id_closes_on", (today + datetime.timedelta(days=14)).isoformat())
    page.fill("#id_tuition_won", "4000000")
    page.click("form button.primary")
    page.wait_for_selector(".msg-success")
    page.click("nav button.link")  # log out

    # The student asks for too little, reads why, then asks for 300.
    _login(page, live_server, student.user.username, PASSWORD)
    page.goto(f"{live_server.url}/scholarships/me/")
    assert page.get_attribute("[data-balance]", "data-balance") == str(balance)
    page.select_option("#id_window", index=1)
    page.fill("#id_points", "200")
    page.click("#redeem button.primary")
    assert "300" in page.inner_text("#redeem .msg-error")
    page.select_option("#id_window", index=1)
    page.fill("#id_points", "300")
    page.click("#redeem button.primary")
    page.wait_for_selector(".msg-success")
    assert Redemption.objects.get(student=student).status == "requested"
    page.click("nav button.link")

    # Staff confirm; the deduction is a ledger row the student sees with the new balance.
    _login(page, live_server, "staff-daegu", PASSWORD)
    page.goto(f"{live_server.url}/scholarships/staff/redemptions/")
    page.click(f"[data-redemption='{Redemption.objects.get(student=student).pk}'] button.primary")
    page.wait_for_selector(".msg-success")
    page.click("nav button.link")
    _login(page, live_server, student.user.username, PASSWORD)
    page.goto(f"{live_server.url}/scholarships/me/")
    assert page.get_attribute("[data-balance]", "data-balance") == str(balance - 300)
    assert "-300" in page.inner_text("#statement")
    assert LedgerEntry.objects.filter(student=student, points=-300).count() == 1


def test_staff_run_adjust_approve_and_export_the_december_selection(page, live_server, tmp_path):
    import openpyxl

    from scholarships.models import SelectionSnapshot

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    _login(page, live_server, "staff-hanbit", PASSWORD)
    page.goto(f"{live_server.url}/scholarships/staff/selection/")
    page.click("form.filters button.primary")
    page.wait_for_selector("#snapshot-status")
    snapshot = SelectionSnapshot.objects.get()
    first = snapshot.rows.filter(selected=True).order_by("year_level", "rank").first()
    row = page.locator(f"tr[data-row='{first.pk}']")
    row.locator("input[name=reason]").fill("휴학 예정으로 본인 포기")
    row.locator("button").click()
    page.wait_for_selector(".msg-success")
    assert "휴학 예정으로 본인 포기" in page.inner_text(f"tr[data-row='{first.pk}']")
    page.check("form[action$='/approve/'] input[name=confirm]")
    page.click("form[action$='/approve/'] button")
    page.wait_for_selector(".msg-success")
    snapshot.refresh_from_db()
    assert snapshot.status == "approved"
    with page.expect_download() as download:
        page.click("a[href$='/export/']")
    path = tmp_path / "rainbow.xlsx"
    download.value.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    exported = {str(r[2]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    selected = {r.student.student_no for r in snapshot.rows.filter(selected=True)}
    assert {n for n, r in exported.items() if r[7] == "Y"} == selected
    # The one excluded with a reason stays on record: not selected, with the reason.
    excluded = exported[first.student.student_no]
    assert excluded[7] != "Y" and "휴학 예정으로 본인 포기" in excluded[9]
