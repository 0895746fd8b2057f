"""Validate and normalise the contract's input document (docs/evaluate.md).

Every problem is an InputError naming the field path, e.g. `entries[3].score: expected a
number`. Unknown extra fields are ignored (the contract allows them). The result is a
`Case`: parsed dates, defaults filled in (status, submitted_on, before_admission), language
grades in one spelling, so rules never see the raw variety.

Dates may be ISO strings (JSON) or `datetime.date` objects (the portal builds the input
from its database); numbers may be int, float or Decimal, never bool.
"""
from __future__ import annotations

import datetime as _dt
import math
import unicodedata
from decimal import Decimal
from typing import Any

from .certificates import normalise_entry as normalise_certificate
from .errors import InputError
from .scales import score_problem


class _Bad(Exception):
    pass


# ------------------------------------------------------------------ field checkers
def _str(v):
    if isinstance(v, str):
        return v
    raise _Bad("expected a string")


def _str_or_number(v):
    # certificate grades and HSK levels arrive as "1급", "1" or 1
    if isinstance(v, str):
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v)
    raise _Bad("expected a string")


_INF = float("inf")


def _num(v):
    t = type(v)
    if t is int:
        return v
    if t is float:
        if v != v or v == _INF or v == -_INF:
            raise _Bad("expected a number")
        return v
    if t is Decimal or (t is not bool and isinstance(v, (int, float, Decimal))):
        if isinstance(v, Decimal) and not v.is_finite():
            raise _Bad("expected a number")
        if isinstance(v, float) and not math.isfinite(v):
            raise _Bad("expected a number")
        return v
    raise _Bad("expected a number")


def _nonneg(v):
    v = _num(v)
    if v < 0:
        raise _Bad("must not be negative")
    return v


def _int(v):
    if isinstance(v, bool):
        raise _Bad("expected an integer")
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    raise _Bad("expected an integer")


def _pos_int(v):
    v = _int(v)
    if v < 1:
        raise _Bad("must be 1 or more")
    return v


def _nonneg_int(v):
    v = _int(v)
    if v < 0:
        raise _Bad("must not be negative")
    return v


def _bool(v):
    if v is True or v is False:
        return v
    raise _Bad("expected true or false")


_fromiso = _dt.date.fromisoformat


def _date(v):
    if type(v) is str:
        if len(v) == 10:
            try:
                return _fromiso(v)
            except ValueError:
                pass
        raise _Bad("expected a date (YYYY-MM-DD)")
    if isinstance(v, _dt.datetime):
        return v.date()
    if isinstance(v, _dt.date):
        return v
    raise _Bad("expected a date (YYYY-MM-DD)")


def _enum(*values):
    allowed = frozenset(values)
    text = ", ".join(values)

    def check(v):
        if type(v) is str and v in allowed:
            return v
        raise _Bad(f"expected one of {text}")
    return check


# ------------------------------------------------------------------ the contract's vocabulary
LANGUAGE_TESTS = (
    "TOEIC", "TOEIC_SPEAKING", "TOEFL_IBT", "TOEFL_PBT", "TOEFL_CBT", "TEPS", "NEW_TEPS",
    "IELTS", "OPIC", "G_TELP", "JLPT", "JPT", "HSK", "CPT", "TORFL", "ZD", "DELF", "TCF",
    "TOPIK", "NEAT", "CIVIL_SERVICE_ENGLISH",
)

# Graded tests: accepted spellings → the one spelling rules use.
_CEFR = {g.lower(): g for g in ("A1", "A2", "B1", "B2", "C1", "C2")}
GRADE_SCALES: dict[str, dict[str, str]] = {
    "OPIC": {g.lower(): g for g in ("AL", "IH", "IM3", "IM2", "IM1", "IL", "NH", "NM", "NL")},
    "JLPT": {**{f"n{i}": f"N{i}" for i in range(1, 6)}, **{str(i): f"N{i}" for i in range(1, 6)},
             **{f"{i}급": f"N{i}" for i in range(1, 6)}},
    "HSK": {**{str(i): str(i) for i in range(1, 7)}, **{f"{i}급": str(i) for i in range(1, 7)}},
    "TOPIK": {**{str(i): str(i) for i in range(1, 7)}, **{f"{i}급": str(i) for i in range(1, 7)}},
    "TORFL": {"basic": "basic", "기본": "basic", "tbu": "basic", "1": "1", "2": "2", "3": "3",
              "4": "4", "1단계": "1", "2단계": "2", "3단계": "3", "4단계": "4",
              "tori": "1", "torii": "2", "toriii": "3", "toriv": "4"},
    "ZD": dict(_CEFR),
    "DELF": dict(_CEFR),
}
GRADE_SCALES["OPIC"]["im"] = "IM1"  # older certificates print plain "IM" (= IM1)
SCORED_TESTS = frozenset(LANGUAGE_TESTS) - frozenset(GRADE_SCALES)

