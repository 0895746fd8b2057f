"""What-if planner: the student's own candidate achievements, and the cheapest sets of next
achievements that would pass.

Nothing here is written per major: candidates are probed against the student's own rule set
through the engine, and only those that change the result are offered. Candidates are
ordinary contract entries (a TOEIC score, a certificate named in the rule set's tables, a
number of volunteer hours, ...); each is evaluated on top of the student's current entries.

A set is called passing only when the engine says `passed` for the student's entries plus the
set, with nothing else assumed: a set whose points reach the pass mark while the required area
(the designated course, 인성교육 sessions) is still open says what else is missing
(`missing`), never "passes".

"Cheapest" (issue 13 leaves it open): the fewest achievements first, then the set that lands
closest above the pass mark, then the lower score, grade or number of hours. Candidates that earn
the same points in the same area are one step, the cheapest named and the others shown beside
it ("또는 HSK 6, OPIc AL").
"""
from __future__ import annotations

import copy
import datetime
import itertools
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from scoring import labels
from scoring.engine import EngineError, evaluate, load_program
from scoring.engine.inputs import GRADE_SCALES, LEVEL_PASS_MARKS, validate
from scoring.engine.scales import SCORE_SCALES

LANGUAGE_GRID = {
    "TOEIC": list(range(500, 991, 50)),
    "TOEIC_SPEAKING": list(range(100, 201, 10)),
    "NEW_TEPS": list(range(200, 501, 25)),
    "TOEFL_IBT": list(range(50, 121, 10)),
}
GRADED = {"OPIC": ["IL", "IM1", "IM2", "IM3", "IH", "AL"], "JLPT": ["N3", "N2", "N1"], "HSK": ["3", "4", "5", "6"]}
# The tests a student may type a result of (the planner's form): the grid's and the graded ones.
TYPED_TESTS = [*LANGUAGE_GRID, "TEPS", "IELTS", "G_TELP", "JPT", *GRADED, "TOPIK"]
HOURS = [10, 20, 30, 50, 100]
MAX_SET = 3
POOL = 10
MAX_PICKS = 10
KIND_ORDER = {"volunteer": 0, "language_test": 1, "activity": 2, "certificate": 3}
TYPE_PATTERN = re.compile(r"entry\.type\s*(?:==|in)\s*(\[[^\]]*\]|'[^']*'|\"[^\"]*\")")


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


def _activity_types(ruleset):
    try:
        text = open(ruleset.file, encoding="utf-8").read() if ruleset.file else ""
    except OSError:
        text = ""
    types = set()
    for match in TYPE_PATTERN.findall(text):
        types.update(a or b for a, b in re.findall(r"'([a-z_]+)'|\"([a-z_]+)\"", match))
    return sorted(types)


def candidates_for(ruleset, as_of, *, language=True):
    """Plausible next achievements, drawn from the rule set's own tables and conditions."""
    day = as_of.isoformat()
    out = []
    if language:
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
    for t in _activity_types(ruleset):
        for result in ("entered", "awarded", "passed"):
            out.append({"kind": "activity", "type": t, "result": result, "count": 1, "date": day})
    return out


def token(candidate):
    """A stable name for a candidate in a form (what the student ticks)."""
    kind = candidate["kind"]
    if kind == "certificate":
        return f"certificate:{candidate['name']}"
    if kind == "volunteer":
        return f"volunteer:{candidate['hours']}"
    if kind == "activity":
        return f"activity:{candidate['type']}:{candidate['result']}"
    return f"language_test:{candidate['test']}:{candidate.get('score', candidate.get('grade'))}"


def _ruleset(doc, rules_dir):
    program = load_program(doc["program"], rules_dir)
    ruleset, _in_force = program.pick(validate(doc))
    return ruleset


def choices(doc, *, rules_dir=None):
    """The achievements a student can pick, from the major's own tables: [(group, [(token, label)])]."""
    as_of = datetime.date.fromisoformat(doc["as_of"])
    groups = {"certificate": [], "activity": [], "volunteer": []}
    for cand in candidates_for(_ruleset(doc, rules_dir), as_of, language=False):
        groups[cand["kind"]].append((token(cand), labels.candidate_label(cand)))
    names = {"certificate": _("Certificates in your major's table"), "activity": _("Department activities"),
             "volunteer": _("Volunteering")}
    return [(names[k], v) for k, v in groups.items() if v]


