"""Issue 10 §2: an impossible input is refused naming the field everywhere — the portal's form, the
engine (`manage.py evaluate` exits 2, the API answers 400) — from one table of score scales."""
import json
from decimal import Decimal

import pytest

from careers.kinds import KIND_FORMS
from scoring.engine import InputError, validate
from scoring.engine.scales import SCORE_SCALES
from tests.test_evaluate_contract import du_heart_case, run_evaluate


def form_errors(**data):
    form = KIND_FORMS["language_test"](data={"date": "2017-06-01", **data})
    form.is_valid()
    return form.errors


def engine_error(test, score):
    entry = {"id": "x", "kind": "language_test", "test": test, "score": score, "date": "2017-06-01"}
    if test == "G_TELP":
        entry["level"] = 2
    try:
        validate({"program": "du-heart", "as_of": "2020-01-01", "entries": [entry]})
    except InputError as e:
        return e
    return None


@pytest.mark.parametrize("test", sorted(SCORE_SCALES))
def test_the_form_and_the_engine_refuse_the_same_out_of_range_scores(test):
    low, high, step = SCORE_SCALES[test]
    extra = {"level": "2"} if test == "G_TELP" else {}
    for bad in (high + step, low - step):
        if bad < 0:
            continue  # a negative score is refused by both as negative
        assert "score" in form_errors(test=test, score=str(bad), **extra), (test, bad)
        e = engine_error(test, float(bad))
        assert e is not None and e.field == "entries[0].score", (test, bad)
    for good in (low, high):
        assert form_errors(test=test, score=str(good), **extra) == {}
        assert engine_error(test, float(good)) is None


def test_manage_py_evaluate_exits_2_on_toeic_1500(tmp_path):
    doc = du_heart_case()
    doc["entries"][0]["score"] = 1500
    path = tmp_path / "case.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = run_evaluate("--input", str(path))
    assert result.returncode == 2
    assert result.stderr.strip() == "entries[0].score: TOEIC scores are between 10 and 990"


def test_manage_py_evaluate_exits_2_on_redemptions_above_the_balance(tmp_path):
    doc = du_heart_case(redemptions=[{"date": "2022-05-01", "points": 500}])  # TOEIC 705 accrued 300
    path = tmp_path / "case.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = run_evaluate("--input", str(path))
    assert result.returncode == 2 and result.stderr.startswith("redemptions[0].points: redeemed 500")


@pytest.mark.django_db
def test_the_api_answers_400_naming_the_field(client):
    from tests.factories import StudentFactory

    client.force_login(StudentFactory().user)
    doc = du_heart_case()
    doc["entries"][0]["submitted_on"] = "2022-03-01"  # before the test date 2022-03-10
    bad = client.post("/api/v1/evaluate/", doc, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "entries[0].submitted_on"
    doc = du_heart_case()
    doc["entries"][0]["score"] = 1500
    bad = client.post("/api/v1/evaluate/", doc, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "entries[0].score"


def test_the_form_still_checks_the_step_the_engine_leaves_to_rule_cases():
    assert "score" in form_errors(test="TOEIC", score="649")
    assert engine_error("TOEIC", 649) is None
    assert Decimal("649") % SCORE_SCALES["TOEIC"][2] != 0
