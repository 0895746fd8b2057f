"""The rule-file schema, written as data with a few combinators.

`validate_ruleset(doc, file)` checks a parsed YAML rule file and raises
`RuleSetError(file, path, reason)`, e.g.
`rules/du-heart/rules.yaml: languages.english.TOEIC[2].min: expected a number`.
Tables (every top-level key that is not a reserved section) are checked against the shape
the primitive that uses them expects, so the path points into the table itself.

The format, in short (see scoring/engine/FORMAT.md for the full description):

    meta:          program, ruleset, version, effective_from, points (integer|decimal), ...
    extends:       another file of the same folder to start from (deep merge; lists replace)
    applies:       {when: expr, detail}            → not_applicable when false
    exemptions:    [{id, when, detail}]            → passed with `exempt`
    areas:         [{id, name, cap}]
    rules:         [{id, area, kinds|source, when, window, require, points, share, combine}]
    requirements:  [{id, when, detail, gate}]
    <table name>:  any other top-level key is a table used by the rules
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any, Callable

from .errors import RuleSetError

RESERVED = ("meta", "extends", "applies", "exemptions", "areas", "rules", "requirements", "limits")

Check = Callable[[Any, str], Any]


class SchemaError(Exception):
    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason


def join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


# ------------------------------------------------------------------ scalar checks
def number(v, path):
    if isinstance(v, bool) or not isinstance(v, (int, float, Decimal)):
        raise SchemaError(path, "expected a number")
    return v


def nonneg_number(v, path):
    number(v, path)
    if v < 0:
        raise SchemaError(path, "must not be negative")
    return v


def integer(v, path):
    if isinstance(v, bool) or not isinstance(v, int):
        raise SchemaError(path, "expected an integer")
    return v


def string(v, path):
    if not isinstance(v, str) or not v.strip():
        raise SchemaError(path, "expected a text")
    return v


def text(v, path):
    """A text the result shows (label, reason, detail): `"..."`, or one per language
    `{en: "...", ko: "..."}` (ko optional: English is used where it is missing)."""
    if isinstance(v, dict):
        for k in v:
            if k not in ("en", "ko"):
                raise SchemaError(join(path, str(k)), f"unknown language {k!r} (expected en, ko)")
        if "en" not in v:
            raise SchemaError(join(path, "en"), "required")
        for k, x in v.items():
            string(x, join(path, k))
        return v
    return string(v, path)


def boolean(v, path):
    if not isinstance(v, bool):
        raise SchemaError(path, "expected true or false")
    return v


def date(v, path):
    if isinstance(v, _dt.datetime):
        return v.date()
    if isinstance(v, _dt.date):
        return v
    if isinstance(v, str):
        try:
            return _dt.date.fromisoformat(v)
        except ValueError:
            pass
    raise SchemaError(path, "expected a date (YYYY-MM-DD)")


def anything(v, path):
    return v


def text_or_number(v, path):
    if isinstance(v, bool) or not isinstance(v, (str, int, float)):
        raise SchemaError(path, "expected a text or a number")
    return v


def expression(v, path):
    # compiled later (it needs the tables); here only the type
    if isinstance(v, bool):
        return v
    if not isinstance(v, str) or not v.strip():
        raise SchemaError(path, "expected an expression")
    return v


def enum(*values):
    def check(v, path):
        if v not in values:
            raise SchemaError(path, f"expected one of {', '.join(map(str, values))}")
        return v
    return check


def nullable(check):
    def c(v, path):
        return None if v is None else check(v, path)
    return c


def one_of(*checks):
    """First check that accepts; the error is the last one's."""
    def c(v, path):
        err = None
        for ch in checks:
            try:
                return ch(v, path)
            except SchemaError as e:
                err = e
        raise err
    return c


def list_of(item: Check, min_len: int = 0):
    def check(v, path):
        if not isinstance(v, list):
            raise SchemaError(path, "expected a list")
        if len(v) < min_len:
            raise SchemaError(path, f"expected at least {min_len} item(s)")
        return [item(x, join(path, i)) for i, x in enumerate(v)]
    return check


def mapping(fields: dict[str, Check], required: tuple = (), extra: Check | None = None,
            exactly_one: tuple = ()):
    """A mapping with known keys; `extra` validates any other key's value (else 'unknown key')."""
    def check(v, path):
        if not isinstance(v, dict):
            raise SchemaError(path, "expected a mapping")
        for k in required:
            if k not in v:
                raise SchemaError(join(path, k), "required")
        if exactly_one:
            present = [k for k in exactly_one if k in v]
            if len(present) != 1:
                raise SchemaError(path, f"expected exactly one of {', '.join(exactly_one)}")
        out = {}
        for k, x in v.items():
            if not isinstance(k, str):
                raise SchemaError(join(path, str(k)), "keys must be texts")
            sub = join(path, k)
            ch = fields.get(k)
            if ch is None:
                if extra is None:
                    raise SchemaError(sub, f"unknown key {k!r}")
                out[k] = extra(x, sub)
            else:
                out[k] = ch(x, sub)
        return out
    return check


