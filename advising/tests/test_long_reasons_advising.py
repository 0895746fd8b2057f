"""Advising decisions with a 5,000-character reason (issue 12): the reason is stored whole, only
the history row's copy is cut."""
import datetime

import pytest

from accounts.models import Institution, Role
from advising import services
from advising.models import AdvisorProfile, MentorChange
from audit.models import AuditEvent
from careers.models import CareerEntry, EntryStatus
from tests.factories import StudentFactory, UserFactory, staff_user, write_intro

pytestmark = pytest.mark.django_db
LONG = ("연구년 파견으로 지도가 어려워 교체합니다. " * 250)[:5000]


def advisor(major, name):
    user = UserFactory(role=Role.ADVISOR, display_name=name)
    AdvisorProfile.objects.create(user=user, major=major, year_levels=[], accepts_mentees=True)
    return user


@pytest.fixture
def mentee():
    inst = Institution.objects.create(code="daegu", name="대구대학교", programs=["du-heart", "career-mileage"])
    major = inst.campuses.create(code="gyeongsan", name="경산캠퍼스").departments.create(
        name="정보통신공학부").majors.create(name="컴퓨터정보공학전공")
    advisor(major, "김교수")
    student = StudentFactory(major=major, admission_year=2023)
    student.refresh_from_db()
    write_intro(student)
    return student


def test_a_mentor_change_with_a_long_reason(client, mentee):
    new, other = advisor(mentee.major, "이교수"), advisor(mentee.major, "박교수")
    staff = staff_user(department=mentee.major.department)
    client.force_login(staff)  # the page's form takes up to 1,000 characters
    response = client.post(f"/advising/students/{mentee.pk}/mentor/", {"mentor": new.pk, "reason": LONG[:1000]})
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.mentor == new and MentorChange.objects.get(actor=staff).reason == LONG[:1000]
    assert len(mentee.history.latest().history_change_reason) <= 100
    services.mentor_change(actor=staff, student=mentee, mentor=other, reason=LONG)  # the service: any length
    assert MentorChange.objects.filter(actor=staff, mentor=other).get().reason == LONG


def test_deleting_a_session_with_a_5000_character_reason_revokes_its_entry(mentee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        session = services.session_log(actor=mentee.mentor, student=mentee, type="mentor",
                                       date=datetime.date.today())
        services.session_delete(actor=mentee.mentor, session=session, reason=LONG)
    revoked = CareerEntry.objects.get(pk=session.entry_id)
    assert (revoked.status, revoked.decision_reason) == (EntryStatus.REVOKED, LONG)
    assert AuditEvent.objects.get(action="counseling.delete").reason == LONG
