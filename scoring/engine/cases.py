"""Rule-set test cases in the contract's form, and the subset comparison they use.

A case file (`rules/<program>/tests/*.yaml` or `.json`) holds a list of cases (or
`{cases: [...]}`), each::

    name: seed example 2: a higher TOEIC pays only the difference
    input:  {program: du-heart, as_of: ..., entries: [...]}   # the contract's input
    output: {total: 400, items: [{entry_id: e2, points: 100, counted: true}]}
    # or, for malformed input:
    error: "entries[0].score: expected a number"

`output` is a subset of the contract output: only the keys given are compared; numbers with
the contract's tolerance (0.001); `items` are matched by `entry_id` (and `rule` when given),
`areas` by `area`, `requirements` by `id`; an expected item may say `reason_contains: text`,
and an expected row `absent: true` says no such row is there.
Dates written unquoted in YAML are turned into ISO strings, as JSON would carry them.
"""
from __future__ import annotations

import datetime as _dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

import yaml

TOLERANCE = 0.001


def _jsonish(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _jsonish(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_jsonish(x) for x in v]
    if isinstance(v, _dt.date):
        return v.isoformat()
    return v


def load_case_file(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if isinstance(data, dict) and "cases" in data:
        data = data["cases"]
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of cases")
    cases = []
    for i, c in enumerate(data):
        if not isinstance(c, dict) or "name" not in c or "input" not in c:
            raise ValueError(f"{path}: case {i}: needs name and input")
        if ("output" in c) == ("error" in c):
            raise ValueError(f"{path}: case {c['name']!r}: needs exactly one of output, error")
        cases.append({**c, "input": _jsonish(c["input"]), "file": str(path)})
    return cases


def iter_cases(rules_dir: Path) -> Iterator[dict]:
    for tests in sorted(rules_dir.glob("*/tests")):
        for f in sorted(list(tests.glob("*.yaml")) + list(tests.glob("*.yml")) + list(tests.glob("*.json"))):
            yield from load_case_file(f)


def _num(x) -> bool:
    return isinstance(x, (int, float, Decimal)) and not isinstance(x, bool)


def compare(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Mismatches between an expected subset and the actual output, as readable lines."""
    where = path or "(output)"
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {actual!r}"]
        out = []
        for k, v in expected.items():
            sub = f"{path}.{k}" if path else k
            if k not in actual:
                out.append(f"{sub}: missing")
            elif k == "items" and isinstance(v, list):
                out += _match_list(v, actual[k], sub, ("entry_id", "rule"))
            elif k == "areas" and isinstance(v, list):
                out += _match_list(v, actual[k], sub, ("area",))
            elif k == "requirements" and isinstance(v, list):
                out += _match_list(v, actual[k], sub, ("id",))
            else:
                out += compare(v, actual[k], sub)
        return out
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: expected {expected!r}, got {actual!r}"]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual)):
            out += compare(e, a, f"{path}[{i}]")
        return out
    if _num(expected) and _num(actual):
        if abs(float(expected) - float(actual)) > TOLERANCE:
            return [f"{where}: expected {expected}, got {actual}"]
        return []
    if expected != actual or type(expected) is bool and type(actual) is not bool:
        return [f"{where}: expected {expected!r}, got {actual!r}"]
    return []


def _match_list(expected: list, actual: Any, path: str, keys: tuple) -> list[str]:
    if not isinstance(actual, list):
        return [f"{path}: expected a list, got {actual!r}"]
    out = []
    for i, e in enumerate(expected):
        if not isinstance(e, dict):
            out.append(f"{path}[{i}]: expected rows are objects")
            continue
        ident = {k: e[k] for k in keys if k in e}
        if not ident:
            out.append(f"{path}[{i}]: give one of {', '.join(keys)} to match the row")
            continue
        found = [a for a in actual if isinstance(a, dict) and all(a.get(k) == v for k, v in ident.items())]
        label = ", ".join(f"{k}={v}" for k, v in ident.items())
        if e.get("absent") is True:  # the row must not be there (e.g. nothing for the committee to decide)
            if found:
                out.append(f"{path}[{label}]: expected no such row, got {found[0]!r}")
            continue
        if not found:
            out.append(f"{path}[{label}]: no such row (have: "
                       f"{[ {k: a.get(k) for k in keys} for a in actual]})")
            continue
        a = found[0]
        want = {k: v for k, v in e.items() if k != "reason_contains"}
        out += compare(want, a, f"{path}[{label}]")
        if "reason_contains" in e and e["reason_contains"] not in str(a.get("reason", "")):
            out.append(f"{path}[{label}].reason: {a.get('reason')!r} does not contain {e['reason_contains']!r}")
    return out


def run_case(case: dict, rules_dir: Path | None = None) -> list[str]:
    """Evaluate one case; the mismatches (empty when the case holds)."""
    from . import evaluate
    from .errors import InputError

    try:
        result = evaluate(case["input"], rules_dir=rules_dir)
    except InputError as e:
        if "error" in case:
            return [] if str(e) == case["error"] else [f"error: expected {case['error']!r}, got {str(e)!r}"]
        return [f"unexpected input error: {e}"]
    if "error" in case:
        return [f"expected the error {case['error']!r}, got a result"]
    return compare(case["output"], result)
