"""Issue 10 "done when": `manage.py evaluate` on a folder of cases and the portal agree on the same
students. The portal's own contract input for each student and program (scoring.inputs) is written
to a folder, the command evaluates the folder, and every result equals what the portal stored."""
import datetime
import json

import pytest
from django.core.management import call_command

from accounts.models import Institution
from careers.models import EntryStatus
from scholarships import services as scholarship_services
from scholarships.models import RedemptionWindow
from scoring.inputs import student_document
from scoring.models import StoredResult
from scoring.services import programs_for, recompute_student
from tests.factories import StudentFactory, entry, major, staff_user, write_intro

pytestmark = pytest.mark.django_db

RECENT = datetime.date.today() - datetime.timedelta(days=40)
APPROVED = EntryStatus.APPROVED


def _hankyong_students():
    senior = StudentFactory(major=major("10-3"), admission_year=2022, year_level=4, semesters_completed=7,
                            expected_graduation=datetime.date(2027, 2, 20), gpa="3.80")
    for kind, data, date in [
        ("language_test", {"test": "TOEIC", "score": 705}, datetime.date(2025, 5, 10)),
        ("certificate", {"name": "정보처리기사", "category": "national_technical", "tier": "기사"},
         datetime.date(2025, 6, 1)),
        ("patent", {"title": "스마트 화분", "type": "patent", "status": "registered"}, datetime.date(2025, 4, 1)),
        ("volunteer", {"organization": "대한적십자사", "hours": 30, "verified_by": "1365"}, datetime.date(2024, 8, 1)),
        ("manual", {"area": "committee", "points": 0.5, "reason": "학회 발표", "program": "hankyong-grad-cert"},
         datetime.date(2025, 11, 1)),
        ("course", {"name": "진로선택과 취업준비", "grade": "A+", "credit_bearing": True}, datetime.date(2024, 6, 20)),
        ("character_education", {}, datetime.date(2024, 4, 1)),
        ("counseling", {"type": "mentor"}, datetime.date(2024, 4, 2)),
    ]:
        entry(senior, kind=kind, data=data, status=APPROVED, date=date)
    entry(senior, data={"test": "TOEIC", "score": 900}, status=EntryStatus.SUBMITTED, date=RECENT)  # waiting
    junior = StudentFactory(major=major("2-1"), admission_year=2024, year_level=2, semesters_completed=3)
    entry(junior, data={"test": "TOEIC", "score": 450}, status=APPROVED, date=datetime.date(2024, 5, 1))
    entry(junior, data={"test": "TOEIC", "score": 600}, status=APPROVED, date=datetime.date(2025, 5, 1))
    entry(junior, kind="award", data={"title": "캡스톤", "scale": "campus", "prize": "excellence", "team_size": 2},
          status=EntryStatus.REVOKED, date=datetime.date(2025, 6, 1))
    return [senior, junior]


def _daegu_student():
    daegu = Institution.objects.create(code="daegu", name="대구대학교", programs=["du-heart", "career-mileage"])
    dep = daegu.campuses.create(code="gyeongsan", name="경산캠퍼스").departments.create(name="정보통신공학부")
    student = StudentFactory(major=dep.majors.create(name="컴퓨터정보공학전공"), admission_year=2021,
                             semesters_completed=6, flags={"national_scholarship_applied": True})
    write_intro(student)
    entry(student, data={"test": "TOEIC", "score": 905}, status=APPROVED, date=RECENT)
    entry(student, kind="program", data={"title": "취업 캠프", "hours": 12, "category": "employment",
                                         "provider": "campus"}, status=APPROVED, date=RECENT)
    recompute_student(student_id=student.pk)
    # a confirmed redemption, so the du-heart input carries redemptions and a balance
    office = staff_user(institution=daegu, central_office="학생지원팀")
    today = datetime.date.today()
    window = RedemptionWindow.objects.create(institution=daegu, semester="2026-2", opens_on=today,
                                             closes_on=today + datetime.timedelta(7), tuition_won=4_000_000,
                                             created_by=office)
    request = scholarship_services.redemption_request(actor=student.user, student=student, window=window, points=300)
    scholarship_services.redemption_confirm(actor=office, redemption=request)
    return student


def _comparable(result):
    keys = ("entry_id", "rule", "area", "points", "counted", "reason", "accrued_on")
    return {"total": result["total"], "passed": result["passed"], "balance": result["balance"],
            "ruleset": result["ruleset"], "requirements": result["requirements"],
            "items": [{k: i.get(k) for k in keys} for i in result["items"]]}


def test_the_evaluate_command_and_the_portal_agree_on_the_same_students(tmp_path):
    students = [*_hankyong_students(), _daegu_student()]
    cases, outputs = tmp_path / "cases", tmp_path / "out"
    cases.mkdir()
    expected = {}
    for student in students:
        recompute_student(student_id=student.pk)
        for program in programs_for(student):
            name = f"{student.student_no}-{program}.json"
            (cases / name).write_text(json.dumps(student_document(student, program), ensure_ascii=False),
                                      encoding="utf-8")
            stored = StoredResult.objects.get(student=student, program=program)
            assert stored.error == "", (name, stored.error)
            expected[name] = stored.result
    assert len(expected) == 6  # 2 Hankyong students × 2 programs, 1 Daegu student × 2 programs

    call_command("evaluate", input=str(cases), output=str(outputs))

    for name, stored in expected.items():
        produced = json.loads((outputs / name).read_text(encoding="utf-8"))
        assert _comparable(produced) == _comparable(stored), name
    # the comparison is not empty: the cases hold entries, items and a redemption
    daegu = next(n for n in expected if n.endswith("du-heart.json"))
    assert expected[daegu]["balance"] == expected[daegu]["total"] - 300 and expected[daegu]["items"]
