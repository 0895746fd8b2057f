"""Graduation certification in the portal: checklist, planner, application, committee, export."""
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from accounts.models import Role
from careers.demo import pdf_bytes
from careers.models import CareerEntry
from certification import planner, services
from certification.models import Application, ApplicationStatus, CommitteeMembership
from scoring.engine import evaluate
from scoring.inputs import student_document
from tests.factories import StudentFactory, UserFactory, entry, major

pytestmark = pytest.mark.django_db


@pytest.fixture
def senior():
    """A 10-3 (응용수학전공) freshman of 2022 in the graduation semester, with a TOEIC score."""
    student = StudentFactory(major=major("10-3"), admission_year=2022, year_level=4, semesters_completed=7,
                             expected_graduation=datetime.date(2027, 2, 20))
    entry(student, status="approved", data={"test": "TOEIC", "score": 705}, date=datetime.date(2025, 5, 10))
    return student


@pytest.fixture
def member(senior):
    user = UserFactory(role=Role.ADVISOR)
    CommitteeMembership.objects.create(user=user, major=senior.major, chair=True)
    return user


def test_the_student_sees_the_checklist_areas_and_planner(client, senior):
    client.force_login(senior.user)
    body = client.get("/certification/").content.decode()
    assert 'id="checklist"' in body and 'id="planner"' in body
    assert "TOEIC 705" in body  # the entry appears under its area with its points and reason
    assert "졸업인증" in body


def test_no_plan_says_passes_while_the_required_area_is_open(senior):
    senior.gpa = "2.50"  # below the GPA row: points are missing, and the required area is open
    senior.save()
    doc = student_document(senior, services.PROGRAM)
    result = planner.plan(doc)
    assert result["threshold"] is not None and not result["required_area_only"] and result["options"]
    for option in result["options"]:
        steps = [s["entry"] for s in option["steps"]]
        assert option["passes"] is False and option["missing"], option  # the course and sessions are open
        assert evaluate(planner._with(doc, steps))["passed"] is False
        if option["reaches_mark"]:  # the points are enough: with the required area it really passes
            filled = planner._with(planner._with(doc, planner._required_area_fillers(evaluate(doc), doc)), steps)
            assert evaluate(filled)["passed"] is True, option


def test_when_only_the_required_area_is_missing_the_planner_says_so(senior):
    doc = student_document(senior, services.PROGRAM)
    result = planner.plan(doc)
    current = evaluate(doc)
    assert current["passed"] is False and current["total"] >= current["threshold"]
    assert result["required_area_only"] is True and result["todo"]
    filled = planner._with(doc, planner._required_area_fillers(current, doc))
    assert evaluate(filled)["passed"] is True


def test_apply_in_the_graduation_semester_only(senior):
    early = StudentFactory(major=major("10-3"), semesters_completed=3, expected_graduation=datetime.date(2029, 2, 20))
    with pytest.raises(Exception):
        services.apply(actor=early.user, student=early)
    application = services.apply(actor=senior.user, student=senior)
    assert application.status == ApplicationStatus.APPLIED
    assert application.engine_result["program"] == "hankyong-grad-cert"
    with pytest.raises(Exception):
        services.apply(actor=senior.user, student=senior)  # once a semester


def test_an_exemption_request_needs_documents(senior):
    with pytest.raises(Exception):
        services.apply(actor=senior.user, student=senior, exemption="employed_final_semester")
    application = services.apply(actor=senior.user, student=senior, exemption="employed_final_semester",
                                 documents=[SimpleUploadedFile("재직증명서.pdf", pdf_bytes())])
    assert application.documents.count() == 1


def test_the_committee_adds_points_decides_and_exports(client, senior, member):
    application = services.apply(actor=senior.user, student=senior)
    area = application.engine_result["areas"][0]["area"]
    before = application.engine_result["total"]
    services.add_committee_points(actor=member, application=application, area=area, points=0.5,
                                  reason="학회 포스터 발표 (위원회 심사)")
    application.refresh_from_db()
    assert application.engine_result["total"] == pytest.approx(before + 0.5) or application.engine_result["total"] >= before
    manual = CareerEntry.objects.get(kind="manual", student=senior)
    assert manual.status == "approved" and manual.decided_by == member
    services.decide(actor=member, application=application, passed=True, reason="기준 충족")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PASSED and application.decided_by == member

    client.force_login(member)
    response = client.get("/certification/committee/", {"semester": application.semester, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "학번" and rows[1][0] == senior.student_no and rows[1][8] == "합격"


def test_only_the_majors_committee_decides(senior):
    application = services.apply(actor=senior.user, student=senior)
    outsider = UserFactory(role=Role.ADVISOR)
    CommitteeMembership.objects.create(user=outsider, major=major("2-2"))
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.decide(actor=outsider, application=application, passed=True, reason="x")
    with pytest.raises(PermissionDenied):
        services.decide(actor=senior.user, application=application, passed=True, reason="x")
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.APPLIED


def test_the_export_dates_a_decision_by_the_korean_calendar(client, senior, member):
    import time_machine

    application = services.apply(actor=senior.user, student=senior)
    # 00:30 in Seoul on 3 December is still 2 December in UTC.
    with time_machine.travel(datetime.datetime(2026, 12, 2, 15, 30, tzinfo=datetime.timezone.utc)):
        services.decide(actor=member, application=application, passed=True, reason="기준 충족")
    client.force_login(member)
    response = client.get("/certification/committee/", {"semester": application.semester, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert "2026-12-03" in rows[1]
