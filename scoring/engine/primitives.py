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

Every primitive explains itself: it returns the reason text that ends up in the result.
"""
from __future__ import annotations

import datetime as _dt
from bisect import bisect_right
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any, Callable

from .expressions import fmt, norm, cert_key, cert_name, semester_of, add_years, semester_label

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
    """A primitive found no points for the entry; `reason` says why."""

    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason


class Stop(Miss):
    """A `first` alternative decided: not counted, do not try the others."""

    __slots__ = ()


class Hit:
    __slots__ = ("points", "reason", "suffix")

    def __init__(self, points: Decimal, reason: str, suffix: str | None = None):
        self.points = points
        self.reason = reason
        self.suffix = suffix


# ------------------------------------------------------------------ tier rows
class TierRows:
    """Rows tried in order; the first whose bounds hold wins.

    Ordinal scales: `rank` maps a grade to its position (higher = better); bounds given as
    grades are ranked once at load time. `find` answers (value, shown bound, "(bound) → value")
    with the texts prepared at load time.
    """

    __slots__ = ("rows", "rank", "value_key", "_mins", "_answers")

    def __init__(self, rows: list[dict], value_key: str, rank: dict | None):
        self.value_key = value_key
        self.rank = rank
        compiled = []
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
                shown = r["label"]
            elif raw_lo is not None and raw_hi is not None:
                shown = f"{fmt(raw_lo)}–{fmt(raw_hi)}"
            elif raw_lo is not None:
                shown = f"≥ {fmt(raw_lo)}"
            elif raw_hi is not None:
                shown = f"≤ {fmt(raw_hi)}"
            else:
                shown = "any"
            compiled.append((lo, hi, match, (val, shown, f"({shown}) → {fmt(val)}"), raw_lo))
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
        """The winning row's (value, shown bound, tail text) or None."""
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

    def miss_reason(self, subject: str, measure, entry: dict | None = None) -> str:
        if measure is None:
            return f"{subject}: no value given"
        if self.rank is not None and self.rank.get(str(measure)) is None:
            return f"{subject} {fmt(measure)}: not on the table's scale"
        rows = [r for r in self.rows
                if not r[2] or (entry is not None and all(entry.get(k) == v for k, v in r[2]))]
        if rows and all(r[1] is None and r[0] is not None for r in rows):
            lowest = rows[-1][4]
            return f"{subject} {fmt(measure)} is below the lowest row (≥ {fmt(lowest)})"
        return f"{subject} {fmt(measure)} matches no row of the table"


# ------------------------------------------------------------------ per-entry primitives
class Fixed:
    __slots__ = ("points", "label")

    def __init__(self, points, label=None):
        self.points = D(points)
        self.label = label

    def __call__(self, ctx):
        if self.label is None:
            return Hit(self.points, f"fixed {fmt(self.points)}")
        return Hit(self.points, f"{self.label(ctx)} → {fmt(self.points)}")


class Value:
    __slots__ = ("expr", "label")

    def __init__(self, expr, label):
        self.expr = expr
        self.label = label

    def __call__(self, ctx):
        v = self.expr(ctx)
        if v is None or isinstance(v, (bool, str)):
            return Miss(f"{self.label(ctx)}: no points given")
        v = D(v)
        if v < 0:
            return Miss(f"{self.label(ctx)}: negative points are not allowed")
        return Hit(v, f"{self.label(ctx)} {fmt(v)}")


class Tier:
    """`tier: {table, measure, key?}`: with `key`, the table is a mapping key → rows."""

    __slots__ = ("rows", "by_key", "measure", "key", "label")

    def __init__(self, measure, label, rows: TierRows | None = None,
                 by_key: dict[str, TierRows] | None = None, key=None):
        self.rows = rows
        self.by_key = by_key
        self.measure = measure
        self.key = key
        self.label = label

    def __call__(self, ctx):
        rows = self.rows
        label = self.label(ctx)
        if self.by_key is not None:
            k = self.key(ctx)
            rows = self.by_key.get(str(k)) if k is not None else None
            if rows is None:
                return Miss(f"{label}: no row for {fmt(k)}")
        m = self.measure(ctx)
        found = rows.find(m, ctx.get("entry"))
        if found is None:
            return Miss(rows.miss_reason(label, m, ctx.get("entry")))
        return Hit(found[0], f"{label} {fmt(m)} {found[2]}",
                   suffix=None if self.by_key is None else str(k))


