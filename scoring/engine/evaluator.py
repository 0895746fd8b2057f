"""The one generic evaluator: a compiled RuleSet and a validated Case in, the contract's output out.

Steps (the same for every program; everything program-specific is in the rule file):
1. every entry is claimed by the first rule whose `kinds` and `when` match (a `shared`
   rule lets the entry go on to later rules too); that rule checks status, dates
   (obtained and accrued on or before as_of), its date window, its `require` conditions,
   then computes points (primitive) and applies its share multiplier and rounding;
2. rules on the student (GPA, flags) add one item each;
3. each rule's `combine` stages run over its items (best-of, upgrade by difference, caps);
4. area caps, then the program's maximum, cut items in chronological order;
5. requirements, exemptions, applicability, threshold and balance.
An entry no rule claims (a kind the program has no rule for, or a committee entry naming an
area the program does not have) is an item too: not counted, 0 points, "not scored by this
program" — never an error for the whole student (issue 10: every program of a student sees
all of the student's entries, including those meant for another program).
Reasons are in the case's language: every context carries its phrases as `_ph` (phrases.py).
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal

from .errors import InputError
from .expressions import fmt
from .phrases import BY_LANG, PROGRAMS_KO
from .primitives import ZERO, ONE, CountTiers, Item, Miss, apply_cap
from .ruleset import RuleSet
from .inputs import Case, check_against_ruleset, check_balance

_HUNDRED = Decimal(100)
_DMIN = _dt.date.min


def _assess(rs: RuleSet, rule, e: dict, ctx: dict, as_of: _dt.date, ph) -> Item:
    accrued = e["submitted_on"] if rule.by_submission else e["date"]
    area = rule.area
    if area is None:
        area = _area_from_entry(rs, rule, e, ctx)
    item = Item(e["id"], rule.id, area, accrued, rule.index, ctx)
    status = e["status"]
    if status != "approved":
        item.reason = ph.not_approved()  # the contract's wording; the status is in the input
        return item
    d = e["date"]
    if d > as_of:
        item.reason = ph.obtained_after_as_of(d=d, as_of=as_of)
        return item
    if accrued > as_of:
        item.reason = ph.submitted_after_as_of(d=accrued, as_of=as_of)
        return item
    if e.get("level_passed") is False:  # a graded test's score under its level's pass mark (inputs.py)
        item.reason = ph.level_not_passed(test=e["test"], grade=e["grade"] + ("급" if e["test"] == "HSK" else ""), score=fmt(e["score"]),
                                          top=e["score_max"], mark=e["pass_mark"])
        return item
    via = None
    if rule.window is not None:
        ok, info = rule.window(ctx, d, e["submitted_on"])
        if not ok:
            item.reason = info
            return item
        if info is not rule.window.first_name:
            via = rule.window.labels[info][ph.i]
    for cond, why in rule.require:
        if not cond(ctx):
            item.reason = why[ph.i](ctx)
            return item
    r = rule.points(ctx)
    if isinstance(r, Miss):
        item.reason = r.reason
        if r.suffix:
            item.rule = f"{rule.id}.{r.suffix}"
        return item
    pts = r.points
    text = r.reason
    if r.suffix:
        item.rule = f"{rule.id}.{r.suffix}"
    if rule.share is not None:
        s = rule.share(ctx)
        if s is not None:
            factor, ftext = s
            if factor != ONE:
                shared = pts * factor
                text = ph.share(text=text, share=ftext, pct=fmt(factor * _HUNDRED), points=fmt(pts),
                                       shared=fmt(shared))
                pts = shared
    rounded = rs.round(pts)
    if rounded != pts:
        text = ph.rounded(text=text, points=fmt(rounded))
    if via is not None:
        text = ph.recognised_under(text=text, via=via)
    if rounded <= 0:
        item.reason = ph.no_points(text=text)
        return item
    item.points = rounded
    item.counted = True
    item.reason = text
    return item


class _NotScored(Exception):
    """The entry names no area of this program: the rule does not take it (see run)."""

    def __init__(self, reason):
        self.reason = reason


def _area_from_entry(rs: RuleSet, rule, e: dict, ctx: dict):
    v = rule.area_expr(ctx)
    ph = ctx["_ph"]
    if v is None:
        if rule.area_default is not None:
            return rule.area_default
        raise _NotScored(ph.not_scored_no_area())
    area = rs.area_by_ref.get(str(v))
    if area is None:
        # the areas as a reader of the language knows them: ids in English (as the rule file and
        # the old error), the printed names in Korean
        raise _NotScored(ph.not_scored_area(area=v, names=", ".join(a.name if ph.i else a.id for a in rs.areas)))
    return area


def _student_item(rs: RuleSet, rule, ctx: dict) -> Item:
    item = Item(None, rule.id, rule.area or rule.area_default or rs.areas[0], None, rule.index, ctx)
    r = rule.points(ctx)
    if isinstance(r, Miss):
        item.reason = r.reason
        return item
    if r.suffix:
        item.rule = f"{rule.id}.{r.suffix}"
    pts = rs.round(r.points)
    if pts <= 0:
        item.reason = ctx["_ph"].no_points(text=r.reason)
        return item
    item.points = pts
    item.counted = True
    item.reason = r.reason
    return item


class _State:
    """What requirements may ask: points by area and rule, counted items by rule (computed
    on first use: most programs never ask for rules)."""

    __slots__ = ("area_points", "items", "_rule_points", "_rule_counted", "_rule_claimed")

    def __init__(self, area_points, items):
        self.area_points: dict[str, Decimal] = area_points
        self.items = items
        self._rule_points = None
        self._rule_counted = None
        self._rule_claimed = None

    def _fill(self):
        rp: dict[str, Decimal] = {}
        rc: dict[str, int] = {}
        rl: dict[str, int] = {}
        for it in self.items:
            if it.counted:
                rp[it.rule] = rp.get(it.rule, ZERO) + it.points
                rc[it.rule] = rc.get(it.rule, 0) + 1
            e = it.ctx.get("entry")
            if e is None or e["status"] == "approved":
                rl[it.rule] = rl.get(it.rule, 0) + 1
        self._rule_points, self._rule_counted, self._rule_claimed = rp, rc, rl

    @property
    def rule_claimed(self):
        """Items of approved entries a rule looked at, counted or not (`claimed('rule')`)."""
        if self._rule_claimed is None:
            self._fill()
        return self._rule_claimed

    @property
    def rule_points(self):
        if self._rule_points is None:
            self._fill()
        return self._rule_points

    @property
    def rule_counted(self):
        if self._rule_counted is None:
            self._fill()
        return self._rule_counted


def _prefixed(mapping: dict, ref: str, zero):
    if ref in mapping:
        return mapping[ref]
    total = zero
    pre = ref + "."
    for k, v in mapping.items():
        if k.startswith(pre):
            total += v
    return total


def cf_area_points(ctx, ref):
    return ctx["_state"].area_points.get(str(ref), ZERO)


def cf_rule_points(ctx, ref):
    return _prefixed(ctx["_state"].rule_points, str(ref), ZERO)


def cf_counted(ctx, ref):
    return _prefixed(ctx["_state"].rule_counted, str(ref), 0)


def cf_claimed(ctx, ref):
    return _prefixed(ctx["_state"].rule_claimed, str(ref), 0)


def cf_entries(ctx, kind=None):
    entries = ctx.get("_entries") or []
    return sum(1 for e in entries if e["status"] == "approved" and (kind is None or e["kind"] == kind))


CONTEXT_FUNCTIONS = {
    "area_points": cf_area_points,
    "rule_points": cf_rule_points,
    "counted": cf_counted,
    "claimed": cf_claimed,
    "entries": cf_entries,
}


def _allows_clawback(case) -> bool:
    """`allow_clawback: true` (an addition to the contract): the caller's redemptions were each
    checked against the balance when made, and an entry revoked since may leave the balance below
    zero — points to reclaim, not an impossible input (the portal sends it; see README, "Revoking
    after a redemption"). Without it, redemptions above the accrued points are an input error."""
    v = case.raw.get("allow_clawback") if isinstance(case.raw, dict) else None
    if v is None or v is False:
        return False
    if v is True:
        return True
    raise InputError("allow_clawback", "expected true or false")


def _order(it: Item):
    return (it.area.index, it.rule_index, it.accrued or _DMIN, it.entry_id or "")


def run(rs: RuleSet, case: Case, applicable: bool = True) -> dict:
    as_of = case.as_of
    ph = BY_LANG[case.lang]
    student = case.student
    tables = rs.tables
    rules = rs.rules
    per_rule: list[list[Item]] = [[] for _ in rules]
    by_kind = rs.rules_by_kind

    unscored: list[tuple[dict, str]] = []  # (entry, reason): no rule of this program takes it
    for e in case.entries:
        claimed, why = False, None
        granted_under = e.get("program") if e["kind"] == "manual" else None
        if granted_under is not None and granted_under != case.program:
            # another program's committee points: never scored here, even where an area id matches
            shown = PROGRAMS_KO.get(granted_under, granted_under) if ph.i else granted_under
            unscored.append((e, ph.not_scored_program(program=shown)))
            continue
        # a certificate's 1차 (필기) pass is no certificate: only rules that say they score it
        # (`first_round: true`) see it (issue 10 §3; FORMAT.md)
        first_round = e.get("stage") == "first_round" and e["kind"] == "certificate"
        for rule in by_kind.get(e["kind"], ()):
            if first_round and not rule.first_round:
                continue
            ctx = {"entry": e, "student": student, "as_of": as_of, "table": tables, "fact": {}, "_ph": ph}
            if rule.when is not None and not rule.when(ctx):
                continue
            try:
                item = _assess(rs, rule, e, ctx, as_of, ph)
            except _NotScored as n:
                why = n.reason
                continue
            per_rule[rule.index].append(item)
            claimed = True
            if not rule.shared:
                break
        if not claimed:
            unscored.append((e, why or ph.not_scored()))

    if rs.threshold is not None and any(e["kind"] == "manual" for e in case.entries):
        # committee points a rule of this program took: within 0..the pass mark
        check_against_ruleset(case, rs.threshold,
                              [it.ctx["entry"] for items in per_rule for it in items
                               if it.ctx["entry"]["kind"] == "manual"])

    for rule in rs.student_rules:
        ctx = {"entry": None, "student": student, "as_of": as_of, "table": tables, "fact": {}, "_ph": ph}
        if rule.when is not None and not rule.when(ctx):
            continue
        per_rule[rule.index].append(_student_item(rs, rule, ctx))

    differences = False  # an upgrade stage paid a difference: those items say so in the result
    for rule, items in zip(rules, per_rule):
        if rule.combine and items:
            for stage in rule.combine:
                stage(items, ph)
            if rule.upgrades and not differences:
                differences = any(it.pays_difference for it in items)

    all_items = [it for items in per_rule for it in items]
    for limit in rs.limits:  # program-level limits across rules (before area caps)
        limit(all_items, ph)

    by_area: dict = {}
    caps_used: dict = {}  # the cap each area applied (cap_sums_rows: at least the best single row)
    for it in all_items:
        if it.counted:
            by_area.setdefault(it.area, []).append(it)
    for area, items in by_area.items():
        if area.cap is None:
            continue
        cap = area.cap
        if area.cap_sums_rows:
            # one printed row keeps its value, several add up to the cap at most: the cap used is
            # at least the best single item (a row "2개 2.0" reached by counting is its rule's
            # sum); committee points never raise it
            best = ZERO
            counting: dict = {}
            for it in items:
                if it.ctx["entry"] is not None and it.ctx["entry"]["kind"] == "manual":
                    continue
                if any(isinstance(st, CountTiers) for st in rules[it.rule_index].combine):
                    counting[it.rule_index] = counting.get(it.rule_index, ZERO) + it.points
                elif it.points > best:
                    best = it.points
            cap = max(cap, best, *counting.values())
            caps_used[area.id] = cap
        if sum((it.points for it in items), ZERO) > cap:
            apply_cap(items, cap, ph.area_cap(area=area.name), ph)
    if rs.max_total is not None:
        scored = [it for it in all_items if it.area.in_total]
        if sum((it.points for it in scored if it.counted), ZERO) > rs.max_total:
            apply_cap(scored, rs.max_total, ph.program_max(), ph)

    area_sum = {a.id: ZERO for a in rs.areas}
    for it in all_items:
        if it.counted:
            area_sum[it.area.id] += it.points
    area_points = {ref: area_sum[a.id] for ref, a in rs.area_by_ref.items()}
    state = _State(area_points, all_items)
    total = sum((area_sum[a.id] for a in rs.areas if a.in_total), ZERO)

    balance = None
    if rs.balance:
        redeemed = sum((Decimal(str(r["points"])) if isinstance(r["points"], float) else Decimal(r["points"])
                        for r in case.redemptions if r["date"] <= as_of), ZERO)
        if redeemed > total and not _allows_clawback(case):
            check_balance(case, total)
        balance = total - redeemed

    num = int if rs.integer else (lambda x: float(x))
    rctx = {"student": student, "as_of": as_of, "table": tables, "total": total,
            "balance": balance, "_state": state, "_entries": case.entries,
            "points_by_area": state.area_points, "_ph": ph}
    requirements = []
    gates_ok = True
    for q in rs.requirements:
        if q.relevant is not None and not q.relevant(rctx):
            continue  # an informative row with nothing to decide: not listed (never "not met")
        met = bool(q.when(rctx))
        if q.gate and not met:
            gates_ok = False
        requirements.append({"id": q.id, "met": met, "detail": q.detail[ph.i](rctx)})

    not_applicable = not applicable
    if rs.applies is not None and not rs.applies[0](rctx):
        not_applicable = True
    exempt = None
    if not not_applicable:
        for ex_id, cond, _detail in rs.exemptions:
            if cond(rctx):
                exempt = ex_id
                break
    if not_applicable or rs.threshold is None:
        passed = None
    elif exempt is not None:
        passed = True
    else:
        passed = total >= rs.threshold and gates_ok

    all_items.sort(key=_order)
    out_items = [
        {
            "entry_id": it.entry_id,
            "rule": it.rule,
            "area": it.area.name,
            "points": num(it.points),
            "counted": it.counted,
            "reason": it.reason,
            "accrued_on": None if it.accrued is None else it.accrued.isoformat(),
        }
        for it in all_items
    ]
    for it, out in zip(all_items, out_items) if differences else ():
        if it.pays_difference:  # an addition to the contract: only on items that pay a difference
            out["pays_difference"] = True
    zero = num(ZERO)
    out_items += [{"entry_id": e["id"], "rule": None, "area": None, "points": zero, "counted": False,
                   "reason": why, "accrued_on": e["date"].isoformat()}
                  for e, why in sorted(unscored, key=lambda u: (u[0]["date"], u[0]["id"]))]  # order-free
    return {
        "program": case.program,
        "ruleset": rs.name,
        "ruleset_version": rs.version,
        "total": num(total),
        "threshold": None if rs.threshold is None else num(rs.threshold),
        "passed": passed,
        "exempt": exempt,
        "not_applicable": not_applicable,
        "requirements": requirements,
        "areas": [{"area": a.name, "points": num(area_sum[a.id]),
                   "cap": None if a.cap is None else num(caps_used.get(a.id, a.cap)),
                   **({} if a.in_total else {"in_total": False})} for a in rs.areas],
        "items": out_items,
        "balance": None if balance is None else num(balance),
    }
