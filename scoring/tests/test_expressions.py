"""The safe expression language: a whitelist compiled to closures, never eval."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from scoring.engine.errors import ExpressionError
from scoring.engine.expressions import (cert_key, cert_name, compile_expression, compile_template, fmt,
                                        semester_end, semester_of)

CTX = {"entry": {"test": "TOEIC", "score": 705, "role": None, "tags": ["a"], "date": dt.date(2021, 5, 1)},
       "student": {"flags": {"leave_2021": True}, "gpa": 3.41}, "as_of": dt.date(2024, 1, 15)}


def ev(src, ctx=CTX, tables=None):
    return compile_expression(src, tables)(ctx)


@pytest.mark.parametrize("src, expected", [
    ("entry.score >= 700", True),
    ("entry.test == 'TOEIC' and entry.score < 800", True),
    ("entry.role in [None, 'first']", True),
    ("entry.missing", None),
    ("entry.missing.deeper", None),
    ("entry.missing > 3", False),             # ordering with None is false, not an error
    ("entry.test > 3", False),                # mixed types: false
    ("entry.missing + 1", None),
    ("entry.team_size or 1", 1),
    ("student.flags.leave_2021", True),
    ("not student.flags.athlete", True),
    ("student.gpa * 2", 6.82),
    ("entry.date < date('2021-03-01')", False),
    ("add_years(entry.date, 2)", dt.date(2023, 5, 1)),
    ("days(date('2024-01-01'), date('2024-01-31'))", 31),
    ("'a' in entry.tags", True),
    ("entry.tags[0]", "a"),
    ("entry.tags[5]", None),
    ("1 < entry.score / 100 < 8", True),
    ("'yes' if entry.score > 900 else 'no'", "no"),
    ("norm(' GTQ (그래픽) 1급 ')", "gtq그래픽1급"),
    ("max(1, None, 3)", 3),
    ("true and null == None", True),
])
def test_expression_semantics(src, expected):
    assert ev(src) == expected


@pytest.mark.parametrize("src", [
    "__import__('os')", "entry.__class__", "entry._secret", "lambda: 1", "[x for x in [1]]",
    "{k: 1 for k in 'ab'}", "eval('1')", "exec('x=1')", "open('f')", "getattr(entry, 'x')",
    "entry.get('x')", "os", "x := 1", "f'{entry}'", "entry.test(1)", "min(key=1)", "*entry",
    "date('not a date')", "", "   ", "listed(entry.test, 'nope')", "table.nope",
])
def test_refused_expressions(src):
    with pytest.raises(ExpressionError):
        compile_expression(src, {})


def test_non_string_expression_is_refused_but_constants_are_allowed():
    with pytest.raises(ExpressionError):
        compile_expression(["x"])
    assert compile_expression(True)({}) is True


def test_table_functions_normalise_names():
    tables = {"names": ["공인회계사", "사법 시험"], "aliases": {"컴활": "컴퓨터활용능력"}}
    assert ev("listed(' 사법시험', 'names')", tables=tables) is True
    assert ev("alias('컴활', 'aliases')", tables=tables) == "컴퓨터활용능력"
    assert ev("alias('컴활 1급', 'aliases')", tables=tables) == "컴퓨터활용능력1급"
    assert ev("alias('워드', 'aliases')", tables=tables) == "워드"


def test_context_functions_are_only_for_requirements():
    with pytest.raises(ExpressionError):
        compile_expression("counted('x') > 0", {})


def test_certificate_keys():
    assert cert_key("컴퓨터활용능력", "1") == cert_key("컴퓨터활용능력 1급", None) == "컴퓨터활용능력1급"
    assert cert_key("ITQ", "A") == "itqa급"
    assert cert_name("한국사능력검정시험 3급") == "한국사능력검정시험"
    assert cert_key("KBS한국어능력시험", "2+급") == "kbs한국어능력시험2급"


def test_semesters():
    assert semester_of(dt.date(2022, 3, 1)) == (2022, 1)
    assert semester_of(dt.date(2023, 2, 28)) == (2022, 2)
    assert semester_end(dt.date(2022, 5, 5)) == dt.date(2022, 8, 31)
    assert semester_end(dt.date(2023, 1, 5)) == dt.date(2023, 2, 28)
    assert semester_end(dt.date(2024, 1, 5)) == dt.date(2024, 2, 29)


def test_templates_and_number_formatting():
    t = compile_template("{entry.test} {entry.score}: {entry.missing}")
    assert t(CTX) == "TOEIC 705: -"
    assert [fmt(x) for x in (Decimal("300"), Decimal("2.30"), 12.5, 3, None, True)] == \
        ["300", "2.3", "12.5", "3", "-", "yes"]