def map_of(value: Check):
    def check(v, path):
        if not isinstance(v, dict):
            raise SchemaError(path, "expected a mapping")
        return {k: value(x, join(path, str(k))) for k, x in v.items()}
    return check


# ------------------------------------------------------------------ table shapes (checked where used)
TIER_ROW = mapping(
    {"min": text_or_number, "max": text_or_number, "match": map_of(anything),
     "points": nonneg_number, "factor": nonneg_number, "label": text, "note": string},
)


def tier_rows(value_key: str):
    row = mapping(
        {"min": text_or_number, "max": text_or_number, "match": map_of(anything),
         value_key: nonneg_number, "label": text, "note": string},
        required=(value_key,),
    )

    def check(v, path):
        rows = list_of(row, min_len=1)(v, path)
        for i, r in enumerate(rows):
            for bound in ("min", "max"):
                if bound in r and isinstance(r[bound], str) and not r[bound].strip():
                    raise SchemaError(join(join(path, i), bound), "expected a number or a grade")
        return rows
    return check


POINT_ROWS = tier_rows("points")
FACTOR_ROWS = tier_rows("factor")


def numeric_tier_rows(value_key: str):
    """Rows of a scored test: `min` must be a number (the common case of the language tables)."""
    base = tier_rows(value_key)

    def check(v, path):
        rows = base(v, path)
        for i, r in enumerate(rows):
            for bound in ("min", "max"):
                if bound in r:
                    number(r[bound], join(join(path, i), bound))
        return rows
    return check


NUMERIC_POINT_ROWS = numeric_tier_rows("points")

GRADED_TEST = mapping(
    {"measure": string, "scale": string, "rows": POINT_ROWS, "note": string},
    required=("rows",),
)

NAMED_ROW = mapping(
    {"points": nonneg_number, "names": list_of(string, min_len=1), "label": text, "note": string},
    required=("points", "names"),
)
NAMED_ROWS = list_of(NAMED_ROW, min_len=1)


def conversion_table(v, path):
    """group → test → rows (scored, numeric `min`) or {measure, scale, rows} (graded)."""
    if not isinstance(v, dict) or not v:
        raise SchemaError(path, "expected a mapping of groups (e.g. languages) to tests")
    out = {}
    for group, tests in v.items():
        gpath = join(path, group)
        if not isinstance(tests, dict) or not tests:
            raise SchemaError(gpath, "expected a mapping of tests to rows")
        out[group] = {}
        for test, spec in tests.items():
            tpath = join(gpath, test)
            if isinstance(spec, list):
                out[group][test] = NUMERIC_POINT_ROWS(spec, tpath)
            else:
                out[group][test] = GRADED_TEST(spec, tpath)
    return out


def scale_list(v, path):
    return list_of(text_or_number, min_len=2)(v, path)


# ------------------------------------------------------------------ rule pieces
LABEL = string


def _primitive(v, path):
    """A points primitive: a number, or a mapping with exactly one primitive key."""
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        return nonneg_number(v, path)
    if not isinstance(v, dict):
        raise SchemaError(path, "expected a number or one of " + ", ".join(PRIMITIVES))
    keys = [k for k in v if k in PRIMITIVES]
    if len(keys) != 1 or len(v) != 1:
        extra = [k for k in v if k not in PRIMITIVES]
        if extra:
            raise SchemaError(join(path, extra[0]), f"unknown key {extra[0]!r} (expected one of {', '.join(PRIMITIVES)})")
        raise SchemaError(path, "expected exactly one of " + ", ".join(PRIMITIVES))
    k = keys[0]
    return {k: PRIMITIVES[k](v[k], join(path, k))}


_FIRST_ALT = mapping(
    {"when": expression, "points": _primitive, "none": text, "rule": string, "reason": text,
     "note": string},
)


def _first(v, path):
    alts = list_of(_FIRST_ALT, min_len=1)(v, path)
    for i, a in enumerate(alts):
        if ("points" in a) == ("none" in a):
            raise SchemaError(join(path, i), "expected exactly one of points, none")
    return alts


PRIMITIVES: dict[str, Check] = {
    "value": mapping({"expr": expression, "label": text}, required=("expr",)),
    "tier": mapping({"table": string, "key": expression, "measure": expression, "scale": string,
                     "label": text}, required=("table", "measure")),
    "conversion": mapping({"table": string, "test": expression, "scales": string,
                           "group_fact": string, "label": text}, required=("table", "test")),
    "lookup": mapping({"table": string, "key": expression, "label": text},
                      required=("table", "key")),
    "named": mapping({"table": string, "key": expression, "label": text,
                      "other_grades": enum("pass", "refuse")},
                     required=("table", "key")),
    "per_unit": mapping({"measure": expression, "unit": nonneg_number, "rate": nonneg_number,
                         "max": nonneg_number, "label": text},
                        required=("measure", "rate")),
    "first": _first,
    # 우수 향상률: `percent` above the previous result of the same test, then `then`'s points
    "improvement": mapping({"percent": nonneg_number, "then": _primitive, "label": text},
                           required=("percent", "then")),
}