# a level and its total, "5급 210", "N2 120", "6/250"
_GRADE_AND_SCORE = re.compile(r"^(\S+?)\s*[\s/,]\s*(\d{1,3}(?:\.\d)?)\s*(?:점)?$")
_EXAMPLE_SCORE = {"HSK": 210, "JLPT": 120}


def typed_test(test, value, day):
    """The candidate entry of a typed test result; ValidationError naming the field."""
    value = (value or "").strip()
    if not test and not value:
        return None
    if test not in TYPED_TESTS:
        raise ValidationError({"test": _("Test: choose one of the listed tests.")})
    if test in GRADE_SCALES:
        # HSK and JLPT report a total beside the level (the entry form takes it too): "5급 210"
        # is level 5 with 210 points, which rows with a score floor (HSK "5급(210-)") read
        typed_score = None
        both = _GRADE_AND_SCORE.match(value) if test in LEVEL_PASS_MARKS else None
        if both:
            value, typed_score = both.group(1), Decimal(both.group(2))
        grade = GRADE_SCALES[test].get(value.lower())
        if grade is None:
            if test in LEVEL_PASS_MARKS:
                raise ValidationError({"score": _(
                    "Score: %(test)s is graded; write a grade such as %(example)s, and its score after it if "
                    "you like (%(example)s %(score)s).") % {"test": labels.test_label(test),
                                                          "example": GRADED[test][-1], "score": _EXAMPLE_SCORE[test]}})
            raise ValidationError({"score": _("Score: %(test)s is graded; write a grade such as %(example)s.")
                                   % {"test": labels.test_label(test), "example": GRADED.get(test, ["1"])[-1]}})
        cand = {"kind": "language_test", "test": test, "grade": grade, "date": day}
        if typed_score is not None:
            top = LEVEL_PASS_MARKS[test][grade][1]
            if not 0 <= typed_score <= top:
                raise ValidationError({"score": _("Score: a %(test)s %(grade)s score is between 0 and %(max)s.")
                                       % {"test": labels.test_label(test), "grade": grade, "max": top}})
            cand["score"] = int(typed_score) if typed_score == typed_score.to_integral() else float(typed_score)
        return cand
    low, high, _step = SCORE_SCALES[test]
    try:
        score = Decimal(value)
    except InvalidOperation:
        score = None
    if score is None or not score.is_finite() or not low <= score <= high:
        raise ValidationError({"score": _("Score: %(test)s is scored %(low)s to %(high)s.")
                               % {"test": labels.test_label(test), "low": low, "high": high}})
    return {"kind": "language_test", "test": test, "score": int(score) if score == score.to_integral() else float(score),
            "date": day}


def picked(doc, tokens, *, rules_dir=None):
    """The candidates of the ticked tokens; ValidationError for a token that is not offered."""
    if len(tokens) > MAX_PICKS:
        raise ValidationError({"pick": _("Achievements: pick at most %(n)s.") % {"n": MAX_PICKS}})
    as_of = datetime.date.fromisoformat(doc["as_of"])
    offered = {token(c): c for c in candidates_for(_ruleset(doc, rules_dir), as_of, language=False)}
    unknown = [t for t in tokens if t not in offered]
    if unknown:
        raise ValidationError({"pick": _("Achievements: choose from the list.")})
    return [offered[t] for t in dict.fromkeys(tokens)]


def _required_area_fillers(result, doc):
    """Entries that would satisfy the unmet non-point requirements (the required area): used
    only to find which points are missing, never to call a set passing."""
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


def _outcome(result):
    """What a student reads of a trial: total, passed (the engine's word) and what is still missing."""
    total = result.get("total")
    threshold = result.get("threshold")
    reaches = total is not None and threshold is not None and Decimal(str(total)) >= Decimal(str(threshold))
    return {"total": total, "passes": result.get("passed") is True, "reaches_mark": reaches,
            "missing": [labels.requirement_label(r) for r in result.get("requirements", []) if not r.get("met")]}


def _cost(cand):
    """Cheaper first: fewer hours, a lower score or grade, the more common test."""
    tests = [*LANGUAGE_GRID, *GRADED]
    if cand["kind"] == "language_test":
        grades = GRADED.get(cand["test"], [])
        level = cand.get("score") or (grades.index(cand["grade"]) if cand.get("grade") in grades else 0)
        return (KIND_ORDER["language_test"], 0, tests.index(cand["test"]) if cand["test"] in tests else 99, level)
    return (KIND_ORDER.get(cand["kind"], 9), cand.get("hours", 0), 0, labels.candidate_label(cand))


