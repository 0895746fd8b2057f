"""Every Hankyong major of seed 004's table of contents has its rule set, answering the contract,
with at least three test cases beside it (a pass, a fail just under the mark, a cap biting)."""
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from accounts.hankyong_majors import HANKYONG_MAJORS
from scoring.engine import evaluate

RULES = Path(settings.RULES_DIR) / "hankyong-grad-cert"


def doc(code, campus, graduation="2027-02-20"):
    return {"program": "hankyong-grad-cert", "as_of": "2026-11-20",
            "student": {"student_no": "1", "campus": campus, "major": code, "admission_year": 2023,
                        "admission_type": "freshman", "expected_graduation": graduation,
                        "semesters_completed": 7, "flags": {}},
            "entries": []}


@pytest.mark.parametrize("code,school,major,campus", HANKYONG_MAJORS, ids=[m[0] for m in HANKYONG_MAJORS])
def test_each_major_answers_the_contract(code, school, major, campus):
    result = evaluate(doc(code, campus))
    assert result["ruleset"] == f"hankyong/{code}"
    assert result["threshold"] in (2.0, 3.0, 3.5)
    assert result["passed"] is False and result["total"] == 0  # nothing recorded: not passed, no points
    assert any(r["id"] == "designated_course" and not r["met"] for r in result["requirements"])
    cases = yaml.safe_load((RULES / "tests" / f"{code}.yaml").read_text(encoding="utf-8"))
    assert len(cases) >= 3


def test_8_2_picks_its_rule_set_by_graduation_date():
    before = evaluate(doc("8-2", "anseong", graduation="2026-02-20"))
    after = evaluate(doc("8-2", "anseong", graduation="2026-08-20"))
    assert before["ruleset_version"] != after["ruleset_version"]
    assert (before["threshold"], after["threshold"]) == (3.0, 3.5)


@pytest.mark.django_db
@pytest.mark.parametrize("code", [m[0] for m in HANKYONG_MAJORS])
def test_a_student_of_every_major_sees_the_checklist_and_planner(client, code):
    import datetime

    from tests.factories import StudentFactory, entry, major

    student = StudentFactory(major=major(code), admission_year=2023, year_level=4, semesters_completed=7,
                             expected_graduation=datetime.date(2027, 2, 20))
    entry(student, status="approved", data={"test": "TOEIC", "score": 705}, date=datetime.date(2025, 5, 10))
    client.force_login(student.user)
    body = client.get("/certification/").content.decode()
    assert 'id="checklist"' in body and 'id="planner"' in body and f"hankyong/{code}" in body