class Conversion:
    """group → test → rows; the entry's test picks the rows; the group becomes a fact."""

    __slots__ = ("tests", "test", "label", "group_fact")

    def __init__(self, tests: dict, test, label, group_fact: str):
        # tests: test name → (group, measure field, TierRows)
        self.tests = tests
        self.test = test
        self.label = label
        self.group_fact = group_fact

    def __call__(self, ctx):
        t = self.test(ctx)
        spec = self.tests.get(t) if isinstance(t, str) else None
        if spec is None:
            return Miss(f"{fmt(t)}: not in the conversion table")
        group, field, rows = spec
        ctx["fact"][self.group_fact] = group
        entry = ctx.get("entry") or {}
        m = entry.get(field)
        label = self.label(ctx) if self.label is not None else t
        found = rows.find(m, entry)
        if found is None:
            return Miss(rows.miss_reason(label, m, entry))
        return Hit(found[0], f"{label} {fmt(m)} {found[2]}", suffix=f"{group}.{t}")


class Lookup:
    __slots__ = ("table", "key", "label")

    def __init__(self, table: dict, key, label):
        self.table = {str(k): D(v) for k, v in table.items()}
        self.key = key
        self.label = label

    def __call__(self, ctx):
        k = self.key(ctx)
        v = self.table.get(str(k)) if k is not None else None
        if v is None:
            return Miss(f"{self.label(ctx)} {fmt(k)}: not in the table")
        return Hit(v, f"{self.label(ctx)} {fmt(k)} → {fmt(v)}", suffix=str(k))


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
                k = cert_key(name)
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
        k = self.key(ctx)
        n = norm(k)
        found = self.exact.get(n)
        if found is None and n:
            base = cert_name(n)
            found = self.gradeless.get(base)
            if found is None and self.refuse_other_grades and base != n and base in self.families:
                grades = ", ".join(self.families[base])
                return Stop(f"{self.label(ctx)}: this grade is not in the table (listed: {grades})")
        if found is None:
            return Miss(f"{self.label(ctx)}: not on the list")
        pts, name = found
        return Hit(pts, f"{self.label(ctx)}: listed as '{name}' → {fmt(pts)}")


class PerUnit:
    __slots__ = ("measure", "unit", "rate", "max", "label")

    def __init__(self, measure, unit, rate, max_, label):
        self.measure = measure
        self.unit = D(unit or 1)
        self.rate = D(rate)
        self.max = None if max_ is None else D(max_)
        self.label = label

    def __call__(self, ctx):
        m = self.measure(ctx)
        label = self.label(ctx)
        if m is None or isinstance(m, (bool, str)):
            return Miss(f"{label}: no value given")
        units = (D(m) / self.unit).to_integral_value(rounding=ROUND_DOWN)
        if units <= 0:
            return Miss(f"{label} {fmt(m)}: less than one unit of {fmt(self.unit)}")
        pts = units * self.rate
        text = f"{label} {fmt(m)}: {fmt(units)} × {fmt(self.rate)} = {fmt(pts)}"
        if self.max is not None and pts > self.max:
            pts = self.max
            text += f", limited to {fmt(self.max)} per item"
        return Hit(pts, text)


class First:
    """Alternatives: (when, primitive | None, none-reason, suffix, reason template)."""

    __slots__ = ("alts", "otherwise")

    def __init__(self, alts, otherwise: str):
        self.alts = alts
        self.otherwise = otherwise

    def __call__(self, ctx):
        last_miss = None
        for when, prim, none, suffix, reason in self.alts:
            if when is not None and not when(ctx):
                continue
            if prim is None:
                return Stop(none(ctx))
            r = prim(ctx)
            if isinstance(r, Stop):
                return r
            if isinstance(r, Miss):
                last_miss = r
                continue
            if reason is not None:
                r.reason = reason({**ctx, "points": r.points, "value": r.points})
            if suffix is not None:
                r.suffix = suffix if r.suffix is None else f"{suffix}.{r.suffix}"
            return r
        return last_miss or Miss(self.otherwise)


