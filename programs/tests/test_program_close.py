"""Seed 001's two-step close: department closes with attendance, the central office approves,
and only then do the attendees' program entries become approved on the program's end date."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from careers.models import CareerEntry, EntryStatus
from programs import services
from programs.models import ProgramStatus
from tests.factories import StudentFactory, major, staff_user

pytestmark = pytest.mark.django_db
END = datetime.date(2025, 10, 31)


@pytest.fixture
def setup():
    department = major("10-3").department
    dept_staff = staff_user(department=department)
    central = staff_user(central_office="학생성장지원팀")
    program = services.program_create(actor=dept_staff, department=department, title="AI 기초 부트캠프",
                                      category="learning", hours=12, certified=True,
                                      starts_on=datetime.date(2025, 10, 1), ends_on=END)
    students = [StudentFactory() for _ in range(3)]
    for s in students:
        services.program_apply(actor=s.user, program=program)
    return program, dept_staff, central, students


def test_two_step_close_through_to_the_entries(client, setup):
    program, dept_staff, central, (present, also_present, absent) = setup
    services.attendance_record(actor=dept_staff, program=program,
                               attended_student_ids=[present.pk, also_present.pk])
    services.program_request_close(actor=dept_staff, program=program)
    program.refresh_from_db()
    assert program.status == ProgramStatus.CLOSE_REQUESTED
    assert not CareerEntry.objects.filter(kind="program").exists()  # nothing before the central office

    services.program_approve_close(actor=central, program=program)
    program.refresh_from_db()
    assert program.status == ProgramStatus.CLOSED
    entries = CareerEntry.objects.filter(kind="program").order_by("student__student_no")
    assert [e.student for e in entries] == sorted([present, also_present], key=lambda s: s.student_no)
    for e in entries:
        assert e.status == EntryStatus.APPROVED and e.date == END  # mileage accrues on the end date
        assert e.data == {"title": "AI 기초 부트캠프", "hours": 12, "certified": True, "category": "learning",
                          "provider": "department"}
        assert e.source == f"program:{program.pk}"
    assert not CareerEntry.objects.filter(student=absent).exists()


def test_the_department_cannot_approve_its_own_close(setup):
    program, dept_staff, central, students = setup
    services.attendance_record(actor=dept_staff, program=program, attended_student_ids=[students[0].pk])
    services.program_request_close(actor=dept_staff, program=program)
    with pytest.raises(PermissionDenied):
        services.program_approve_close(actor=dept_staff, program=program)
    with pytest.raises(PermissionDenied):
        services.program_approve_close(actor=students[0].user, program=program)


def test_close_needs_attendance_for_everyone_and_the_end_date_passed(setup):
    program, dept_staff, central, students = setup
    with pytest.raises(ValidationError):
        services.program_request_close(actor=dept_staff, program=program)  # attendance missing
    other = staff_user(department=major("2-2").department)
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=other, program=program, attended_student_ids=[])
    future = services.program_create(actor=dept_staff, department=program.department, title="미래 캠프",
                                     category="other", hours=2, starts_on=datetime.date.today(),
                                     ends_on=datetime.date.today() + datetime.timedelta(days=30))
    with pytest.raises(ValidationError):
        services.program_request_close(actor=dept_staff, program=future)


def test_the_central_office_can_return_a_close_with_a_reason(setup):
    program, dept_staff, central, students = setup
    services.attendance_record(actor=dept_staff, program=program, attended_student_ids=[])
    services.program_request_close(actor=dept_staff, program=program)
    with pytest.raises(ValidationError):
        services.program_return_close(actor=central, program=program, reason="")
    services.program_return_close(actor=central, program=program, reason="출석부 서명 누락")
    program.refresh_from_db()
    assert program.status == ProgramStatus.OPEN and program.note == "출석부 서명 누락"


def test_pages_walk_the_same_path(client, setup):
    program, dept_staff, central, students = setup
    client.force_login(dept_staff)
    client.post(f"/programs/{program.pk}/attendance/", {"attended": [students[0].pk]})
    client.post(f"/programs/{program.pk}/request-close/")
    client.force_login(central)
    assert "AI 기초 부트캠프" in client.get("/programs/").content.decode()
    client.post(f"/programs/{program.pk}/approve-close/")
    assert CareerEntry.objects.filter(kind="program", status=EntryStatus.APPROVED).count() == 1
    client.force_login(students[1].user)
    assert client.post(f"/programs/{program.pk}/approve-close/").status_code == 302
    client.force_login(StudentFactory(major=major("2-2")).user)
    assert client.get(f"/programs/{program.pk}/").status_code == 200  # same university: visible