CERT_CATEGORIES = ("national_professional", "national_technical", "national_accredited_private", "private")
CERT_TIERS = ("기술사", "기능장", "기사", "산업기사", "기능사", "서비스1급", "서비스2급")

# kind → (required fields, {field: checker})
KINDS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "language_test": (("test",), {
        "test": _enum(*LANGUAGE_TESTS), "score": _nonneg, "grade": _str_or_number, "level": _int,
    }),
    "certificate": (("name",), {
        "name": _str, "grade": _str_or_number, "category": _enum(*CERT_CATEGORIES),
        "tier": _enum(*CERT_TIERS), "stage": _enum("final", "first_round"),
    }),
    "award": (("scale",), {
        "title": _str, "organizer": _str,
        "scale": _enum("international", "national_1", "national_2", "campus", "department"),
        "place": _pos_int,
        "prize": _enum("grand", "top_excellence", "excellence", "encouragement", "honorable_mention", "entry"),
        "team_size": _pos_int, "work_id": _str, "major_related": _bool,
    }),
    "paper": (("venue",), {
        "title": _str,
        "venue": _enum("intl_indexed", "kci", "kci_candidate", "intl_general", "intl_conference",
                       "domestic_conference", "national_general", "campus"),
        "format": _enum("paper", "poster"), "role": _enum("first", "corresponding", "coauthor"),
        "authors": _pos_int, "paper_id": _str, "fee_funded_by_school": _bool,
    }),
    "program": (("hours",), {
        "title": _str, "hours": _nonneg, "certified": _bool,
        "category": _enum("employment", "startup", "major", "learning", "language", "other"),
        "provider": _enum("campus", "department", "national_agency", "external"),
    }),
    "volunteer": ((), {
        "hours": _nonneg, "organization": _str,
        "verified_by": _enum("vms", "1365", "public_agency", "campus", "other"),
        "overseas": _bool, "blood_donation": _bool,
    }),
    "internship": (("start", "end"), {
        "organization": _str, "start": _date, "end": _date, "health_insurance": _bool,
        "overseas": _bool, "credit_bearing": _bool, "major_related": _bool,
    }),
    "overseas_study": (("type", "start", "end"), {
        "type": _enum("exchange", "credit_exchange", "language_training", "training"),
        "start": _date, "end": _date, "provider": _enum("campus", "external"),
    }),
    "leadership": (("organization", "role"), {
        "organization": _enum("student_council", "college_council", "department_council", "club",
                              "academic_club", "graduation_committee", "press"),
        "role": _enum("president", "vice_president", "officer", "member"),
        "semesters": _nonneg_int,
    }),
    "lab_service": (("months",), {"months": _nonneg}),
    # A patent's `stage` (filed | registered); older inputs gave it as `status`, colliding with
    # the common review `status`: see _patent_stage.
    "patent": (("type",), {
        "type": _enum("patent", "utility_model", "design", "software"),
        "stage": _enum("filed", "registered"),
    }),
    "employment": ((), {"employer": _str, "start": _date, "health_insurance": _bool, "major_related": _bool}),
    "startup": ((), {"business_registration_no": _str}),
    "course": (("name",), {"name": _str, "grade": _str, "credit_bearing": _bool}),
    "character_education": ((), {}),
    "activity": (("type",), {
        "type": _str, "result": _enum("entered", "awarded", "passed"),
        "count": _pos_int, "presenters": _pos_int,
    }),
    "counseling": (("type",), {"type": _enum("mentor", "employment", "international")}),
    # `program` (an addition): the program whose committee granted the points; another program
    # shows the entry as not scored (issue 10). Absent: any program with the area may score it.
    "manual": (("area", "points"), {"area": _str, "points": _nonneg, "reason": _str, "program": _str}),
}
KIND_NAMES = tuple(KINDS)

