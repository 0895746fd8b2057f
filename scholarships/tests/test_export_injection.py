"""Excel formula injection (issue 12): text a user typed that starts with = + - @ (or a tab or a
carriage return) is written as text in every export, never as a formula."""
import datetime
import io

import pytest
from openpyxl import load_workbook

from accounts.models import Role
from scholarships.models import SelectionSnapshot
from scoring.models import StoredResult
from tests.factories import StudentFactory, UserFactory, entry, major

pytestmark = pytest.mark.django_db

PAYLOADS = ["=HYPERLINK(\"http://evil.example\",\"클릭\")", "+SUM(1,2)", "-2+3", "@SUM(A1)",
            "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]


def cells(response):
    """Every cell of the export (openpyxl's cell objects: value and data type)."""
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def assert_written_as_text(found, payload):
    # (a carriage return comes back from the file as a line feed: XML normalises line ends)
    matching = [c for c in found if isinstance(c.value, str) and c.value.lstrip("'\t\r\n").startswith(
        payload.lstrip("\t\r"))]
    assert matching, f"{payload!r} not exported"
    for cell in matching:
        assert cell.data_type == "s", (payload, cell.data_type)
        assert cell.value.startswith("'"), cell.value  # OWASP: a leading quote makes it text


def with_mileage(major_, name, level=3, total=500):
    s = StudentFactory(major=major_, year_level=level, name=name)
    StoredResult.objects.create(student=s, program="career-mileage", ruleset="career-mileage", ruleset_version="t",
                                total=total, result={"total": total, "items": []}, input_digest="x")
    return s


@pytest.mark.parametrize("payload", PAYLOADS)
def test_names_in_the_priority_list_export_are_text(client, office, daegu_major, payload):
    with_mileage(daegu_major, payload)
    client.force_login(office)
    assert_written_as_text(cells(client.get("/scholarships/staff/priority/", {"export": "xlsx"})), payload)


def test_names_in_the_hiring_search_export_are_text(client, office, daegu_major):
    for payload in PAYLOADS:
        with_mileage(daegu_major, payload)
    client.force_login(office)
    found = cells(client.get("/scholarships/staff/hiring/", {"year_levels": ["3"], "export": "xlsx"}))
    for payload in PAYLOADS:
        assert_written_as_text(found, payload)


def test_selection_reasons_and_names_in_the_rainbow_export_are_text(client, daegu, office, daegu_major):
    student = with_mileage(daegu_major, "=1+1", level=1, total=800)
    client.force_login(office)
    client.post("/scholarships/staff/selection/", {"year": 2025})
    snapshot = SelectionSnapshot.objects.get()
    row = snapshot.rows.get(student=student)
    client.post(f"/scholarships/staff/selection/{snapshot.pk}/rows/{row.pk}/",
                {"selected": "1", "reason": "@SUM(1+1)*cmd|' /C calc'!A0"})
    found = cells(client.get(f"/scholarships/staff/selection/{snapshot.pk}/export/"))
    assert_written_as_text(found, "=1+1")
    assert_written_as_text(found, "@SUM(1+1)")


def test_committee_reason_exemption_and_name_in_the_certification_export_are_text(client):
    from certification import services as certification
    from certification.models import Application, CommitteeMembership

    senior = StudentFactory(major=major("10-3"), admission_year=2022, year_level=4, semesters_completed=7,
                            expected_graduation=datetime.date.today() + datetime.timedelta(days=60),
                            name="-2+3 홍길동")
    entry(senior, status="approved", data={"test": "TOEIC", "score": 705}, date=datetime.date(2025, 5, 10))
    member = UserFactory(role=Role.ADVISOR)
    CommitteeMembership.objects.create(user=member, major=senior.major)
    application = certification.apply(actor=senior.user, student=senior)
    # An exemption value stored before the choice was validated is exported as it was stored.
    Application.objects.filter(pk=application.pk).update(exemption="=HYPERLINK(\"x\")")
    certification.decide(actor=member, application=application, passed=False, reason="=cmd|' /C calc'!A0 기준 미달")
    client.force_login(member)
    found = cells(client.get("/certification/committee/", {"semester": application.semester, "format": "xlsx"}))
    for payload in ("-2+3 홍길동", "=HYPERLINK(", "=cmd|"):
        assert_written_as_text(found, payload)
    numbers = [c.value for c in found if c.column == 5 and c.row > 1]  # 점수 stays a number
    assert all(isinstance(v, (int, float)) for v in numbers)


def test_the_helper_leaves_numbers_dates_and_plain_text_alone():
    from mileage_portal.excel import safe_cell, sheet_title

    assert safe_cell(-5) == -5 and safe_cell(3.5) == 3.5 and safe_cell(None) is None
    assert safe_cell("2026-2") == "2026-2" and safe_cell("홍길동") == "홍길동"
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("a\x00b\x07") == "ab"
    assert sheet_title("2026/2:[x]*?") == "2026_2__x___" and len(sheet_title("가" * 40)) == 31
