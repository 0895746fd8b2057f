"""Contract input: malformed fields are errors naming the field path; defaults are filled in."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from scoring.engine import InputError, evaluate
from scoring.engine.inputs import validate


def du(entries=None, **kw):
    d = {"program": "du-heart", "as_of": "2024-01-15", "entries": [] if entries is None else entries}
    d.update(kw)
    return d


def error_of(d) -> str:
    with pytest.raises(InputError) as exc:
        evaluate(d)
    return str(exc.value)


def test_input_error_str_is_field_colon_message():
    e = InputError("entries[3].score", "expected a number")
    assert (e.field, e.message, str(e)) == ("entries[3].score", "expected a number", "entries[3].score: expected a number")


@pytest.mark.parametrize("d, message", [
    ([], "(document): expected a JSON object"),
    ({}, "program: required"),
    ({"program": 7}, "program: expected a string"),
    ({"program": "x"}, "program: unknown program 'x'"),
    (du(as_of="15/01/2024"), "as_of: expected a date (YYYY-MM-DD)"),
    (du(student=[]), "student: expected an object"),
    (du(student={"gpa": "3.4"}), "student.gpa: expected a number"),
    (du(student={"gpa": True}), "student.gpa: expected a number"),
    (du(student={"campus": "seoul"}), "student.campus: expected one of anseong, pyeongtaek"),
    (du(student={"admission_year": 2021.5}), "student.admission_year: expected an integer"),
    (du(student={"year_level": 7}), "student.year_level: expected 1 to 5"),
    (du(student={"flags": {"athlete": "yes"}}), "student.flags.athlete: expected true or false"),
    (du(entries={}), "entries: expected a list"),
    (du([1]), "entries[0]: expected an object"),
    (du([{"kind": "program", "hours": 1, "date": "2023-01-01"}]), "entries[0].id: required"),
    (du([{"id": 1, "kind": "program"}]), "entries[0].id: expected a string"),
    (du([{"id": "a", "kind": "program", "hours": 1, "date": "2023-01-01"},
         {"id": "a", "kind": "program", "hours": 1, "date": "2023-01-01"}]), "entries[1].id: duplicate id 'a'"),
    (du([{"id": "a", "date": "2023-01-01"}]), "entries[0].kind: required"),
    (du([{"id": "a", "kind": "x", "date": "2023-01-01"}]), "entries[0].kind: unknown kind 'x'"),
    (du([{"id": "a", "kind": "program", "hours": 2}]), "entries[0].date: required"),
    (du([{"id": "a", "kind": "program", "date": "2023-01-01"}]), "entries[0].hours: required"),
    (du([{"id": "a", "kind": "program", "hours": -1, "date": "2023-01-01"}]), "entries[0].hours: must not be negative"),
    (du([{"id": "a", "kind": "program", "hours": 3, "date": "2023-02-30"}]), "entries[0].date: expected a date (YYYY-MM-DD)"),
    (du([{"id": "a", "kind": "program", "hours": 3, "date": "2023-01-01", "status": "ok"}]),
     "entries[0].status: expected one of approved, submitted, rejected"),
    (du([{"id": "a", "kind": "program", "hours": 3, "date": "2023-01-01", "submitted_on": 20230101}]),
     "entries[0].submitted_on: expected a date (YYYY-MM-DD)"),
    (du([{"id": "a", "kind": "language_test", "test": "TOEIC", "score": "900", "date": "2023-01-01"}]),
     "entries[0].score: expected a number"),
    (du([{"id": "a", "kind": "language_test", "test": "TOEIC", "date": "2023-01-01"}]),
     "entries[0].score: required for TOEIC"),
    (du([{"id": "a", "kind": "language_test", "test": "TOEIK", "score": 900, "date": "2023-01-01"}]),
     "entries[0].test: expected one of TOEIC, TOEIC_SPEAKING, TOEFL_IBT, TOEFL_PBT, TOEFL_CBT, TEPS, NEW_TEPS, "
     "IELTS, OPIC, G_TELP, JLPT, JPT, HSK, CPT, TORFL, ZD, DELF, TCF, TOPIK, NEAT, CIVIL_SERVICE_ENGLISH"),
    (du([{"id": "a", "kind": "language_test", "test": "OPIC", "grade": "XL", "date": "2023-01-01"}]),
     "entries[0].grade: expected one of AL, IH, IM3, IM2, IM1, IL, NH, NM, NL for OPIC"),
    (du([{"id": "a", "kind": "language_test", "test": "G_TELP", "score": 70, "date": "2023-01-01"}]),
     "entries[0].level: required for G_TELP"),
    (du([{"id": "a", "kind": "award", "scale": "galactic", "date": "2023-01-01"}]),
     "entries[0].scale: expected one of international, national_1, national_2, campus, department"),
    (du([{"id": "a", "kind": "award", "scale": "campus", "team_size": 0, "date": "2023-01-01"}]),
     "entries[0].team_size: must be 1 or more"),
    (du([{"id": "a", "kind": "paper", "venue": "kci", "fee_funded_by_school": "no", "date": "2023-01-01"}]),
     "entries[0].fee_funded_by_school: expected true or false"),
    (du([{"id": "a", "kind": "internship", "start": "2023-02-01", "end": "2023-01-01"}]),
     "entries[0].end: before start"),
    (du([{"id": "a", "kind": "manual", "area": "어학", "points": -5, "date": "2023-01-01"}]),
     "entries[0].points: must not be negative"),
    (du([{"id": "a", "kind": "patent", "type": "patent", "date": "2023-01-01"}]),
     "entries[0].stage: required for a patent: filed or registered"),
    (du([{"id": "a", "kind": "patent", "type": "patent", "stage": "granted", "date": "2023-01-01"}]),
     "entries[0].stage: expected one of filed, registered"),
    (du(redemptions=[{"date": "2023-01-01"}]), "redemptions[0].points: required"),
    (du(redemptions=[{"date": "2023-01-01", "points": "300"}]), "redemptions[0].points: expected a number"),
    (du(redemptions=[{"points": 300}]), "redemptions[0].date: required"),
])
def test_malformed_input_names_the_field(d, message):
    assert error_of(d) == message


def test_unknown_kind_is_an_error_even_if_no_rule_would_look_at_it():
    assert error_of(du([{"id": "a", "kind": "trophy", "date": "2023-01-01"}])) == "entries[0].kind: unknown kind 'trophy'"


def test_defaults_are_filled_in():
    case = validate({"program": "du-heart", "as_of": "2024-01-15", "student": {"admission_year": 2022},
                     "entries": [{"id": "a", "kind": "program", "hours": 3, "date": "2022-02-27"},
                                 {"id": "b", "kind": "internship", "start": "2022-07-01", "end": "2022-08-01"}]})
    a, b = case.entries
    assert a["status"] == "approved" and a["submitted_on"] == a["date"] == dt.date(2022, 2, 27)
    assert a["before_admission"] is True
    assert b["date"] == dt.date(2022, 8, 1) and b["before_admission"] is False


def test_dates_and_decimals_from_a_database_are_accepted():
    r = evaluate({"program": "du-heart", "as_of": dt.date(2024, 1, 15),
                  "entries": [{"id": "a", "kind": "program", "hours": Decimal("12.0"), "date": dt.date(2023, 5, 1)}],
                  "redemptions": [{"date": dt.datetime(2023, 6, 1, 10, 0), "points": Decimal("5")}]})
    assert (r["total"], r["balance"]) == (12, 7)


@pytest.mark.parametrize("test, grade, canonical", [
    ("OPIC", "im2", "IM2"), ("OPIC", "IM", "IM1"), ("JLPT", "1", "N1"), ("JLPT", "n2", "N2"),
    ("HSK", 5, "5"), ("HSK", "5급", "5"), ("TOPIK", "4급", "4"), ("TORFL", "기본", "basic"),
    ("ZD", "b2", "B2"), ("DELF", "C1", "C1"),
])
def test_language_grades_are_normalised(test, grade, canonical):
    case = validate(du([{"id": "a", "kind": "language_test", "test": test, "grade": grade, "date": "2023-01-01"}]))
    assert case.entries[0]["grade"] == canonical


def test_an_older_patent_status_is_read_as_the_stage_and_approved():
    case = validate(du([{"id": "a", "kind": "patent", "type": "patent", "status": "registered", "date": "2023-01-01"},
                        {"id": "b", "kind": "patent", "type": "design", "status": "filed",
                         "review_status": "submitted", "date": "2023-01-01"}]))
    a, b = case.entries
    assert (a["stage"], a["status"]) == ("registered", "approved")
    assert (b["stage"], b["status"]) == ("filed", "submitted")


def test_a_patent_stage_and_its_review_status_are_two_fields():
    # the portal's shape (careers.models.contract_entry): stage = the patent's, status = the review's
    case = validate(du([{"id": "a", "kind": "patent", "type": "patent", "stage": "registered", "status": "submitted",
                         "date": "2023-01-01"},
                        {"id": "b", "kind": "patent", "type": "patent", "stage": "filed", "status": "rejected",
                         "date": "2023-01-01"}]))
    a, b = case.entries
    assert (a["stage"], a["status"]) == ("registered", "submitted")
    assert (b["stage"], b["status"]) == ("filed", "rejected")
    assert a["patent_status"] == "registered"  # rule files published with the engine's earlier name still read it


def test_missing_as_of_defaults_to_today():
    r = evaluate({"program": "du-heart", "entries": [{"id": "a", "kind": "program", "hours": 1, "date": "2022-01-01"}]},
                 today=dt.date(2024, 1, 1))
    assert r["total"] == 2


def test_extra_fields_are_ignored():
    r = evaluate(du([{"id": "a", "kind": "program", "hours": 1, "date": "2022-05-01", "colour": "blue"}],
                    extra={"x": 1}))
    assert r["total"] == 2


def test_output_has_every_contract_field():
    r = evaluate(du([{"id": "a", "kind": "program", "hours": 1, "date": "2022-05-01"}]))
    assert set(r) == {"program", "ruleset", "ruleset_version", "total", "threshold", "passed", "exempt",
                      "not_applicable", "requirements", "areas", "items", "balance"}
    assert isinstance(r["total"], int) and isinstance(r["balance"], int)
    item = r["items"][0]
    assert {"entry_id", "rule", "points", "counted", "reason"} <= set(item)