# where `date` may be derived from when it is absent
_DATE_FALLBACK = {"internship": "end", "overseas_study": "end", "employment": "start"}

_COMMON = {
    "date": _date, "submitted_on": _date,
    "status": _enum("approved", "submitted", "rejected"),
    "before_admission": _bool,
}

# kind → (required fields, {field: checker} for the kind's and the common fields)
_CHECKERS = {kind: (req, {**fields, **_COMMON}) for kind, (req, fields) in KINDS.items()}

_STUDENT = {
    "student_no": _str, "campus": _enum("anseong", "pyeongtaek"), "major": _str,
    "admission_year": _int,
    "admission_type": _enum("freshman", "transfer_3", "transfer_4", "foreign"),
    "expected_graduation": _date, "semesters_completed": _nonneg_int, "gpa": _nonneg,
    "year_level": _int, "mileage": _nonneg,
    # added by the project: the first day of the semester a student on leave in 2021
    # came back (du-heart's retroactive rule for 2021 leave-of-absence students)
    "returned_on": _date,
}


# The languages of the result's reasons (`lang`, an addition to the contract; default "en").
LANGS = ("en", "ko")


class Case:
    """A validated input: program, as_of, student (dict), entries (list of dicts), redemptions,
    and `lang`, the language of the result's reasons ("en" or "ko")."""

    __slots__ = ("program", "as_of", "student", "entries", "redemptions", "raw", "lang")

    def __init__(self, program, as_of, student, entries, redemptions, raw, lang="en"):
        self.program = program
        self.as_of = as_of
        self.student = student
        self.entries = entries
        self.redemptions = redemptions
        self.raw = raw
        self.lang = lang


def read_program(doc: Any) -> str:
    if not isinstance(doc, dict):
        raise InputError("(document)", "expected a JSON object")
    program = doc.get("program")
    if program is None:
        raise InputError("program", "required")
    if not isinstance(program, str):
        raise InputError("program", "expected a string")
    return program


def validate(doc: Any, today: _dt.date | None = None) -> Case:
    """Check the whole document; return a normalised Case. Raises InputError."""
    program = read_program(doc)

    as_of_raw = doc.get("as_of")
    if as_of_raw is None:
        as_of = today or _dt.date.today()
    else:
        try:
            as_of = _date(as_of_raw)
        except _Bad as e:
            raise InputError("as_of", str(e)) from None

    lang = read_lang(doc)
    student = _student(doc.get("student"))
    entries = _entries(doc.get("entries"), student)
    _previous_results(entries, as_of)
    _role_semesters(entries, as_of)
    _employment_flag(student, entries, as_of)
    redemptions = _redemptions(doc.get("redemptions"))
    return Case(program, as_of, student, entries, redemptions, doc, lang)


def _role_semesters(entries: list[dict], as_of: _dt.date) -> None:
    """`semesters_total` of a leadership entry: its semesters plus those of the student's earlier
    approved entries of the same organization and role dated up to as_of (in date order).
    "2학기 이상" is the time in the role however the student entered it: two entries of one
    semester each reach 2 on the second (issue 10 §3; rules read `entry.semesters_total`)."""
    runs: dict[tuple, int] = {}
    for e in sorted((e for e in entries if e["kind"] == "leadership"), key=lambda e: (e["date"], e["id"])):
        own = e.get("semesters") or 0
        if e["status"] == "approved" and e["date"] <= as_of:
            key = (e["organization"], e["role"])
            runs[key] = runs.get(key, 0) + own
            e["semesters_total"] = runs[key]
        else:
            e["semesters_total"] = own


def read_lang(doc: dict) -> str:
    """The language of the reasons: `lang` "en" (also when absent or null) or "ko"."""
    lang = doc.get("lang")
    if lang is None:
        return "en"
    if type(lang) is str and lang in LANGS:
        return lang
    raise InputError("lang", 'expected "en" or "ko"')