# ------------------------------------------------------------------ share multipliers
class Share:
    """Alternatives (when, factor | None, measure, TierRows, label); first that applies wins."""

    __slots__ = ("alts",)

    def __init__(self, alts):
        self.alts = alts

    def __call__(self, ctx) -> tuple[Decimal, str] | None:
        for when, factor, measure, rows, label in self.alts:
            if when is not None and not when(ctx):
                continue
            if factor is not None:
                return factor, label(ctx)
            m = measure(ctx)
            found = rows.find(m, ctx.get("entry"))
            if found is None:
                continue
            return found[0], f"{label(ctx)} {fmt(m)} ({found[1]})"
        return None


# ------------------------------------------------------------------ date windows
class WindowAlt:
    __slots__ = ("name", "label", "when", "acq_from", "acq_before", "sub_from", "sub_to",
                 "within_years", "semester_of")

    def __init__(self, spec: dict, when, semester_of_expr):
        self.name = spec["name"]
        self.label = spec.get("label") or spec["name"]
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
            return f"submitted {sub} before {self.sub_from} ({self.label})"
        if self.sub_to is not None and sub > self.sub_to:
            return f"submitted {sub}, after {self.sub_to} ({self.label})"
        if self.within_years is not None:
            limit = add_years(d, self.within_years)
            if sub > limit:
                return (f"submitted {sub}, more than {self.within_years} years after {d} "
                        f"(deadline {limit}; {self.label})")
        if self.semester_of is not None:
            ref = self.semester_of(ctx)
            # without the reference date the reviewer checked it when approving
            if ref is not None and semester_of(sub) != semester_of(ref):
                return (f"submitted in semester {semester_label(sub)}, not in semester "
                        f"{semester_label(ref)} ({self.label})")
        return None


class Window:
    __slots__ = ("alts", "earliest", "first_name", "labels")

    def __init__(self, alts: list[WindowAlt]):
        self.alts = alts
        self.first_name = alts[0].name
        self.labels = {a.name: a.label for a in alts}
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
            if self.earliest is not None and d < self.earliest:
                return False, f"obtained {d}, before {self.earliest} and no retroactive rule applies"
            return False, f"obtained {d}: outside every recognition window"
        return False, first_failure


# ------------------------------------------------------------------ items and combine stages
class Item:
    """One row of the result's `items`: what one rule made of one entry (or of the student)."""

    __slots__ = ("entry_id", "rule", "area", "points", "counted", "reason", "accrued", "rule_index", "ctx")

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

    def refuse(self, reason: str):
        self.points = ZERO
        self.counted = False
        self.reason = reason

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


class BestOf:
    """Among counted items with the same key only the best counts (ties: the earliest)."""

    __slots__ = ("key", "label")

    def __init__(self, key, label):
        self.key = key
        self.label = label

    def __call__(self, items: list[Item], ctx_base):
        for k, group in _group(items, self.key, _ctx_for).items():
            if len(group) < 2:
                continue
            group.sort(key=lambda it: (-it.points, it.accrued or _dt.date.min, it.entry_id or ""))
            best = group[0]
            for it in group[1:]:
                it.refuse(f"{it.reason}; {self.label} as {best.entry_id}, which counts "
                          f"{fmt(best.points)}: only the best counts")


class Upgrade:
    """Chronological: the first item of a key counts in full; a later one only pays what it
    adds over the best already paid; one that adds nothing does not count."""

    __slots__ = ("key", "label")

    def __init__(self, key, label):
        self.key = key
        self.label = label

    def __call__(self, items: list[Item], ctx_base):
        for k, group in _group(items, self.key, _ctx_for).items():
            if len(group) < 2:
                continue
            group.sort(key=lambda it: (it.accrued or _dt.date.min, -it.points, it.entry_id or ""))
            paid = ZERO
            payer = None
            for it in group:
                if payer is None:
                    paid, payer = it.points, it
                    continue
                if it.points > paid:
                    diff = it.points - paid
                    it.reason = (f"{it.reason}; {self.label} {fmt(k)}: {fmt(paid)} already paid "
                                 f"({payer.entry_id}), pays the difference {fmt(diff)}")
                    it.points = diff
                    paid = paid + diff
                    payer = it
                else:
                    it.refuse(f"{it.reason}; {self.label} {fmt(k)}: {fmt(paid)} already paid "
                              f"({payer.entry_id}), not a higher tier")


