"""Every rule-set test case under rules/*/tests/ runs here, one test per case (id = its name)."""
from __future__ import annotations

from collections import Counter

import pytest

from scoring.engine import DEFAULT_RULES_DIR
from scoring.engine.cases import iter_cases, run_case

CASES = list(iter_cases(DEFAULT_RULES_DIR))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule_set_case(case):
    problems = run_case(case)
    assert not problems, f"{case['file']}: {case['name']}\n  " + "\n  ".join(problems)


def test_case_names_are_unique():
    dupes = [n for n, k in Counter(c["name"] for c in CASES).items() if k > 1]
    assert not dupes


@pytest.mark.parametrize("program, at_least", [("du-heart", 40), ("career-mileage", 15)])
def test_each_rule_set_ships_enough_cases(program, at_least):
    assert sum(1 for c in CASES if c["input"].get("program") == program
               or f"/{program}/tests/" in c["file"]) >= at_least