def _student(raw) -> dict:
    if raw is None:
        return {"flags": {}}
    if not isinstance(raw, dict):
        raise InputError("student", "expected an object")
    out = dict(raw)
    for field, check in _STUDENT.items():
        v = raw.get(field)
        if v is not None:
            try:
                out[field] = check(v)
            except _Bad as e:
                raise InputError(f"student.{field}", str(e)) from None
    gpa = out.get("gpa")
    if gpa is not None and gpa > 4.5:
        raise InputError("student.gpa", "expected a number between 0 and 4.5")
    yl = out.get("year_level")
    if yl is not None and not 1 <= yl <= 5:
        raise InputError("student.year_level", "expected 1 to 5")
    flags = raw.get("flags")
    if flags is None:
        out["flags"] = {}
    elif not isinstance(flags, dict):
        raise InputError("student.flags", "expected an object")
    else:
        for k, v in flags.items():
            if not isinstance(v, bool):
                raise InputError(f"student.flags.{k}", "expected true or false")
    return out


def _entries(raw, student) -> list[dict]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError("entries", "expected a list")
    admission_year = student.get("admission_year")
    admission_day = _dt.date(admission_year, 3, 1) if admission_year and 1900 < admission_year < 3000 else None
    seen: set = set()
    out = []
    kinds = _CHECKERS
    for i, e in enumerate(raw):
        if not isinstance(e, dict):
            raise InputError(f"entries[{i}]", "expected an object")
        eid = e.get("id")
        if eid is None:
            raise InputError(f"entries[{i}].id", "required")
        if not isinstance(eid, str):
            raise InputError(f"entries[{i}].id", "expected a string")
        if eid in seen:
            raise InputError(f"entries[{i}].id", f"duplicate id {eid!r}")
        seen.add(eid)
        kind = e.get("kind")
        if kind is None:
            raise InputError(f"entries[{i}].kind", "required")
        spec = kinds.get(kind) if isinstance(kind, str) else None
        if spec is None:
            raise InputError(f"entries[{i}].kind", f"unknown kind {kind!r}")
        required, checkers = spec
        try:
            if kind == "patent":
                n = dict(e)
                _patent_stage(e, n)
                items = n.items()
            else:
                items = e.items()
            # walk the entry's own fields (few) rather than every known one
            n = {}
            field = None
            try:
                for field, v in items:
                    if v is None:
                        continue
                    check = checkers.get(field)
                    n[field] = v if check is None else check(v)
            except _Bad as bad:
                raise _Field(field, str(bad)) from None
            for field in required:
                if field not in n:
                    raise _Field(field, "required")
            d = n.get("date")
            if d is None:
                fb = _DATE_FALLBACK.get(kind)
                d = n.get(fb) if fb else None
                if d is None:
                    raise _Field("date", "required")
                n["date"] = d
            if "submitted_on" not in n:
                n["submitted_on"] = d
            elif n["submitted_on"] < d:
                raise _Field("submitted_on", f"{n['submitted_on'].isoformat()} is before the entry's date {d.isoformat()}")
            if "status" not in n:
                n["status"] = "approved"
            if "before_admission" not in n:
                n["before_admission"] = admission_day is not None and d < admission_day
            if kind == "language_test":
                _language(n)
            elif kind == "certificate":
                normalise_certificate(n)  # catalogue name, grade, category, tier, field
            elif kind == "paper":
                if n.get("paper_id") is None and n.get("title"):
                    n["paper_id"] = paper_title_key(n["title"])
            elif kind == "patent":
                n["patent_status"] = n["stage"]  # the earlier name, for published rule files
            elif kind == "internship" or kind == "overseas_study":
                if n["end"] < n["start"]:
                    raise _Field("end", "before start")
        except _Field as f:
            raise InputError(f"entries[{i}].{f.field}", f.message) from None
        n["_index"] = i
        out.append(n)
    return out


_PATENT_STATES = ("filed", "registered")