class MaxItems:
    __slots__ = ("n",)

    def __init__(self, n):
        self.n = n

    def __call__(self, items, ctx_base):
        counted = [it for it in items if it.counted]
        counted.sort(key=lambda it: (-it.points, it.accrued or _dt.date.min, it.entry_id or ""))
        for it in counted[self.n:]:
            it.refuse(f"{it.reason}; only {self.n} item(s) of this rule count")


class CountTiers:
    """Points from the number of counted items; each item carries what it added."""

    __slots__ = ("rows", "label")

    def __init__(self, rows: TierRows, label):
        self.rows = rows
        self.label = label

    def __call__(self, items, ctx_base):
        counted = sorted((it for it in items if it.counted), key=Item.chrono)
        before = ZERO
        for n, it in enumerate(counted, start=1):
            found = self.rows.find(n, None)
            now = found[0] if found else ZERO
            if now < before:
                now = before
            add = now - before
            if add <= 0:
                it.refuse(f"{it.reason}; {self.label}: {n} item(s) give no more than {n - 1}")
            else:
                it.points = add
                it.reason = f"{it.reason}; {self.label}: {n} item(s) → {fmt(now)}"
            before = now


class SumTiers:
    """Points from the sum of a measure over the rule's counted items (volunteer hours of several
    certificates): the item whose addition reaches the final row carries that row's points; the
    others are counted into its total and carry none."""

    __slots__ = ("measure", "rows", "label")

    def __init__(self, measure, rows: TierRows, label):
        self.measure = measure
        self.rows = rows
        self.label = label

    def __call__(self, items, ctx_base):
        counted = sorted((it for it in items if it.counted), key=Item.chrono)
        if not counted:
            return
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
            why = self.rows.miss_reason(f"{self.label}: in total", total)
            for it, _, _ in steps:
                it.refuse(f"{it.reason}; {why}")
            return
        carrier, at = next((it, run) for it, run, f in steps if f is not None and f[0] == final[0])
        for it, run, f in steps:
            if it is carrier:
                it.points = final[0]
                it.reason = f"{it.reason}; {self.label}: {fmt(at)} in total {final[2]}"
            else:
                it.refuse(f"{it.reason}; {self.label}: added to the total ({fmt(total)}), "
                          f"whose points {carrier.entry_id} carries")


class Limit:
    """Program-level: of the counted items in `area` and/or matching `when` (any rule), only the
    best `max_items` count ("입학 전 취득한 실적은 한 가지만 인정")."""

    __slots__ = ("id", "when", "area", "n", "label")

    def __init__(self, id, when, area, n, label):
        self.id = id
        self.when = when
        self.area = area
        self.n = n
        self.label = label

    def __call__(self, items):
        # checklist areas (total: false) only when the limit names them
        sel = [it for it in items if it.counted
               and (it.area is self.area if self.area is not None else it.area.in_total)
               and (self.when is None or self.when(it.ctx))]
        if len(sel) <= self.n:
            return
        sel.sort(key=lambda it: (-it.points, it.accrued or _dt.date.min, it.entry_id or ""))
        kept = ", ".join(str(it.entry_id or it.rule) for it in sel[:self.n])
        for it in sel[self.n:]:
            it.refuse(f"{it.reason}; {self.label}: only {self.n} item(s) count ({kept})")


class Cap:
    __slots__ = ("cap", "label")

    def __init__(self, cap, label="the rule's cap"):
        self.cap = D(cap)
        self.label = label

    def __call__(self, items, ctx_base):
        apply_cap(items, self.cap, self.label)


def apply_cap(items: list[Item], cap: Decimal, label: str) -> None:
    """Cut counted items in chronological order so their sum never exceeds cap."""
    used = ZERO
    for it in sorted((it for it in items if it.counted), key=Item.chrono):
        room = cap - used
        if room <= 0:
            it.refuse(f"{it.reason}; {label} of {fmt(cap)} already reached")
        elif it.points > room:
            it.reason = f"{it.reason}; cut from {fmt(it.points)} to {fmt(room)} by {label} of {fmt(cap)}"
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
