"""The score scale of every scored language test: (lowest, highest, step).

One table for the engine (inputs.py refuses a score off its test's scale, e.g.
`entries[3].score: a TOEIC score is between 10 and 990`) and for the portal's form
(careers/kinds.py imports it), so what a student cannot enter the engine refuses too.
Steps are the tests' own reporting units (TOEIC in 5s, IELTS in halves). Pure Python: the
engine imports no Django.

NEAT (국가영어능력평가시험, discontinued 2014) reported up to 320 at level 1; we accept 0-320.
TEPS is the old 990-point test, NEW_TEPS the 600-point one (from round 248, 2018-05-12).
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

SCORE_SCALES: dict[str, tuple[Decimal, Decimal, Decimal]] = {
    "TOEIC": (Decimal(10), Decimal(990), Decimal(5)),
    "TOEIC_SPEAKING": (Decimal(0), Decimal(200), Decimal(10)),
    "TOEFL_IBT": (Decimal(0), Decimal(120), Decimal(1)),
    "TOEFL_PBT": (Decimal(310), Decimal(677), Decimal(1)),
    "TOEFL_CBT": (Decimal(0), Decimal(300), Decimal(1)),
    "TEPS": (Decimal(10), Decimal(990), Decimal(1)),
    "NEW_TEPS": (Decimal(10), Decimal(600), Decimal(1)),
    "IELTS": (Decimal(0), Decimal(9), Decimal("0.5")),
    "G_TELP": (Decimal(0), Decimal(100), Decimal(1)),
    "JPT": (Decimal(10), Decimal(990), Decimal(5)),
    "CPT": (Decimal(0), Decimal(1000), Decimal(1)),
    "TCF": (Decimal(100), Decimal(699), Decimal(1)),
    "NEAT": (Decimal(0), Decimal(320), Decimal(1)),
    "CIVIL_SERVICE_ENGLISH": (Decimal(0), Decimal(100), Decimal(1)),
}


def number_text(d: Decimal) -> str:
    """990, 0.5 (no exponent, no trailing zeros)."""
    return format(d.normalize(), "f")


def score_problem(test: str, score, steps: bool = False) -> str | None:
    """Why `score` is no score of `test` (English, naming the scale), or None when it is one.

    The engine checks the range only (`steps=False`): a contract input may probe a pass mark
    with a score just under it (TOEIC 649, our own rule cases do), which is no impossible
    input for a rule; the portal's form, where a person types the score from the report,
    checks the step too. A test without a known scale accepts any number (the engine refuses
    negatives itself)."""
    scale = SCORE_SCALES.get(test)
    if scale is None:
        return None
    try:
        value = score if isinstance(score, Decimal) else Decimal(str(score))
    except (InvalidOperation, ValueError):
        return "expected a number"
    low, high, step = scale
    if not value.is_finite():
        return "expected a number"
    if not low <= value <= high:
        return f"{test} scores are between {number_text(low)} and {number_text(high)}"
    if steps and value % step != 0:
        return f"{test} scores come in steps of {number_text(step)}"
    return None