WINDOW_ALT = mapping(
    {"name": string, "label": text, "when": expression,
     "acquired": mapping({"from": date, "before": date}),
     "submitted": mapping({"from": date, "to": date}),
     "submitted_within_years": integer,
     "submitted_in_semester_of": expression,
     "note": string},
    required=("name",),
)

REQUIRE = mapping({"when": expression, "reason": text, "note": string}, required=("when", "reason"))

SHARE_ALT = mapping(
    {"when": expression, "factor": nonneg_number, "measure": expression, "table": string,
     "label": text, "note": string},
)


def _share(v, path):
    alts = list_of(SHARE_ALT, min_len=1)(v, path)
    for i, a in enumerate(alts):
        if ("factor" in a) == ("table" in a):
            raise SchemaError(join(path, i), "expected exactly one of factor, table")
        if "table" in a and "measure" not in a:
            raise SchemaError(join(join(path, i), "measure"), "required")
    return alts


COMBINE_STAGES: dict[str, Check] = {
    "best_of": mapping({"key": expression, "label": text}, required=("key",)),
    "upgrade": mapping({"key": expression, "label": text}, required=("key",)),
    # n, or {n, when, label}: of the items matching `when` only the best n count (9-1 posters)
    "max_items": one_of(integer, mapping({"n": integer, "when": expression, "label": text}, required=("n", "when"))),
    "count_tiers": mapping({"table": string, "label": text}, required=("table",)),
    "sum_tiers": mapping({"measure": expression, "table": string, "label": text},
                         required=("measure", "table")),
    "cap": nonneg_number,
}


def _combine_stage(v, path):
    if not isinstance(v, dict) or len(v) != 1:
        raise SchemaError(path, "expected one of " + ", ".join(COMBINE_STAGES))
    (k, x), = v.items()
    ch = COMBINE_STAGES.get(k)
    if ch is None:
        raise SchemaError(join(path, k), f"unknown key {k!r} (expected one of {', '.join(COMBINE_STAGES)})")
    return {k: ch(x, join(path, k))}


def _area_ref(v, path):
    if isinstance(v, str):
        return v
    return mapping({"from": expression, "default": string}, required=("from",))(v, path)


RULE = mapping(
    {
        "id": string, "title": text, "note": string, "area": _area_ref,
        "kinds": list_of(string, min_len=1), "source": enum("entries", "student"),
        "when": expression, "shared": boolean, "first_round": boolean,
        "accrual": enum("date", "submitted_on"),
        "window": list_of(WINDOW_ALT, min_len=1),
        "require": list_of(REQUIRE),
        "points": _primitive,
        "share": _share,
        "combine": list_of(_combine_stage),
    },
    required=("id", "area", "points"),
)

AREA = mapping({"id": string, "name": string, "cap": nullable(nonneg_number), "note": string,
                "aliases": list_of(string), "total": boolean, "cap_sums_rows": boolean},
               required=("id", "name"))

META = mapping(
    {
        "program": string, "ruleset": string, "version": text_or_number, "key": text_or_number,
        "effective_from": date, "effective_to": nullable(date),
        "title": string, "source": string, "note": string, "adjust": string,
        "points": enum("integer", "decimal"), "places": integer,
        "rounding": enum("down", "half_up", "half_even"),
        "max_total": nullable(nonneg_number), "threshold": nullable(nonneg_number),
        "balance": boolean, "abstract": boolean,
    },
    required=("program", "version", "effective_from"),
)

REQUIREMENT = mapping({"id": string, "when": expression, "detail": text, "gate": boolean,
                       "relevant": expression, "note": string}, required=("id", "when"))
EXEMPTION = mapping({"id": string, "when": expression, "detail": text, "note": string},
                    required=("id", "when"))
LIMIT = mapping({"id": string, "when": expression, "area": string, "max_items": integer,
                 "label": text, "note": string}, required=("id", "max_items"))

RULESET = mapping(
    {
        "meta": META,
        "extends": string,
        "applies": mapping({"when": expression, "detail": text, "note": string}, required=("when",)),
        "exemptions": list_of(EXEMPTION),
        "areas": list_of(AREA, min_len=1),
        "rules": list_of(RULE, min_len=1),
        "requirements": list_of(REQUIREMENT),
        "limits": list_of(LIMIT),
    },
    required=("meta", "areas", "rules"),
    extra=anything,  # tables; checked by the primitive that uses them
)

PROGRAM = mapping(
    {
        "program": string, "title": string, "note": string,
        "select": mapping({"key": expression, "field": string, "label": string, "date": expression}),
    },
    required=("program",),
)


def validate_ruleset(doc: Any, file: str) -> dict:
    try:
        return RULESET(doc, "")
    except SchemaError as e:
        raise RuleSetError(file, e.path or "(file)", e.reason) from None


def validate_program(doc: Any, file: str) -> dict:
    try:
        return PROGRAM(doc, "")
    except SchemaError as e:
        raise RuleSetError(file, e.path or "(file)", e.reason) from None
