"""The rule primitives: compiled from a rule file, applied to one entry or to a rule's items.

Per entry (a rule's `points:`)
    number      fixed points
    value       points from an expression (manual committee points)
    tier        highest row whose threshold the measure reaches; numeric or ordinal scales,
                `min` (≥) or `max` (≤, for places), optional `match` on entry fields;
                hour bands and GPA bands are tiers too
    conversion  cross-test conversion: group → test → tier rows (the language tables)
    lookup      key → points mapping (paper venue → points)
    named       rows of names (certificate lists) → points, matched on normalised name+grade
    per_unit    rate × whole units of a measure, with a per-item max
    first       the first alternative whose `when` holds and whose points resolve; an
                alternative may also stop with `none: reason` (not counted)
Multipliers (a rule's `share:`): the first alternative that applies gives a factor, fixed or
from a tier table (team size, author count).
Date windows (a rule's `window:`): alternatives of acquisition range + submission limits.
Over a rule's items (`combine:`): best_of (de-duplication key, best counts), upgrade
(chronological, later higher tiers pay the difference), max_items, count_tiers, cap.

Every primitive explains itself: it returns the reason text that ends up in the result, in the
case's language: `ctx["_ph"]` is that language's phrases (scoring/engine/phrases.py), and texts
prepared at load time are tuples indexed by `ph.i` (English, Korean). A label is a pair per
language `(render, unit)`: `unit` is None in English (the label ends with its measure word,
"교외 봉사 hours 10") and in Korean the unit pattern of that word ("교외 봉사 10시간").
"""
from __future__ import annotations

import datetime as _dt
from bisect import bisect_right
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any, Callable

from .expressions import fmt, norm, cert_key, cert_name, semester_of, add_years, semester_label
from .certificates import canon_key, wider_keys
from .phrases import LANGS, PHRASES, VALUES_KO, both, text_pair

ZERO = Decimal(0)
ONE = Decimal(1)