def plan(doc, *, limit=5, rules_dir=None, extra=()):
    """{current, threshold, passed, todo (unmet requirements), what_if (with `extra`), options}.

    `extra`: the achievements the student picked or typed; the cheapest sets are searched on
    top of them. Each option: steps [{label, gain, entry, alternatives}], total, passes (the
    engine's `passed` for entries + extra + steps, nothing assumed), reaches_mark, missing.
    `rules_dir`: the rules in force (scoring.rulesets.active_rules_dir), the repository's if None."""
    result = evaluate(doc, rules_dir=rules_dir)
    threshold = result.get("threshold")
    out = {"current": result.get("total"), "threshold": threshold, "passed": result.get("passed"),
           "todo": [r for r in result.get("requirements", []) if not r.get("met")], "options": [],
           "what_if": None, "required_area_only": False}
    extra = list(extra)
    if extra:
        trial = evaluate(_with(doc, extra), rules_dir=rules_dir)
        gain = Decimal(str(trial.get("total") or 0)) - Decimal(str(result.get("total") or 0))
        out["what_if"] = {"steps": [labels.candidate_label(c) for c in extra], "gain": gain, **_outcome(trial)}
        doc, result = _with(doc, extra), trial
    if threshold is None or result.get("not_applicable") or result.get("exempt") or result.get("passed"):
        return out
    ruleset = _ruleset(doc, rules_dir)
    fillers = _required_area_fillers(result, doc)
    base_doc = _with(doc, fillers)
    base = evaluate(base_doc, rules_dir=rules_dir)
    out["required_area_only"] = bool(fillers) and base.get("passed") is True
    if out["required_area_only"]:
        return out  # the points are there: the required area is all that is missing
    base_total = Decimal(str(base.get("total") or 0))
    gains = []
    for cand in candidates_for(ruleset, datetime.date.fromisoformat(doc["as_of"])):
        try:
            trial = evaluate(_with(base_doc, [cand]), rules_dir=rules_dir)
        except EngineError:
            continue
        gain = Decimal(str(trial.get("total") or 0)) - base_total
        if gain > 0:
            item = next((i for i in trial.get("items", []) if str(i.get("entry_id", "")).startswith("plan-")
                         and i.get("counted") and i.get("entry_id") == f"plan-{len(base_doc['entries'])}"), {})
            gains.append((gain, cand, item.get("area") or cand["kind"]))
    # Candidates that earn the same points in the same area are alternatives: the cheapest
    # stands for them, the others are named beside it.
    groups: dict = {}
    for gain, cand, area in sorted(gains, key=lambda g: _cost(g[1])):
        group = groups.setdefault((area, gain), [])
        same = (cand["kind"], cand.get("test") or cand.get("name") or cand.get("type"))
        if same not in [(c["kind"], c.get("test") or c.get("name") or c.get("type")) for c in group]:
            group.append(cand)  # a higher score of the same test is no alternative
    distinct = sorted(((gain, cands[0], cands[1:], area) for (area, gain), cands in groups.items()),
                      key=lambda g: (-g[0], _cost(g[1])))
    pool = distinct[:POOL]
    found = []
    for size in range(1, MAX_SET + 1):
        for combo in itertools.combinations(pool, size):
            if len({area for *_rest, area in combo}) < len(combo):
                continue  # two results in one area rarely add up: the engine would say so anyway
            steps = [c for _g, c, _alt, _a in combo]
            try:
                searched = evaluate(_with(base_doc, steps), rules_dir=rules_dir)
            except EngineError:
                continue
            if not searched.get("passed"):
                continue
            honest = evaluate(_with(doc, steps), rules_dir=rules_dir)  # without the assumed required area
            found.append({"steps": [{"label": labels.candidate_label(c), "gain": g, "entry": c,
                                     "alternatives": [labels.candidate_label(a) for a in alt[:4]]}
                                    for g, c, alt, _a in combo], **_outcome(honest)})
        if found:
            break
    found.sort(key=lambda o: (len(o["steps"]), Decimal(str(o["total"] or 0)), [_cost(s["entry"]) for s in o["steps"]]))
    out["options"] = found[:limit]
    if not found:
        for gain, cand, alt, _area in distinct[:limit]:
            honest = evaluate(_with(doc, [cand]), rules_dir=rules_dir)
            out["options"].append({"steps": [{"label": labels.candidate_label(cand), "gain": gain, "entry": cand,
                                              "alternatives": [labels.candidate_label(a) for a in alt[:4]]}],
                                   **_outcome(honest)})
    return out