def _patent_stage(e: dict, n: dict) -> None:
    """A patent's `stage` (filed | registered), apart from the review `status` (the contract).

    Older inputs: a `status` of filed/registered with no `stage` is read as that stage, and the
    entry as approved (unless `review_status` says otherwise); `patent_status`, this engine's
    earlier name for the stage, is read too. The normalised entry carries the stage under both
    `stage` and `patent_status`, so rule files an administrator published with the old name
    keep working.
    """
    st = e.get("status")
    stage = e.get("stage")
    if stage is None:
        stage = e.get("patent_status")
    if stage is None and st in _PATENT_STATES:
        stage = st
        review = e.get("review_status")
        n["status"] = review if review is not None else "approved"
    n.pop("patent_status", None)
    if stage is None:
        raise _Field("stage", "required for a patent: filed or registered")
    n["stage"] = stage


class _Field(Exception):
    def __init__(self, field, message):
        self.field = field
        self.message = message


# TEPS became the New TEPS (600 points) with round 248 on 2018-05-12; the old test (990 points)
# was not held after it. A result entered as TEPS and dated from that day on is a New TEPS
# score, whatever the form called it: normalised here once, so no rule compares it with the
# old 990-point rows (issue 10 §3). `entered_test` keeps what was entered.
NEW_TEPS_FROM = _dt.date(2018, 5, 12)

# Graded tests whose certificate also prints a score: below the level's pass mark the level was
# NOT obtained (a failed HSK 5급 is no 4급 either). HSK: 1–2급 pass at 120 of 200, 3–6급 at 180
# of 300 (HSK 考试大纲); JLPT: total pass marks N1 100, N2 90, N3 95, N4 90, N5 80 of 180
# (日本語能力試験 合否判定). `level_passed` is False then; the evaluator refuses such an item
# with the reason in every program (evaluator._assess).
LEVEL_PASS_MARKS: dict[str, dict[str, tuple[int, int]]] = {
    "HSK": {"1": (120, 200), "2": (120, 200), "3": (180, 300), "4": (180, 300), "5": (180, 300),
            "6": (180, 300)},
    "JLPT": {"N1": (100, 180), "N2": (90, 180), "N3": (95, 180), "N4": (90, 180), "N5": (80, 180)},
}


def _new_teps(n: dict) -> None:
    if n["test"] == "TEPS" and n["date"] >= NEW_TEPS_FROM:
        score = n.get("score")
        if score is not None and not isinstance(score, bool) and score > 600:
            raise _Field("score", "a TEPS taken from round 248 (2018-05-12) on is the New TEPS, "
                                  "scored 10 to 600")
        n["entered_test"] = "TEPS"
        n["test"] = "NEW_TEPS"


def _language(n: dict) -> None:
    _new_teps(n)
    test = n["test"]
    scale = GRADE_SCALES.get(test)
    if scale is not None:
        g = n.get("grade")
        if g is None:
            raise _Field("grade", f"required for {test}")
        canon = scale.get(str(g).strip().lower().replace(" ", ""))
        if canon is None:
            allowed = ", ".join(dict.fromkeys(scale.values()))
            raise _Field("grade", f"expected one of {allowed} for {test}")
        n["grade"] = canon
        marks = LEVEL_PASS_MARKS.get(test)
        score = n.get("score")
        if marks is not None and score is not None and not isinstance(score, bool):
            mark, top = marks[canon]
            if score > top:
                raise _Field("score", f"a {test} {canon} score is at most {top}")
            if score < mark:
                n["level_passed"] = False
                n["pass_mark"] = mark
                n["score_max"] = top
    else:
        if n.get("score") is None:
            raise _Field("score", f"required for {test}")
        problem = score_problem(test, n["score"])
        if problem is not None:
            raise _Field("score", problem)
        if test == "G_TELP":
            lv = n.get("level")
            if lv is None:
                raise _Field("level", "required for G_TELP")
            if lv not in (1, 2, 3, 4, 5):
                raise _Field("level", "expected 1 to 5")


def _redemptions(raw) -> list[dict]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InputError("redemptions", "expected a list")
    out = []
    for i, r in enumerate(raw):
        if not isinstance(r, dict):
            raise InputError(f"redemptions[{i}]", "expected an object")
        try:
            d = r.get("date")
            if d is None:
                raise _Field("date", "required")
            d = _date_field("date", d)
            p = r.get("points")
            if p is None:
                raise _Field("points", "required")
            try:
                p = _nonneg(p)
            except _Bad as bad:
                raise _Field("points", str(bad)) from None
        except _Field as f:
            raise InputError(f"redemptions[{i}].{f.field}", f.message) from None
        out.append({"date": d, "points": p})
    return out


