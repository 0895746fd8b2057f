"""The scoring engine: contract input in, contract output out. Pure Python, no Django.

    from scoring.engine import evaluate, InputError, RuleSetError, available_programs
    result = evaluate(doc)                       # rules from <repo>/rules
    result = evaluate(doc, rules_dir=some_path)  # another rules folder (tests)

The input may say `"lang": "ko"` for Korean reasons (default "en"; an addition to the
contract, see FORMAT.md "Reasons in Korean"; the words are in phrases.py).

`evaluate` raises InputError (the document is malformed; str(e) == "field: message") or
RuleSetError (a rule file is invalid; str(e) == "file: path: reason"). Rule sets are
loaded once per (rules_dir, program) and cached; `clear_cache()` reloads them.
See scoring/engine/FORMAT.md for the rule-file format and docs/evaluate.md for the
contract.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from .errors import EngineError, InputError, RuleSetError
from .evaluator import run as _run
from .inputs import KIND_NAMES, read_program, validate
from .loader import (DEFAULT_RULES_DIR, Program, available_programs, clear_cache,
                     load_program)

__all__ = [
    "evaluate", "InputError", "RuleSetError", "EngineError", "available_programs",
    "clear_cache", "load_program", "validate_rules", "DEFAULT_RULES_DIR", "KIND_NAMES",
]


def evaluate(doc: dict, *, rules_dir: Path | str | None = None,
             today: _dt.date | None = None) -> dict[str, Any]:
    """Evaluate one contract document. `today` is the default for a missing `as_of`."""
    program = read_program(doc)
    prog = load_program(program, rules_dir)
    case = validate(doc, today=today)
    ruleset, in_force = prog.pick(case)
    return _run(ruleset, case, in_force)


def validate_rules(rules_dir: Path | str | None = None) -> dict[str, Program]:
    """Load every program's rule files (uncached errors surface here); for CI and checks."""
    return {name: load_program(name, rules_dir) for name in available_programs(rules_dir)}
