"""A decision with a long reason is made and the reason kept whole (issue 12, "staff decisions
lost"): only its copies (the history row's change reason, the in-portal notice) are cut."""
import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from audit.models import AuditEvent, Notification
from careers.models import CareerEntry, EntryStatus
from certification import services as certification
from certification.models import ApplicationStatus, CommitteeMembership
from tests.factories import StudentFactory, UserFactory, entry, major, staff_user

pytestmark = pytest.mark.django_db

ELLIPSIS = "…"  # mileage_portal.text.ELLIPSIS
LONG = ("증빙 서류의 기간이 신청 내용과 다릅니다. " * 250)[:5000]


@pytest.fixture
def student():
    s = StudentFactory()
    s.user.email = "student@example.ac.kr"
    s.user.save()
    return s


@pytest.fixture
def staff(student):
    return staff_user(department=student.major.department)


def assert_notice_is_a_cut_copy(user):
    notice = Notification.objects.filter(user=user).latest("created_at")
    assert len(notice.message) <= 500 and notice.message.endswith(ELLIPSIS)
    assert mail.outbox and LONG in mail.outbox[-1].body  # the email carries the whole reason


@pytest.mark.parametrize("action,status", [("reject", EntryStatus.REJECTED), ("return", EntryStatus.DRAFT)])
def test_a_5000_character_reason_rejects_or_returns_the_entry_and_is_kept_whole(
        client, student, staff, action, status, django_capture_on_commit_callbacks):
    e = entry(student, status=EntryStatus.SUBMITTED)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/entries/{e.pk}/{action}/", {"reason": LONG})
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.status == status and e.decision_reason == LONG
    change = e.history.latest().history_change_reason
    assert len(change) <= 100 and change.endswith(ELLIPSIS) and LONG.startswith(change[:-1].rstrip())
    assert AuditEvent.objects.get(object_id=str(e.pk), action__startswith="entry.r").reason == LONG
    assert_notice_is_a_cut_copy(student.user)


def test_a_5000_character_reason_revokes_an_approved_entry(client, student, staff, django_capture_on_commit_callbacks):
    e = entry(student, status=EntryStatus.APPROVED)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/entries/{e.pk}/revoke/", {"reason": LONG})
    e.refresh_from_db()
    assert e.status == EntryStatus.REVOKED and e.decision_reason == LONG
    assert_notice_is_a_cut_copy(student.user)


def test_a_5000_character_reason_through_the_api(client, student, staff):
    e = entry(student, status=EntryStatus.SUBMITTED)
    client.force_login(staff)
    response = client.post(f"/api/v1/entries/{e.pk}/reject/", {"reason": LONG}, content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    assert CareerEntry.objects.get(pk=e.pk).decision_reason == LONG


@pytest.fixture
def senior():
    s = StudentFactory(major=major("10-3"), admission_year=2022, year_level=4, semesters_completed=7,
                       expected_graduation=datetime.date.today() + datetime.timedelta(days=60))
    s.user.email = "senior@example.ac.kr"
    s.user.save()
    entry(s, status="approved", data={"test": "TOEIC", "score": 705}, date=datetime.date(2025, 5, 10))
    return s


@pytest.fixture
def member(senior):
    user = UserFactory(role=Role.ADVISOR)
    CommitteeMembership.objects.create(user=user, major=senior.major, chair=True)
    return user


@pytest.mark.parametrize("action,status", [("pass", ApplicationStatus.PASSED), ("fail", ApplicationStatus.FAILED)])
def test_a_5000_character_certification_decision(client, senior, member, action, status,
                                                 django_capture_on_commit_callbacks):
    application = certification.apply(actor=senior.user, student=senior)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/certification/applications/{application.pk}/{action}/", {"reason": LONG})
    application.refresh_from_db()
    assert application.status == status and application.decision_reason == LONG
    assert_notice_is_a_cut_copy(senior.user)


def test_a_5000_character_reason_for_committee_points(client, senior, member):
    application = certification.apply(actor=senior.user, student=senior)
    area = application.engine_result["areas"][0]["area"]
    client.force_login(member)
    client.post(f"/certification/applications/{application.pk}/points/", {"area": area, "points": "0.5",
                                                                         "reason": LONG})
    manual = CareerEntry.objects.get(kind="manual", student=senior)
    assert manual.decision_reason == LONG and manual.data["reason"] == LONG


def test_a_long_import_file_name_still_imports(student):
    from imports.services import run_import

    office = staff_user(institution=student.major.department.campus.institution, central_office="학생지원팀")
    csv = f"학번,이수일\n{student.student_no},2024-05-02\n".encode()
    name = "인성교육_이수자_명단_" + "가" * 200 + ".csv"
    result = run_import(actor=office, source="character_education",
                        uploaded_file=SimpleUploadedFile(name, csv), dry_run=False)
    assert not result.errors
    created = CareerEntry.objects.get(student=student, kind="character_education")
    assert len(created.history.latest().history_change_reason) <= 100


def test_a_5000_character_redemption_refusal_and_selection_adjustment(client):
    from scholarships import services as scholarships
    from scholarships.models import Redemption, RedemptionStatus
    from scholarships.tests.test_redemption import window_for, with_points

    from accounts.models import Institution

    daegu = Institution.objects.create(code="daegu", name="대구대학교", programs=["du-heart", "career-mileage"])
    dep = daegu.campuses.create(code="gyeongsan", name="경산캠퍼스").departments.create(name="정보통신공학부")
    s = StudentFactory(major=dep.majors.create(name="컴퓨터정보공학전공"), admission_year=2021,
                       semesters_completed=6, flags={"national_scholarship_applied": True})
    from tests.factories import write_intro

    write_intro(s)
    with_points(s)
    window = window_for(s)
    office = staff_user(institution=daegu, central_office="학생지원팀")
    r = scholarships.redemption_request(actor=s.user, student=s, window=window, points=300)
    client.force_login(office)
    client.post(f"/scholarships/staff/redemptions/{r.pk}/refuse/", {"reason": LONG})
    r = Redemption.objects.get(pk=r.pk)
    assert r.status == RedemptionStatus.REFUSED and r.decision_reason == LONG
    assert len(Notification.objects.filter(user=s.user).latest("created_at").message) <= 500

    snapshot = scholarships.selection_run(actor=office, institution=daegu, year=2025)
    row = snapshot.rows.get(student=s)
    client.post(f"/scholarships/staff/selection/{snapshot.pk}/rows/{row.pk}/", {"selected": "1", "reason": LONG})
    row.refresh_from_db()
    assert row.adjusted and row.adjustments.get().reason == LONG and len(row.note) <= 500