def _date_field(field, v):
    try:
        return _date(v)
    except _Bad as bad:
        raise _Field(field, str(bad)) from None


# ------------------------------------------------------------------ facts derived from the entries
# (issue 10: facts a rule uses come from the entries themselves, not from fields a student types)
def paper_title_key(title: str) -> str | None:
    """The key two papers share when their titles differ only in case, spaces or punctuation
    ("Deep  Learning: A Survey" = "deep learning - a survey"); None for a title with no letters."""
    text = unicodedata.normalize("NFKC", title).casefold()
    key = "".join(ch for ch in text if ch.isalnum())
    return f"title:{key}" if key else None


def _previous_results(entries: list[dict], as_of: _dt.date) -> None:
    """Each scored language result learns the previous result of the same test in the input:
    `previous_score`, `previous_id`, `previous_date` of the latest approved result of that test
    (G_TELP: of the same level) obtained before it and on or before as_of. A `previous_score`
    given in the input is dropped: only a result the input holds (and staff approved) counts as
    the earlier score (the `improvement` primitive compares the two)."""
    groups: dict[tuple, list[dict]] = {}
    for e in entries:
        if e["kind"] != "language_test":
            continue
        for field in ("previous_score", "previous_id", "previous_date"):
            e.pop(field, None)
        if e.get("score") is None:
            continue
        key = (e["test"], e.get("level") if e["test"] == "G_TELP" else None)
        groups.setdefault(key, []).append(e)
    for group in groups.values():
        if len(group) < 2:
            continue
        bases = [o for o in group if o["status"] == "approved" and o["date"] <= as_of]
        for e in group:
            earlier = [o for o in bases if o["date"] < e["date"]]
            if earlier:
                # the latest; two on that day: the higher (the stricter baseline), then the id, so
                # the order of the entries never changes the result
                prev = max(earlier, key=lambda o: (o["date"], o["score"], o["id"]))
                e["previous_score"] = prev["score"]
                e["previous_id"] = prev["id"]
                e["previous_date"] = prev["date"]


def _employment_flag(student: dict, entries: list[dict], as_of: _dt.date) -> None:
    """`student.flags.already_employed` ("기 취업자"): also true when the input holds an approved
    `employment` entry that started on or before as_of (a flag given in the input stays)."""
    for e in entries:
        if e["kind"] == "employment" and e["status"] == "approved" and e["date"] <= as_of:
            flags = dict(student.get("flags") or {})
            flags["already_employed"] = True
            student["flags"] = flags
            return


def check_against_ruleset(case: Case, threshold, claimed_manual) -> None:
    """Input errors only the chosen rule set can tell: committee points (`manual` entries a rule
    of the program took) above the program's pass mark. `claimed_manual`: those entries."""
    if threshold is None:
        return
    for e in claimed_manual:
        if e["points"] > threshold:
            raise InputError(f"entries[{e['_index']}].points",
                             f"{_plain(e['points'])} is more than the pass mark {_plain(threshold)}: "
                             f"committee points are between 0 and the pass mark")


def check_balance(case: Case, accrued) -> None:
    """Redemptions (dated on or before as_of) may not add up to more than the points accrued."""
    running = Decimal(0)
    for i, r in sorted(enumerate(case.redemptions), key=lambda x: (x[1]["date"], x[0])):
        if r["date"] > case.as_of:
            continue
        p = r["points"]
        running += Decimal(str(p)) if isinstance(p, float) else Decimal(p)
        if running > accrued:
            raise InputError(f"redemptions[{i}].points",
                             f"redeemed {_plain(running)} in all by {r['date'].isoformat()}, more than the "
                             f"{_plain(accrued)} points accrued by {case.as_of.isoformat()}")


def _plain(x) -> str:
    d = x if isinstance(x, Decimal) else Decimal(str(x))
    return format(d.normalize(), "f")