ROUNDING = {"down": ROUND_DOWN, "half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}


def D(x) -> Decimal:
    if isinstance(x, Decimal):
        return x
    if isinstance(x, float):
        return Decimal(repr(x))
    return Decimal(x)


class Miss:
    """A primitive found no points for the entry; `reason` says why. `suffix`: the rule name a
    `first` alternative with `none:` and `rule:` gives the item (e.g. `language.band_450`), so
    requirements can ask `claimed('language.band_450')` (issue 10 §3)."""

    __slots__ = ("reason", "suffix")

    def __init__(self, reason: str, suffix: str | None = None):
        self.reason = reason
        self.suffix = suffix


class Stop(Miss):
    """A `first` alternative decided: not counted, do not try the others."""

    __slots__ = ()


class Hit:
    __slots__ = ("points", "reason", "suffix")

    def __init__(self, points: Decimal, reason: str, suffix: str | None = None):
        self.points = points
        self.reason = reason
        self.suffix = suffix


def measured(label: str, unit: str | None, value) -> str:
    """A label and its measure: 'label 10' (English, no unit) or 'label 10시간' (Korean)."""
    if unit is None:
        return f"{label} {fmt(value)}"
    shown = unit.replace("{}", fmt(value))
    return f"{label} {shown}" if label else shown


def with_unit(unit: str | None, value) -> str:
    return fmt(value) if unit is None else unit.replace("{}", fmt(value))


def shown(values, i: int, v) -> str:
    """A coded value as the language shows it: `values` is None or, per language, None or a
    mapping code → shown text (VALUES_KO); anything not mapped prints as it is."""
    if values is not None:
        table = values[i]
        if table is not None and type(v) is str:
            s = table.get(v)
            if s is not None:
                return s
    return fmt(v)


_GRADES = (None, VALUES_KO["grade"])
# A lookup key built of several codes ("entry.type + '.' + entry.stage" → "patent.registered")
# reads one field no more; in Korean each part shows its Korean name ("특허 등록").
_CODES_KO = {code: text for table in VALUES_KO.values() for code, text in table.items()}


def _bounds(key: str, units, **bounds) -> tuple[str, ...]:
    """A row's bounds as each language prints them (grades by their Korean names in Korean,
    with the measure's unit when the language has one: '84일 이상')."""
    return tuple(PHRASES[key][lang].format(**{k: _bound(units[i], shown(_GRADES, i, v)) for k, v in bounds.items()})
                 for i, lang in enumerate(LANGS))


def _bound(unit, text):
    return text if unit is None else unit.replace("{}", text)


def _glue(ph, text: str) -> str:
    # Korean labels reduced to their unit leave nothing before the measure: no stray separator
    return text if not ph.i else text.lstrip(" :")


# ------------------------------------------------------------------ tier rows
class TierRows:
    """Rows tried in order; the first whose bounds hold wins.

    Ordinal scales: `rank` maps a grade to its position (higher = better); bounds given as
    grades are ranked once at load time. `find` answers (value, shown bound, "(bound) → value")
    with the texts prepared at load time, the last two as tuples per language.
    """

    __slots__ = ("rows", "rank", "value_key", "_mins", "_answers", "units")

    def __init__(self, rows: list[dict], value_key: str, rank: dict | None, units=(None, None)):
        """`units`: per language, the unit pattern bounds print with ('{}일'), or None."""
        self.value_key = value_key
        self.rank = rank
        self.units = units
        compiled = []
        tails = PHRASES["row_tail"]
        for r in rows:
            lo = r.get("min")
            hi = r.get("max")
            raw_lo, raw_hi = lo, hi
            if rank is not None:
                lo = None if lo is None else rank[str(lo)]
                hi = None if hi is None else rank[str(hi)]
            match = tuple((r.get("match") or {}).items())
            val = D(r[value_key])
            if r.get("label"):
                shown = text_pair(r["label"])
            elif raw_lo is not None and raw_hi is not None:
                shown = _bounds("row_range", units, lo=raw_lo, hi=raw_hi)
            elif raw_lo is not None:
                shown = _bounds("row_min", units, lo=raw_lo)
            elif raw_hi is not None:
                shown = _bounds("row_max", units, hi=raw_hi)
            else:
                shown = both("row_any")
            tail = tuple(tails[lang].format(shown=shown[i], points=fmt(val)) for i, lang in enumerate(LANGS))
            compiled.append((lo, hi, match, (val, shown, tail), raw_lo))
        self.rows = compiled
        # fast path: only `min` bounds, strictly descending (hour bands, score tiers): the
        # first row that holds is the one with the largest min ≤ measure → bisect
        self._mins = None
        if compiled and all(r[0] is not None and r[1] is None and not r[2] for r in compiled):
            mins = [r[0] for r in compiled]
            if all(a > b for a, b in zip(mins, mins[1:])):
                rev = compiled[::-1]
                self._mins = [r[0] for r in rev]
                self._answers = [r[3] for r in rev]

    def find(self, measure, entry: dict | None):
        """The winning row's (value, shown bounds, tail texts) or None."""
        if measure is None:
            return None
        if self.rank is not None:
            m = self.rank.get(str(measure))
            if m is None:
                return None
        else:
            if isinstance(measure, (str, bool)):
                return None
            m = measure
        mins = self._mins
        if mins is not None:
            i = bisect_right(mins, m)
            return self._answers[i - 1] if i else None
        for lo, hi, match, answer, _raw in self.rows:
            if lo is not None and m < lo:
                continue
            if hi is not None and m > hi:
                continue
            if match and (entry is None or any(entry.get(k) != v for k, v in match)):
                continue
            return answer
        return None

    def miss_reason(self, ph, subject: str, measure, entry: dict | None = None,
                    unit: str | None = None) -> str:
        if measure is None:
            if not subject and unit is not None:  # a Korean label reduced to its unit: name the unit
                subject = unit.replace("{}", "").strip()
            return _glue(ph, ph.no_value(subject=subject))
        value = fmt(measure) if not ph.i else shown(_GRADES, ph.i, measure)
        if unit is not None:
            value = unit.replace("{}", value)
        if self.rank is not None and self.rank.get(str(measure)) is None:
            return _glue(ph, ph.not_on_scale(subject=subject, value=value))
        rows = [r for r in self.rows
                if not r[2] or (entry is not None and all(entry.get(k) == v for k, v in r[2]))]
        if rows and all(r[1] is None and r[0] is not None for r in rows):
            lowest = rows[-1][4]
            lowest = _bound(self.units[ph.i], shown(_GRADES, ph.i, lowest))
            return _glue(ph, ph.below_lowest(subject=subject, value=value, lowest=lowest))
        return _glue(ph, ph.no_row(subject=subject, value=value))


# ------------------------------------------------------------------ per-entry primitives
# `label` below is a pair per language of (render(ctx) → text, unit or None); see the module doc.
class Fixed:
    __slots__ = ("points", "label")

    def __init__(self, points, label=None):
        self.points = D(points)
        self.label = label

    def __call__(self, ctx):
        ph = ctx["_ph"]
        if self.label is None:
            return Hit(self.points, ph.fixed(points=fmt(self.points)))
        return Hit(self.points, ph.fixed_label(label=self.label[ph.i][0](ctx),
                                                      points=fmt(self.points)))


class Value:
    __slots__ = ("expr", "label", "summed")

    def __init__(self, expr, label, summed=False):
        self.expr = expr
        self.label = label
        self.summed = summed  # the value is a measure a sum_tiers stage adds up: no points unit

    def __call__(self, ctx):
        ph = ctx["_ph"]
        render, unit = self.label[ph.i]
        v = self.expr(ctx)
        if v is None or isinstance(v, (bool, str)):
            return Miss(_glue(ph, ph.value_none(label=render(ctx))))
        v = D(v)
        if v < 0:
            return Miss(_glue(ph, ph.value_negative(label=render(ctx))))
        if unit is None:
            if self.summed:
                return Hit(v, ph.value_measure(label=render(ctx), value=fmt(v)))
            return Hit(v, ph.value_hit(label=render(ctx), points=fmt(v)))
        return Hit(v, measured(render(ctx), unit, v))  # the value is a measure (hours summed later)


class Tier:
    """`tier: {table, measure, key?}`: with `key`, the table is a mapping key → rows."""

    __slots__ = ("rows", "by_key", "measure", "key", "label", "key_values")

    def __init__(self, measure, label, rows: TierRows | None = None,
                 by_key: dict[str, TierRows] | None = None, key=None, key_values=None):
        self.rows = rows
        self.by_key = by_key
        self.measure = measure
        self.key = key
        self.label = label
        self.key_values = key_values  # per language: coded value → shown value, or None

    def __call__(self, ctx):
        ph = ctx["_ph"]
        i = ph.i
        render, unit = self.label[i]
        rows = self.rows
        label = render(ctx)
        if self.by_key is not None:
            k = self.key(ctx)
            rows = self.by_key.get(str(k)) if k is not None else None
            if rows is None:
                return Miss(_glue(ph, ph.tier_no_key(label=label, key=shown(self.key_values, i, k))))
        m = self.measure(ctx)
        found = rows.find(m, ctx.get("entry"))
        if found is None:
            return Miss(rows.miss_reason(ph, label, m, ctx.get("entry"), unit))
        if unit is None:
            text = f"{label} {fmt(m)} {found[2][i]}"
        else:
            text = f"{measured(label, unit, m)} {found[2][i]}"
        return Hit(found[0], text, suffix=None if self.by_key is None else str(k))


class Conversion:
    """group → test → rows; the entry's test picks the rows; the group becomes a fact."""

    __slots__ = ("tests", "test", "label", "group_fact", "test_names")

    def __init__(self, tests: dict, test, label, group_fact: str, test_names=None):
        # tests: test name → (group, measure field, TierRows)
        self.tests = tests
        self.test = test
        self.label = label
        self.group_fact = group_fact
        self.test_names = test_names  # per language: test → shown name, or None

    def __call__(self, ctx):
        ph = ctx["_ph"]
        i = ph.i
        t = self.test(ctx)
        spec = self.tests.get(t) if isinstance(t, str) else None
        if spec is None:
            entry = ctx.get("entry") or {}
            if t == "NEW_TEPS" and entry.get("entered_test") == "TEPS":  # inputs._new_teps
                return Miss(ph.not_convertible_new_teps(d=entry["date"], teps="TEPS",
                                                        new_teps=shown(self.test_names, i, t) if i else "New TEPS"))
            return Miss(ph.not_convertible(test=shown(self.test_names, i, t)))
        group, field, rows = spec
        ctx["fact"][self.group_fact] = group
        entry = ctx.get("entry") or {}
        m = entry.get(field)
        if self.label is not None:
            render, unit = self.label[i]
            label = render(ctx)
        else:
            label, unit = (t if not i else shown(self.test_names, i, t)), None
        found = rows.find(m, entry)
        if found is None:
            return Miss(rows.miss_reason(ph, label, m, entry, unit))
        if not i:
            text = f"{label} {fmt(m)} {found[2][i]}"
        else:
            text = f"{measured(label, unit, shown(_GRADES, i, m))} {found[2][i]}"
        return Hit(found[0], text, suffix=f"{group}.{t}")


class Lookup:
    __slots__ = ("table", "key", "label", "key_values")

    def __init__(self, table: dict, key, label, key_values=None):
        self.table = {str(k): D(v) for k, v in table.items()}
        self.key = key
        self.label = label
        self.key_values = key_values

    def __call__(self, ctx):
        ph = ctx["_ph"]
        i = ph.i
        k = self.key(ctx)
        v = self.table.get(str(k)) if k is not None else None
        label = self.label[i][0](ctx)
        key = fmt(k) if not i else shown(self.key_values, i, k)
        if i and self.key_values is None and type(k) is str and "." in k:
            key = " ".join(_CODES_KO.get(part, part) for part in k.split("."))
        if v is None:
            return Miss(_glue(ph, ph.lookup_miss(label=label, key=key)))
        text = ph.lookup_hit(label=label, key=key, points=fmt(v))
        return Hit(v, text if not i else _glue(ph, text), suffix=str(k))


class Named:
    """Rows of names → points, matched on normalised name + grade (spaces, brackets, case).

    A name listed without a grade ('재경관리사') matches every grade of it. A name listed only
    with grades ('네트워크관리사 2급') refuses its other grades when `other_grades: refuse`
    (seed 002: "부분 공인자격인 경우에는 공인자격으로 인정되는 급수까지만 인정").
    """

    __slots__ = ("exact", "gradeless", "families", "key", "label", "refuse_other_grades")

    def __init__(self, rows: list[dict], key, label, refuse_other_grades: bool = False):
        exact: dict[str, tuple[Decimal, str]] = {}
        gradeless: dict[str, tuple[Decimal, str]] = {}
        families: dict[str, list[str]] = {}
        for r in rows:
            for name in r["names"]:
                k = canon_key(name)  # the catalogue's name and grade (certificates.py)
                exact.setdefault(k, (D(r["points"]), name))
                base = cert_name(k)
                if base == k:
                    gradeless.setdefault(k, (D(r["points"]), name))
                else:
                    families.setdefault(base, []).append(k[len(base):])
        self.exact = exact
        self.gradeless = gradeless
        self.families = families
        self.key = key
        self.label = label
        self.refuse_other_grades = refuse_other_grades

    def __call__(self, ctx):
        ph = ctx["_ph"]
        label = self.label[ph.i][0]
        k = self.key(ctx)
        n = canon_key(k)
        found = self.exact.get(n)
        if found is None and n:
            base = cert_name(n)
            found = self.gradeless.get(base)
            if found is None and self.refuse_other_grades and base != n and base in self.families:
                grades = ", ".join(self.families[base])
                return Stop(ph.named_other_grade(label=label(ctx), grades=grades))
            # a table that prints a name without grade or a family ('MOS') lists each certificate
            # of it ('MOS Excel'), as listed() does (catalogue/README.md)
            for w in wider_keys(k):
                found = self.gradeless.get(w)
                if found is not None:
                    break
        if found is None:
            return Miss(ph.named_not_listed(label=label(ctx)))
        pts, name = found
        return Hit(pts, ph.named_hit(label=label(ctx), name=name, points=fmt(pts)))


class Improvement:
    """`improvement: {percent, then, label?}` (우수 향상률): the entry, a scored result, is at least
    `percent` % above the previous approved result of the same test in the input
    (`previous_score`, `previous_id`, `previous_date`, which inputs.py derives from the entries;
    a `previous_score` typed into the input is never used). Then `then` (any primitive) gives
    the points; the reason shows both results and the gain."""

    __slots__ = ("factor", "pct", "then", "label")

    def __init__(self, percent, then, label):
        self.pct = D(percent)
        self.factor = ONE + self.pct / 100
        self.then = then
        self.label = label

    def __call__(self, ctx):
        ph = ctx["_ph"]
        e = ctx.get("entry") or {}
        label = self.label[ph.i][0](ctx)
        test = e.get("test")
        score, prev = e.get("score"), e.get("previous_score")
        if score is None or prev is None or isinstance(score, bool) or isinstance(prev, bool):
            return Miss(ph.improvement_none(label=label, test=fmt(test)))
        score, prev = D(score), D(prev)
        gain = "∞" if prev == 0 else fmt(((score - prev) * 100 / prev).quantize(Decimal("0.1"), ROUND_DOWN))
        facts = dict(label=label, test=fmt(test), prev=fmt(prev), prev_id=fmt(e.get("previous_id")),
                     prev_date=fmt(e.get("previous_date")), score=fmt(score), gain=gain, pct=fmt(self.pct))
        if score < prev * self.factor:
            return Miss(ph.improvement_short(**facts))
        r = self.then(ctx)
        if isinstance(r, Miss):
            return Miss(ph.improvement_hit(reason=r.reason, **facts))
        r.reason = ph.improvement_hit(reason=r.reason, **facts)
        return r


class PerUnit:
    __slots__ = ("measure", "unit", "rate", "max", "label")

    def __init__(self, measure, unit, rate, max_, label):
        self.measure = measure
        self.unit = D(unit or 1)
        self.rate = D(rate)
        self.max = None if max_ is None else D(max_)
        self.label = label

    def __call__(self, ctx):
        ph = ctx["_ph"]
        render, munit = self.label[ph.i]
        m = self.measure(ctx)
        label = render(ctx)
        if m is None or isinstance(m, (bool, str)):
            return Miss(_glue(ph, ph.no_value(subject=label)))
        value = fmt(m) if munit is None else munit.replace("{}", fmt(m))
        units = (D(m) / self.unit).to_integral_value(rounding=ROUND_DOWN)
        if units <= 0:
            unit = fmt(self.unit) if munit is None else munit.replace("{}", fmt(self.unit))
            return Miss(_glue(ph, ph.per_unit_less(label=label, value=value, unit=unit)))
        pts = units * self.rate
        text = ph.per_unit_hit(label=label, value=value, units=fmt(units), rate=fmt(self.rate), points=fmt(pts))
        if ph.i:
            text = _glue(ph, text)
        if self.max is not None and pts > self.max:
            pts = self.max
            text = ph.per_unit_max(text=text, max=fmt(self.max))
        return Hit(pts, text)


class First:
    """Alternatives: (when, primitive | None, none-reason, suffix, reason template)."""

    __slots__ = ("alts", "otherwise")

    def __init__(self, alts, otherwise: tuple[str, str]):
        self.alts = alts
        self.otherwise = otherwise

    def __call__(self, ctx):
        last_miss = None
        for when, prim, none, suffix, reason in self.alts:
            if when is not None and not when(ctx):
                continue
            if prim is None:
                return Stop(none[ctx["_ph"].i](ctx), suffix)
            r = prim(ctx)
            if isinstance(r, Stop):
                return r
            if isinstance(r, Miss):
                last_miss = r
                continue
            if reason is not None:
                r.reason = reason[ctx["_ph"].i]({**ctx, "points": r.points, "value": r.points})
            if suffix is not None:
                r.suffix = suffix if r.suffix is None else f"{suffix}.{r.suffix}"
            return r
        return last_miss or Miss(self.otherwise[ctx["_ph"].i])


# ------------------------------------------------------------------ share multipliers
class Share:
    """Alternatives (when, factor | None, measure, TierRows, label); first that applies wins."""

    __slots__ = ("alts",)

    def __init__(self, alts):
        self.alts = alts

    def __call__(self, ctx) -> tuple[Decimal, str] | None:
        ph = ctx["_ph"]
        i = ph.i
        for when, factor, measure, rows, label in self.alts:
            if when is not None and not when(ctx):
                continue
            render, unit = label[i]
            if factor is not None:
                return factor, render(ctx)
            m = measure(ctx)
            found = rows.find(m, ctx.get("entry"))
            if found is None:
                continue
            if unit is None:
                return found[0], f"{render(ctx)} {fmt(m)} ({found[1][i]})"
            return found[0], f"{measured(render(ctx), unit, m)} ({found[1][i]})"
        return None


# ------------------------------------------------------------------ date windows
class WindowAlt:
    __slots__ = ("name", "label", "when", "acq_from", "acq_before", "sub_from", "sub_to",
                 "within_years", "semester_of")

    def __init__(self, spec: dict, when, semester_of_expr):
        self.name = spec["name"]
        self.label = text_pair(spec.get("label") or spec["name"])
        self.when = when
        acq = spec.get("acquired") or {}
        sub = spec.get("submitted") or {}
        self.acq_from = acq.get("from")
        self.acq_before = acq.get("before")
        self.sub_from = sub.get("from")
        self.sub_to = sub.get("to")
        self.within_years = spec.get("submitted_within_years")
        self.semester_of = semester_of_expr

    def applies(self, ctx, d: _dt.date) -> bool:
        if self.when is not None and not self.when(ctx):
            return False
        if self.acq_from is not None and d < self.acq_from:
            return False
        if self.acq_before is not None and d >= self.acq_before:
            return False
        return True

    def check(self, ctx, d: _dt.date, sub: _dt.date) -> str | None:
        """None when the submission is inside this window, else the reason it is not."""
        if self.sub_from is not None and sub < self.sub_from:
            ph = ctx["_ph"]
            return ph.submitted_before(sub=sub, start=self.sub_from, label=self.label[ph.i])
        if self.sub_to is not None and sub > self.sub_to:
            ph = ctx["_ph"]
            return ph.submitted_after(sub=sub, end=self.sub_to, label=self.label[ph.i])
        if self.within_years is not None:
            limit = add_years(d, self.within_years)
            if sub > limit:
                ph = ctx["_ph"]
                return ph.submitted_late(sub=sub, years=self.within_years, d=d, limit=limit,
                                         label=self.label[ph.i])
        if self.semester_of is not None:
            ref = self.semester_of(ctx)
            # without the reference date the reviewer checked it when approving
            if ref is not None and semester_of(sub) != semester_of(ref):
                ph = ctx["_ph"]
                return ph.submitted_other_semester(sub=semester_label(sub), ref=semester_label(ref),
                                                   label=self.label[ph.i])
        return None


class Window:
    __slots__ = ("alts", "earliest", "first_name", "labels")

    def __init__(self, alts: list[WindowAlt]):
        self.alts = alts
        self.first_name = alts[0].name
        self.labels = {a.name: a.label for a in alts}  # name → label per language
        froms = [a.acq_from for a in alts if a.acq_from is not None and a.acq_before is None]
        self.earliest = min(froms) if froms else None

    def __call__(self, ctx, d: _dt.date, sub: _dt.date) -> tuple[bool, str | None]:
        """(ok, reason if not ok, name of the window used)."""
        first_failure = None
        applicable = False
        for alt in self.alts:
            if not alt.applies(ctx, d):
                continue
            applicable = True
            why = alt.check(ctx, d, sub)
            if why is None:
                return True, alt.name
            if first_failure is None:
                first_failure = why
        if not applicable:
            ph = ctx["_ph"]
            if self.earliest is not None and d < self.earliest:
                return False, ph.before_earliest(d=d, earliest=self.earliest)
            return False, ph.outside_windows(d=d)
        return False, first_failure


# ------------------------------------------------------------------ items and combine stages
class Item:
    """One row of the result's `items`: what one rule made of one entry (or of the student).

    `pays_difference`: an upgrade stage counted this item for the difference over a lower tier
    already paid (the result says so with `"pays_difference": true`)."""

    __slots__ = ("entry_id", "rule", "area", "points", "counted", "reason", "accrued", "rule_index", "ctx",
                 "pays_difference")

    def __init__(self, entry_id, rule, area, accrued, rule_index, ctx):
        self.entry_id = entry_id
        self.rule = rule
        self.area = area
        self.points = ZERO
        self.counted = False
        self.reason = ""
        self.accrued = accrued
        self.rule_index = rule_index
        self.ctx = ctx
        self.pays_difference = False

    def refuse(self, reason: str):
        self.points = ZERO
        self.counted = False
        self.reason = reason
        self.pays_difference = False

    def chrono(self):
        return (self.accrued or _dt.date.min, self.entry_id or "")


def _group(items, key, ctx_for):
    groups: dict[Any, list[Item]] = {}
    for it in items:
        if not it.counted:
            continue
        k = key(ctx_for(it))
        if k is None or k == "":
            continue
        groups.setdefault(k, []).append(it)
    return groups


def _ctx_for(it: Item):
    return it.ctx


# Combine stages are called as stage(items, ph): the rule's items and the case's phrases.
class BestOf:
    """Among counted items with the same key only the best counts (ties: the earliest)."""

    __slots__ = ("key", "label")

    def __init__(self, key, label):
        self.key = key
        self.label = label  # per language

    def __call__(self, items: list[Item], ph):
        label = self.label[ph.i]
        for k, group in _group(items, self.key, _ctx_for).items():
            if len(group) < 2:
                continue
            group.sort(key=lambda it: (-it.points, it.accrued or _dt.date.min, it.entry_id or ""))
            best = group[0]
            for it in group[1:]:
                it.refuse(ph.best_of(reason=it.reason, label=label, best=best.entry_id,
                                            points=fmt(best.points)))


class Upgrade:
    """Chronological: the first item of a key counts in full; a later one only pays what it
    adds over the best already paid; one that adds nothing does not count."""

    __slots__ = ("key", "label", "key_values")

    def __init__(self, key, label, key_values=None):
        self.key = key
        self.label = label  # per language
        self.key_values = key_values

    def __call__(self, items: list[Item], ph):
        label = self.label[ph.i]
        for k, group in _group(items, self.key, _ctx_for).items():
            if len(group) < 2:
                continue
            group.sort(key=lambda it: (it.accrued or _dt.date.min, -it.points, it.entry_id or ""))
            paid = ZERO
            payer = None
            key = shown(self.key_values, ph.i, k)
            for it in group:
                if payer is None:
                    paid, payer = it.points, it
                    continue
                if it.points > paid:
                    diff = it.points - paid
                    it.reason = ph.upgrade_pays(reason=it.reason, label=label, key=key, paid=fmt(paid),
                                                       payer=payer.entry_id, diff=fmt(diff))
                    it.points = diff
                    it.pays_difference = True
                    paid = paid + diff
                    payer = it
                else:
                    it.refuse(ph.upgrade_not_higher(reason=it.reason, label=label, key=key,
                                                           paid=fmt(paid), payer=payer.entry_id))


class MaxItems:
    """Only the best n counted items count; with `when`, only the best n of the items it
    matches (the others are untouched): "포스터발표 2편 이상" is the most posters can reach."""

    __slots__ = ("n", "when", "label")

    def __init__(self, n, when=None, label=None):
        self.n = n
        self.when = when
        self.label = label  # per language, with `when`

    def __call__(self, items, ph):
        counted = [it for it in items if it.counted and (self.when is None or self.when(it.ctx))]
        counted.sort(key=lambda it: (-it.points, it.accrued or _dt.date.min, it.entry_id or ""))
        for it in counted[self.n:]:
            if self.when is None:
                it.refuse(ph.max_items(reason=it.reason, n=self.n))
            else:
                it.refuse(ph.max_items_of(reason=it.reason, n=self.n, label=self.label[ph.i]))


class CountTiers:
    """Points from the number of counted items; each item carries what it added."""

    __slots__ = ("rows", "label")

    def __init__(self, rows: TierRows, label):
        self.rows = rows
        self.label = label  # per language

    def __call__(self, items, ph):
        label = self.label[ph.i]
        counted = sorted((it for it in items if it.counted), key=Item.chrono)
        before = ZERO
        for n, it in enumerate(counted, start=1):
            found = self.rows.find(n, None)
            now = found[0] if found else ZERO
            if now < before:
                now = before
            add = now - before
            if add <= 0:
                it.refuse(ph.count_none(reason=it.reason, label=label, n=n, before=n - 1))
            else:
                it.points = add
                it.reason = ph.count_hit(reason=it.reason, label=label, n=n, points=fmt(now))
            before = now


class SumTiers:
    """Points from the sum of a measure over the rule's counted items (volunteer hours of several
    certificates): the item whose addition reaches the final row carries that row's points; the
    others are counted into its total and carry none."""

    __slots__ = ("measure", "rows", "label")

    def __init__(self, measure, rows: TierRows, label):
        self.measure = measure
        self.rows = rows
        self.label = label  # per language: (text, unit or None)

    def __call__(self, items, ph):
        counted = sorted((it for it in items if it.counted), key=Item.chrono)
        if not counted:
            return
        i = ph.i
        label, unit = self.label[i]
        running = ZERO
        steps = []
        for it in counted:
            m = self.measure(it.ctx)
            if m is not None and not isinstance(m, (bool, str)):
                running += D(m)
            steps.append((it, running, self.rows.find(running, None)))
        total = running
        final = steps[-1][2]
        if final is None:
            why = self.rows.miss_reason(ph, ph.sum_subject(label=label), total, unit=unit)
            for it, _, _ in steps:
                it.refuse(ph.sum_miss(reason=it.reason, why=why))
            return
        carrier, at = next((it, run) for it, run, f in steps if f is not None and f[0] == final[0])
        for it, run, f in steps:
            if it is carrier:
                it.points = final[0]
                it.reason = ph.sum_hit(reason=it.reason, label=label, total=with_unit(unit, at),
                                              tail=final[2][i])
            else:
                it.refuse(ph.sum_added(reason=it.reason, label=label, total=with_unit(unit, total),
                                              carrier=carrier.entry_id))


class Limit:
    """Program-level: of the counted items in `area` and/or matching `when` (any rule), only the
    best `max_items` count ("입학 전 취득한 실적은 한 가지만 인정")."""

    __slots__ = ("id", "when", "area", "n", "label")

    def __init__(self, id, when, area, n, label):
        self.id = id
        self.when = when
        self.area = area
        self.n = n
        self.label = label  # per language

    def __call__(self, items, ph):
        # checklist areas (total: false) only when the limit names them
        sel = [it for it in items if it.counted
               and (it.area is self.area if self.area is not None else it.area.in_total)
               and (self.when is None or self.when(it.ctx))]
        if len(sel) <= self.n:
            return
        sel.sort(key=lambda it: (-it.points, it.accrued or _dt.date.min, it.entry_id or ""))
        kept = ", ".join(str(it.entry_id or it.rule) for it in sel[:self.n])
        label = self.label[ph.i]
        for it in sel[self.n:]:
            it.refuse(ph.limit(reason=it.reason, label=label, n=self.n, kept=kept))


class Cap:
    __slots__ = ("cap", "label")

    def __init__(self, cap, label):
        self.cap = D(cap)
        self.label = label  # per language

    def __call__(self, items, ph):
        apply_cap(items, self.cap, self.label[ph.i], ph)


def apply_cap(items: list[Item], cap: Decimal, label: str, ph) -> None:
    """Cut counted items in chronological order so their sum never exceeds cap."""
    used = ZERO
    for it in sorted((it for it in items if it.counted), key=Item.chrono):
        room = cap - used
        if room <= 0:
            it.refuse(ph.cap_reached(reason=it.reason, label=label, cap=fmt(cap)))
        elif it.points > room:
            it.reason = ph.cap_cut(reason=it.reason, points=fmt(it.points), room=fmt(room),
                                          label=label, cap=fmt(cap))
            it.points = room
            used = cap
        else:
            used += it.points


def rounder(mode: str, places: int) -> Callable[[Decimal], Decimal]:
    q = Decimal(1).scaleb(-places)
    rounding = ROUNDING[mode]

    def r(x: Decimal) -> Decimal:
        return x.quantize(q, rounding=rounding)
    return r
