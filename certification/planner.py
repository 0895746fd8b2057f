"""What-if planner: the smallest sets of next achievements that would reach the pass mark.

Nothing here is written per major: candidates are probed against the student's own rule set
through the engine, and only those that change the result are offered. Candidates are
ordinary contract entries (a TOEIC score, a certificate named in the rule set's tables, a
number of volunteer hours, ...); each is evaluated on top of the student's current entries.
"""
from __future__ import annotations

import copy
import itertools
import re
from decimal import Decimal

from scoring.engine import EngineError, evaluate, load_program
from scoring.engine.inputs import validate

LANGUAGE_GRID = {
    "TOEIC": list(range(500, 991, 50)),
    "TOEIC_SPEAKING": list(range(100, 201, 10)),
    "NEW_TEPS": list(range(200, 501, 25)),
    "TOEFL_IBT": list(range(50, 121, 10)),
}
GRADED = {"OPIC": ["IL", "IM1", "IM2", "IM3", "IH", "AL"], "JLPT": ["N3", "N2", "N1"], "HSK": ["3", "4", "5", "6"]}
HOURS = [10, 20, 30, 50, 100]
MAX_SET = 3
TYPE_PATTERN = re.compile(r"entry\.type\s*(?:==|in)\s*(\[[^\]]*\]|'[^']*'|\"[^\"]*\")")


def _label(candidate):
    kind = candidate["kind"]
    if kind == "language_test":
        return f"{candidate['test']} {candidate.get('score', candidate.get('grade', ''))}"
    if kind == "certificate":
        return f"{candidate['name']} {candidate.get('grade', '')}".strip()
    if kind in ("volunteer", "program"):
        return f"{kind} {candidate['hours']}h"
    if kind == "activity":
        return f"{candidate['type']} ({candidate['result']})"
    return kind


def _strings(node, out):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "names" and isinstance(value, list):
                out.update(v for v in value if isinstance(v, str))
            else:
                _strings(value, out)
    elif isinstance(node, list):
        for value in node:
            _strings(value, out)


def candidates_for(ruleset, as_of):
    """Plausible next achievements, drawn from the rule set's own tables and conditions."""
    day = as_of.isoformat()
    out = []
    for test, scores in LANGUAGE_GRID.items():
        out += [{"kind": "language_test", "test": test, "score": s, "date": day} for s in scores]
    for test, grades in GRADED.items():
        out += [{"kind": "language_test", "test": test, "grade": g, "date": day} for g in grades]
    names: set[str] = set()
    _strings(ruleset.tables, names)
    for name in sorted(names):
        out.append({"kind": "certificate", "name": name, "grade": "", "category": "national_accredited_private",
                    "date": day})
    out += [{"kind": "volunteer", "hours": h, "verified_by": "1365", "date": day} for h in HOURS]
    types = set()
    try:
        text = open(ruleset.file, encoding="utf-8").read() if ruleset.file else ""
    except OSError:
        text = ""
    for match in TYPE_PATTERN.findall(text):
        types.update(re.findall(r"'([a-z_]+)'|\"([a-z_]+)\"", match) and
                     [a or b for a, b in re.findall(r"'([a-z_]+)'|\"([a-z_]+)\"", match)])
    for t in sorted(types):
        for result in ("entered", "awarded", "passed"):
            out.append({"kind": "activity", "type": t, "result": result, "count": 1, "date": day})
    return out


def _required_area_fillers(result, doc):
    """Entries that would satisfy the unmet non-point requirements (the required area)."""
    day = doc["as_of"]
    fillers = []
    for req in result.get("requirements", []):
        if req.get("met"):
            continue
        rid = req.get("id", "")
        if "course" in rid:
            fillers.append({"kind": "course", "name": "진로선택과 취업준비", "grade": "P", "credit_bearing": True,
                            "date": day})
        elif "character" in rid or "인성" in req.get("detail", ""):
            fillers += [{"kind": "character_education", "date": day} for _ in range(4)]
    return fillers


def _with(doc, extra):
    trial = copy.deepcopy(doc)
    base = len(trial["entries"])
    for i, entry in enumerate(extra):
        trial["entries"].append({**entry, "id": f"plan-{base + i}", "status": "approved"})
    return trial


def plan(doc, *, limit=5, rules_dir=None):
    """Return {current, threshold, gap, todo (required area), options: [{steps, total, passes}]};
    `rules_dir`: the rules in force (scoring.rulesets.active_rules_dir), the repository's if None."""
    result = evaluate(doc, rules_dir=rules_dir)
    threshold = result.get("threshold")
    out = {"current": result.get("total"), "threshold": threshold, "passed": result.get("passed"),
           "todo": [r for r in result.get("requirements", []) if not r.get("met")], "options": []}
    if threshold is None or result.get("not_applicable") or result.get("exempt"):
        return out
    program = load_program(doc["program"], rules_dir)
    ruleset, _in_force = program.pick(validate(doc))
    fillers = _required_area_fillers(result, doc)
    base_doc = _with(doc, fillers)
    base = evaluate(base_doc, rules_dir=rules_dir)
    out["required_area_only"] = bool(fillers) and base.get("passed") is True
    if out["required_area_only"]:
        return out  # the points are there: the required area is all that is missing
    base_total = Decimal(str(base.get("total") or 0))
    gains = []
    for cand in candidates_for(ruleset, __import__("datetime").date.fromisoformat(doc["as_of"])):
        try:
            trial = evaluate(_with(base_doc, [cand]), rules_dir=rules_dir)
        except EngineError:
            continue
        gain = Decimal(str(trial.get("total") or 0)) - base_total
        if gain > 0:
            gains.append((gain, cand, trial))
    # For one test or one certificate, the cheapest candidate of each gain is enough.
    seen, distinct = set(), []
    for gain, cand, trial in sorted(gains, key=lambda g: (-g[0], _label(g[1]))):
        key = (cand["kind"], cand.get("test") or cand.get("name") or cand.get("type"), gain)
        if key in seen:
            continue
        seen.add(key)
        distinct.append((gain, cand, trial))
    distinct.sort(key=lambda g: (-g[0]))
    pool = distinct[:12]
    found = []
    for size in range(1, MAX_SET + 1):
        for combo in itertools.combinations(pool, size):
            kinds = [(c["kind"], c.get("test") or c.get("name") or c.get("type")) for _g, c, _t in combo]
            if len(set(kinds)) < len(kinds):
                continue  # two scores of the same test are not two achievements
            trial = evaluate(_with(base_doc, [c for _g, c, _t in combo]), rules_dir=rules_dir)
            if trial.get("passed"):
                steps = [{"label": _label(c), "gain": float(g), "entry": c} for g, c, _t in combo]
                found.append({"steps": steps, "total": trial.get("total"), "passes": True})
        if found:
            break
    found.sort(key=lambda o: (len(o["steps"]), -sum(s["gain"] for s in o["steps"])))
    out["options"] = found[:limit]
    if not found:
        out["options"] = [{"steps": [{"label": _label(c), "gain": float(g), "entry": c}], "total": t.get("total"),
                           "passes": False} for g, c, t in distinct[:limit]]
    return out
