"""The counseling report PDF, its access rules, report batches and the shared portfolio link."""
import datetime
import io
import zipfile

import pytest
import time_machine
from django.core import signing
from pypdf import PdfReader

from accounts.models import Role
from advising import services as advising_services
from careers.models import EntryStatus
from reports.models import ReportBatch
from scoring.models import StoredResult
from scoring.services import recompute_student
from tests.factories import StudentFactory, UserFactory, entry, major, staff_user, write_intro

pytestmark = pytest.mark.django_db
NAME = "김상담"
SECRET_NOTE = "가족사정비밀메모"
NEXT_STEP = "토익900목표"


def content(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def mentee():
    mentor = UserFactory(role=Role.ADVISOR, display_name="박지도")
    student = StudentFactory(name=NAME, mentor=mentor)
    write_intro(student)
    student.self_introduction.desired_companies = "한국전력공사"
    student.self_introduction.save()
    entry(student, data={"test": "TOEIC", "score": 905}, status=EntryStatus.APPROVED)
    entry(student, kind="volunteer", data={"hours": 24, "organization": "안성시자원봉사센터", "verified_by": "1365"},
          status=EntryStatus.APPROVED, date=datetime.date(2024, 8, 1))
    recompute_student(student_id=student.pk)
    return student


def _session(student, counselor):
    return advising_services.session_log(actor=counselor, student=student, type="mentor",
                                         date=datetime.date(2025, 3, 4), notes=SECRET_NOTE, next_steps=NEXT_STEP)


def test_the_mentor_downloads_a_pdf_with_the_name_totals_entries_and_counseling(client, mentee):
    _session(mentee, mentee.mentor)
    recompute_student(student_id=mentee.pk)
    client.force_login(mentee.mentor)
    response = client.get(f"/reports/students/{mentee.pk}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pdf = content(response)
    text = pdf_text(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    assert NAME in text and mentee.student_no in text
    assert "한경국립대학교" in text
    assert "한국전력공사" in text  # employment wishes
    for result in StoredResult.objects.filter(student=mentee):
        assert str(result.result["total"]) in text, result.program
    assert "TOEIC 905" in text
    assert "상담자료" in text and "1 / " in text  # title and page numbers
    assert NEXT_STEP in text and SECRET_NOTE in text  # the mentor reads the private notes


def test_the_student_gets_their_own_report_without_the_counselors_notes(client, mentee):
    _session(mentee, mentee.mentor)
    client.force_login(mentee.user)
    response = client.get(f"/reports/students/{mentee.pk}/report.pdf")
    assert response.status_code == 200
    text = pdf_text(content(response))
    assert NAME in text and NEXT_STEP in text
    assert SECRET_NOTE not in text
    dashboard = client.get("/me/").content.decode()
    assert f"/reports/students/{mentee.pk}/report.pdf" in dashboard and "상담자료 출력" in dashboard


def test_department_staff_who_only_review_do_not_read_the_notes(client, mentee):
    _session(mentee, mentee.mentor)
    client.force_login(staff_user(department=mentee.major.department))
    text = pdf_text(content(client.get(f"/reports/students/{mentee.pk}/report.pdf")))
    assert NAME in text and SECRET_NOTE not in text


def test_another_advisor_or_out_of_scope_staff_get_not_found(client, mentee):
    _session(mentee, mentee.mentor)
    for outsider in (UserFactory(role=Role.ADVISOR), staff_user(department=major("2-2").department),
                     StudentFactory().user):
        client.force_login(outsider)
        for url in (f"/reports/students/{mentee.pk}/report.pdf", f"/reports/students/{mentee.pk}/portfolio/"):
            response = client.get(url)
            assert response.status_code == 404, (outsider.role, url)
            assert NAME not in content(response).decode("utf-8", "replace")
    client.logout()
    assert client.get(f"/reports/students/{mentee.pk}/report.pdf").status_code == 302


def test_the_report_follows_the_viewers_language(client, mentee):
    client.force_login(mentee.mentor)
    client.cookies["django_language"] = "en"
    text = pdf_text(content(client.get(f"/reports/students/{mentee.pk}/report.pdf")))
    assert "Counseling report" in text and NAME in text


def test_an_unchanged_report_is_not_rendered_again(mentee, monkeypatch):
    from reports import services

    first, reused = services.report_pdf(student=mentee, audience="counselor", lang="ko")
    assert reused is False
    second, reused = services.report_pdf(student=mentee, audience="counselor", lang="ko")
    assert reused is True and second == first
    # A new approved entry changes the record: the report is drawn again and shows it.
    entry(mentee, kind="certificate", data={"name": "정보처리기사", "grade": "", "category": "national_technical",
                                            "tier": "기사"}, status=EntryStatus.APPROVED)
    recompute_student(student_id=mentee.pk)
    third, reused = services.report_pdf(student=mentee, audience="counselor", lang="ko")
    assert reused is False and "정보처리기사" in pdf_text(third)
    from django.core.files.storage import default_storage

    _dirs, files = default_storage.listdir(f"reports/cache/{mentee.pk}")
    assert len([f for f in files if f.startswith("counselor-ko-")]) == 1  # the outdated copy is gone


def test_a_batch_of_all_mentees_is_one_zip_and_a_second_run_reuses_the_cache(client, mentee,
                                                                              django_capture_on_commit_callbacks):
    other = StudentFactory(name="이멘티", mentor=mentee.mentor)
    recompute_student(student_id=other.pk)
    StudentFactory(name="남의학생")  # not a mentee: never in the advisor's batch
    client.force_login(mentee.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/batches/", {})
    batch = ReportBatch.objects.get()
    assert response.status_code == 302 and response.url == f"/reports/batches/{batch.pk}/"
    assert (batch.status, batch.done, batch.total, batch.reused) == ("done", 2, 2, 0)
    page = client.get(f"/reports/batches/{batch.pk}/").content.decode()
    assert "2 / 2" in page
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(f"/reports/batches/{batch.pk}/download/")
                                                  .streaming_content)))
    names = sorted(archive.namelist())
    assert len(names) == 2 and any(NAME in n for n in names) and any("이멘티" in n for n in names)
    for name in names:
        assert archive.read(name).startswith(b"%PDF")
        assert name.split("-", 1)[1][:-4] in pdf_text(archive.read(name))

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/reports/batches/", {})
    again = ReportBatch.objects.order_by("-pk").first()
    assert (again.status, again.done, again.reused) == ("done", 2, 2)


def test_a_batch_by_year_level_and_picked_students(client, mentee, django_capture_on_commit_callbacks):
    staff = staff_user(department=mentee.major.department)
    StudentFactory(name="일학년", year_level=1, major=mentee.major)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/reports/batches/", {"year_level": "3", "student": [str(mentee.pk)]})
    batch = ReportBatch.objects.get()
    assert batch.student_ids == [mentee.pk] and batch.status == "done"
    response = client.post("/reports/batches/", {"year_level": "9"})
    assert "1부터 6" in response.content.decode() or "학년" in response.content.decode()
    assert ReportBatch.objects.count() == 1


def test_nobody_else_opens_someone_elses_batch(client, mentee, django_capture_on_commit_callbacks):
    client.force_login(mentee.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/reports/batches/", {})
    batch = ReportBatch.objects.get()
    client.force_login(UserFactory(role=Role.ADVISOR))
    assert client.get(f"/reports/batches/{batch.pk}/").status_code == 404
    assert client.get(f"/reports/batches/{batch.pk}/download/").status_code == 404
    client.force_login(mentee.user)
    assert client.get("/reports/batches/").status_code == 403


def _make_link(client, student, days="7"):
    client.force_login(student.user)
    response = client.post("/reports/me/share/", {"action": "create", "days": days})
    assert response.status_code == 200
    link = response.context["link"]
    assert "/reports/shared/" in link
    client.logout()
    return link.split("testserver", 1)[1]


def test_a_shared_portfolio_opens_without_login_until_it_expires(client, mentee):
    _session(mentee, mentee.mentor)
    path = _make_link(client, mentee, days="7")
    page = client.get(path)
    body = page.content.decode()
    assert page.status_code == 200
    assert NAME in body and "TOEIC 905" in body and "한국전력공사" in body
    assert SECRET_NOTE not in body and mentee.student_no not in body
    with time_machine.travel(datetime.datetime.now() + datetime.timedelta(days=8)):
        assert client.get(path).status_code == 404


def test_a_tampered_or_withdrawn_link_is_not_found(client, mentee):
    path = _make_link(client, mentee)
    token = path.rstrip("/").rsplit("/", 1)[1]
    share = mentee.portfolio_share
    # The right nonce and a future expiry, but not signed with the portal's key and salt.
    forged = signing.TimestampSigner(salt="something-else").sign_object(
        {"s": mentee.pk, "n": share.nonce, "e": int(share.expires_at.timestamp())}, compress=True)
    flipped = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    for bad in (flipped, token[:-3], forged, "garbage"):
        response = client.get(f"/reports/shared/{bad}/")
        assert response.status_code == 404 and NAME not in response.content.decode()
    assert client.get(path).status_code == 200
    client.force_login(mentee.user)
    client.post("/reports/me/share/", {"action": "revoke"})
    client.logout()
    assert client.get(path).status_code == 404


def test_a_new_link_retires_the_old_one_and_a_bad_expiry_is_refused(client, mentee):
    first = _make_link(client, mentee)
    second = _make_link(client, mentee, days="30")
    assert client.get(first).status_code == 404 and client.get(second).status_code == 200
    client.force_login(mentee.user)
    response = client.post("/reports/me/share/", {"action": "create", "days": "365"})
    assert "유효 기간" in response.content.decode() or "days" in response.content.decode()
    client.logout()
    assert client.get(second).status_code == 200  # a refused request changes nothing


def test_a_student_who_leaves_the_advisors_care_before_the_batch_runs_is_left_out(client, mentee,
                                                                                  django_capture_on_commit_callbacks):
    other = StudentFactory(name="떠난학생", mentor=mentee.mentor)
    client.force_login(mentee.mentor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post("/reports/batches/", {})
    other.mentor = UserFactory(role=Role.ADVISOR)
    other.save()
    for callback in callbacks:
        callback()
    batch = ReportBatch.objects.get()
    assert batch.total == 2 and batch.status == "done"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(f"/reports/batches/{batch.pk}/download/")
                                                  .streaming_content)))
    assert [n for n in archive.namelist()] == [f"{mentee.student_no}-{NAME}.pdf"]
