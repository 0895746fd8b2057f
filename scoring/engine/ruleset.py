"""Compile a validated rule file into a RuleSet: expressions compiled, tables indexed.

Everything that can be checked before evaluation is checked here, with the file and the
path: unknown tables, grades that are not on a scale, unknown areas, duplicate rule ids,
expressions that do not parse, top-level keys that are neither a section nor a table some
rule uses (a misspelt `rule:` would otherwise be silently ignored).
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from . import primitives as P
from . import schema as S
from .errors import ExpressionError, RuleSetError
from .expressions import ONE_FIELD, compile_expression, compile_template
from .inputs import KIND_NAMES
from .phrases import COUNT_UNIT, PHRASES, VALUES_KO, both, bound_units, split_measure, text_pair

_KO_WORDS = (PHRASES["yes"]["ko"], PHRASES["no"]["ko"])


def _values_for(src) -> tuple | None:
    """Per language, how the values of an expression that reads one coded field are shown
    (`entry.venue` → Korean names of venues), or None."""
    m = ONE_FIELD.match(src) if isinstance(src, str) else None
    table = VALUES_KO.get(m.group(1)) if m else None
    return None if table is None else (None, table)



class Area:
    __slots__ = ("id", "name", "cap", "index", "in_total", "cap_sums_rows")

    def __init__(self, id, name, cap, index, in_total=True, cap_sums_rows=False):
        self.id = id
        self.name = name
        self.cap = None if cap is None else P.D(cap)
        self.index = index
        self.in_total = in_total  # false: a checklist area (required items), not added to the total
        # true: the cap limits what several rows add up to, never one row's own printed value
        # (the cap used is at least the best single item, or a count_tiers rule's sum; issue 10 §3)
        self.cap_sums_rows = cap_sums_rows


class Rule:
    __slots__ = ("id", "index", "title", "area", "area_expr", "area_default", "kinds", "source",
                 "when", "shared", "accrual", "by_submission", "window", "require", "points", "share",
                 "combine", "upgrades", "first_round")


class Requirement:
    __slots__ = ("id", "when", "detail", "gate", "relevant")

    def __init__(self, id, when, detail, gate, relevant=None):
        self.id = id
        self.when = when
        self.detail = detail
        self.gate = gate
        self.relevant = relevant  # false → not listed (informative rows only: gate false)


class RuleSet:
    """One version of one rule set, ready to evaluate."""

    def __init__(self):
        self.file = ""
        self.program = ""
        self.name = ""
        self.version = ""
        self.key = None
        self.effective_from: _dt.date | None = None
        self.effective_to: _dt.date | None = None
        self.integer = True
        self.round = None
        self.max_total = None
        self.threshold = None
        self.balance = False
        self.applies = None
        self.exemptions: list = []
        self.areas: list[Area] = []
        self.area_by_ref: dict[str, Area] = {}
        self.rules: list[Rule] = []
        self.rules_by_kind: dict[str, list[Rule]] = {}
        self.student_rules: list[Rule] = []
        self.requirements: list[Requirement] = []
        self.limits: list = []
        self.tables: dict = {}
        self.meta: dict = {}


class _Compiler:
    def __init__(self, doc: dict, file: str, context_functions: dict):
        self.doc = doc
        self.file = file
        self.tables = {k: v for k, v in doc.items() if k not in S.RESERVED}
        self.used: set[str] = set()
        self.context_functions = context_functions

    # -------------------------------------------------- helpers
    def fail(self, path, reason):
        raise RuleSetError(self.file, path, reason)

    def expr(self, src, path, context=False):
        try:
            return compile_expression(src, self.tables, self.context_functions if context else None,
                                      self.used)
        except ExpressionError as e:
            self.fail(path, str(e))

    def template(self, text, path, default=None, measure=False):
        """A text of the rule file (`"..."` or `{en, ko}`) → a renderer per language (en, ko).

        With `measure`, a label printed before a measure: per language (renderer, unit), the
        Korean label without its trailing measure word and that word's unit (phrases.MEASURE_UNITS).
        """
        if text is None:
            text = default
        if text is None:
            return None
        en, ko = text_pair(text)
        unit = None
        if measure:
            ko, unit = split_measure(ko)
        try:
            en_fn = compile_template(en, self.tables, self.used)
            ko_fn = compile_template(ko, self.tables, self.used, values=VALUES_KO, words=_KO_WORDS)
        except ExpressionError as e:
            self.fail(path, str(e))
        if measure:
            return (en_fn, None), (ko_fn, unit)
        return en_fn, ko_fn

    def label(self, text, path, default=None, measure=False):
        """A primitive's label: per language (renderer, unit or None)."""
        t = self.template(text, path, default, measure)
        if t is None or measure:
            return t
        return (t[0], None), (t[1], None)

    def table(self, ref: str, path: str):
        """Resolve 'a.b.c' → (value, path of the table in the file)."""
        node: Any = self.tables
        for part in ref.split("."):
            if not isinstance(node, dict) or part not in node:
                self.fail(path, f"unknown table {ref!r}")
            node = node[part]
        self.used.add(ref.split(".")[0])
        return node, ref

    def shaped(self, check, value, table_path):
        try:
            return check(value, table_path)
        except S.SchemaError as e:
            raise RuleSetError(self.file, e.path, e.reason) from None

    def scale_rank(self, ref: str, path: str) -> dict:
        values, tpath = self.table(ref, path)
        values = self.shaped(S.scale_list, values, tpath)
        rank = {}
        for i, v in enumerate(values):
            if str(v) in rank:
                self.fail(S.join(tpath, i), f"{v!r} appears twice on the scale")
            rank[str(v)] = i
        return rank

    def tier_rows(self, rows, tpath, value_key, rank, rank_ref=None, units=(None, None)) -> P.TierRows:
        check = S.POINT_ROWS if value_key == "points" else S.FACTOR_ROWS
        rows = self.shaped(check, rows, tpath)
        for i, r in enumerate(rows):
            for bound in ("min", "max"):
                if bound not in r:
                    continue
                v = r[bound]
                if rank is None:
                    if isinstance(v, str):
                        self.fail(S.join(S.join(tpath, i), bound), "expected a number")
                elif str(v) not in rank:
                    self.fail(S.join(S.join(tpath, i), bound),
                              f"{v!r} is not on the scale {rank_ref}")
        return P.TierRows(rows, value_key, rank, units)

    # -------------------------------------------------- primitives
    def primitive(self, spec, path, default_label, summed=False):
        """`summed`: the rule sums a measure of its items (`sum_tiers`): a `value` is that
        measure (hours), not points, and is shown without a points unit."""
        if not isinstance(spec, dict):
            return P.Fixed(spec, self.label(default_label, path))
        (kind, body), = spec.items()
        p = S.join(path, kind)
        label = self.label(body.get("label") if isinstance(body, dict) else None,
                           S.join(p, "label"), default_label, measure=kind in ("value", "tier", "per_unit"))
        if kind == "value":
            return P.Value(self.expr(body["expr"], S.join(p, "expr")), label, summed)
        if kind == "tier":
            table, tpath = self.table(body["table"], S.join(p, "table"))
            rank = None
            if "scale" in body:
                rank = self.scale_rank(body["scale"], S.join(p, "scale"))
            measure = self.expr(body["measure"], S.join(p, "measure"))
            units = bound_units(label[1][1])
            if "key" in body:
                if not isinstance(table, dict):
                    self.fail(S.join(p, "table"), f"table {body['table']!r} must map keys to rows when `key` is given")
                by_key = {str(k): self.tier_rows(v, S.join(tpath, str(k)), "points", rank, body.get("scale"), units)
                          for k, v in table.items()}
                return P.Tier(measure, label, by_key=by_key, key=self.expr(body["key"], S.join(p, "key")),
                              key_values=_values_for(body["key"]))
            return P.Tier(measure, label, rows=self.tier_rows(table, tpath, "points", rank, body.get("scale"), units))
        if kind == "conversion":
            table, tpath = self.table(body["table"], S.join(p, "table"))
            table = self.shaped(S.conversion_table, table, tpath)
            tests = {}
            for group, group_tests in table.items():
                for test, tspec in group_tests.items():
                    tp = S.join(S.join(tpath, group), test)
                    if test in tests:
                        self.fail(tp, f"test {test!r} is listed under two groups")
                    if isinstance(tspec, list):
                        tests[test] = (group, "score", self.tier_rows(tspec, tp, "points", None))
                    else:
                        rank = None
                        if "scale" in tspec:
                            rank = self.scale_rank(tspec["scale"], S.join(tp, "scale"))
                        field = tspec.get("measure", "grade")
                        tests[test] = (group, field,
                                       self.tier_rows(tspec["rows"], S.join(tp, "rows"), "points", rank,
                                                      tspec.get("scale")))
            label = self.label(body["label"], S.join(p, "label"), measure=True) if "label" in body else None
            test = body.get("test", "entry.test")
            return P.Conversion(tests, self.expr(test, S.join(p, "test")),
                                label, body.get("group_fact", "group"), _values_for(test))
        if kind == "lookup":
            table, tpath = self.table(body["table"], S.join(p, "table"))
            table = self.shaped(S.map_of(S.nonneg_number), table, tpath)
            return P.Lookup(table, self.expr(body["key"], S.join(p, "key")), label, _values_for(body["key"]))
        if kind == "named":
            table, tpath = self.table(body["table"], S.join(p, "table"))
            rows = self.shaped(S.NAMED_ROWS, table, tpath)
            return P.Named(rows, self.expr(body["key"], S.join(p, "key")), label,
                           body.get("other_grades", "pass") == "refuse")
        if kind == "per_unit":
            return P.PerUnit(self.expr(body["measure"], S.join(p, "measure")), body.get("unit", 1),
                             body["rate"], body.get("max"), label)
        if kind == "first":
            alts = []
            for i, a in enumerate(body):
                ap = S.join(p, i)
                when = self.expr(a["when"], S.join(ap, "when")) if "when" in a else None
                if "none" in a:
                    # `rule:` beside `none:` names the item's rule (claimed('rule.suffix'))
                    alts.append((when, None, self.template(a["none"], S.join(ap, "none")), a.get("rule"), None))
                else:
                    prim = self.primitive(a["points"], S.join(ap, "points"), default_label, summed)
                    reason = self.template(a.get("reason"), S.join(ap, "reason")) if "reason" in a else None
                    alts.append((when, prim, None, a.get("rule"), reason))
            return P.First(alts, both("no_alternative"))
        if kind == "improvement":
            then = self.primitive(body["then"], S.join(p, "then"), default_label, summed)
            return P.Improvement(body["percent"], then,
                                 self.label(body.get("label"), S.join(p, "label"), PHRASES["label_improvement"]))
        self.fail(p, f"unknown primitive {kind!r}")  # pragma: no cover - schema refuses it

    def share(self, alts, path):
        out = []
        for i, a in enumerate(alts):
            ap = S.join(path, i)
            when = self.expr(a["when"], S.join(ap, "when")) if "when" in a else None
            label = self.label(a.get("label"), S.join(ap, "label"), PHRASES["label_share"],
                               measure="measure" in a)
            if "factor" in a:
                out.append((when, P.D(a["factor"]), None, None, label))
            else:
                table, tpath = self.table(a["table"], S.join(ap, "table"))
                rows = self.tier_rows(table, tpath, "factor", None, units=bound_units(label[1][1]))
                out.append((when, None, self.expr(a["measure"], S.join(ap, "measure")), rows, label))
        return P.Share(out)

    def window(self, alts, path):
        out = []
        names = set()
        for i, a in enumerate(alts):
            ap = S.join(path, i)
            if a["name"] in names:
                self.fail(S.join(ap, "name"), f"duplicate window name {a['name']!r}")
            names.add(a["name"])
            when = self.expr(a["when"], S.join(ap, "when")) if "when" in a else None
            sem = (self.expr(a["submitted_in_semester_of"], S.join(ap, "submitted_in_semester_of"))
                   if "submitted_in_semester_of" in a else None)
            out.append(P.WindowAlt(a, when, sem))
        return P.Window(out)

    def combine(self, stages, path, rule_label):
        out = []
        for i, st in enumerate(stages):
            (k, body), = st.items()
            sp = S.join(S.join(path, i), k)
            if k == "best_of":
                out.append(P.BestOf(self.expr(body["key"], S.join(sp, "key")),
                                    text_pair(body.get("label", PHRASES["label_best_of"]))))
            elif k == "upgrade":
                out.append(P.Upgrade(self.expr(body["key"], S.join(sp, "key")),
                                     text_pair(body.get("label", PHRASES["label_upgrade"])),
                                     _values_for(body["key"])))
            elif k == "max_items":
                if isinstance(body, dict):
                    if body["n"] < 1:
                        self.fail(S.join(sp, "n"), "must be 1 or more")
                    out.append(P.MaxItems(body["n"], self.expr(body["when"], S.join(sp, "when")),
                                          text_pair(body.get("label", body["when"]))))
                else:
                    if body < 1:
                        self.fail(sp, "must be 1 or more")
                    out.append(P.MaxItems(body))
            elif k == "count_tiers":
                table, tpath = self.table(body["table"], S.join(sp, "table"))
                out.append(P.CountTiers(self.tier_rows(table, tpath, "points", None, units=(None, COUNT_UNIT)),
                                        text_pair(body.get("label", PHRASES["label_count_tiers"]))))
            elif k == "sum_tiers":
                table, tpath = self.table(body["table"], S.join(sp, "table"))
                en, ko = text_pair(body.get("label", PHRASES["label_sum_tiers"]))
                ko, unit = split_measure(ko)
                out.append(P.SumTiers(self.expr(body["measure"], S.join(sp, "measure")),
                                      self.tier_rows(table, tpath, "points", None, units=bound_units(unit)),
                                      ((en, None), (ko, unit))))
            elif k == "cap":
                out.append(P.Cap(body, both("rule_cap", rule=rule_label)))
        return out

    # -------------------------------------------------- the whole file
    def compile(self) -> RuleSet:
        doc = self.doc
        rs = RuleSet()
        meta = doc["meta"]
        rs.meta = meta
        rs.file = self.file
        rs.program = meta["program"]
        rs.name = meta.get("ruleset", meta["program"])
        rs.version = str(meta["version"])
        rs.key = None if meta.get("key") is None else str(meta["key"])
        rs.effective_from = meta["effective_from"]
        rs.effective_to = meta.get("effective_to")
        rs.integer = meta.get("points", "integer") == "integer"
        places = meta.get("places", 0 if rs.integer else 2)
        if rs.integer and places != 0:
            self.fail("meta.places", "integer points have 0 places")
        rs.round = P.rounder(meta.get("rounding", "down" if rs.integer else "half_up"), places)
        rs.max_total = None if meta.get("max_total") is None else P.D(meta["max_total"])
        rs.threshold = None if meta.get("threshold") is None else P.D(meta["threshold"])
        rs.balance = bool(meta.get("balance", False))
        rs.tables = self.tables

        if "applies" in doc:
            a = doc["applies"]
            rs.applies = (self.expr(a["when"], "applies.when", context=True), a.get("detail"))
        for i, ex in enumerate(doc.get("exemptions") or []):
            rs.exemptions.append((ex["id"], self.expr(ex["when"], f"exemptions[{i}].when", context=True),
                                  ex.get("detail")))

        for i, a in enumerate(doc["areas"]):
            area = Area(a["id"], a["name"], a.get("cap"), i, a.get("total", True), a.get("cap_sums_rows", False))
            for ref in (a["id"], a["name"], *a.get("aliases", ())):
                if ref in rs.area_by_ref and rs.area_by_ref[ref] is not area:
                    self.fail(f"areas[{i}].id", f"duplicate area {ref!r}")
                rs.area_by_ref[ref] = area
            rs.areas.append(area)
        if rs.max_total is not None:
            caps = [a.cap for a in rs.areas]
            if all(c is not None for c in caps) and sum(caps) > rs.max_total:
                self.fail("areas", f"area caps add up to {sum(caps)}, more than meta.max_total {rs.max_total}")

        seen = set()
        for i, r in enumerate(doc["rules"]):
            path = f"rules[{i}]"
            if r["id"] in seen:
                self.fail(S.join(path, "id"), f"duplicate rule id {r['id']!r}")
            seen.add(r["id"])
            rule = Rule()
            rule.id = r["id"]
            rule.index = i
            rule.title = r.get("title", r["id"])
            rule.area = None
            rule.area_expr = None
            rule.area_default = None
            if isinstance(r["area"], str):
                if r["area"] not in rs.area_by_ref:
                    self.fail(S.join(path, "area"), f"unknown area {r['area']!r}")
                rule.area = rs.area_by_ref[r["area"]]
            else:
                rule.area_expr = self.expr(r["area"]["from"], S.join(path, "area.from"))
                d = r["area"].get("default")
                if d is not None:
                    if d not in rs.area_by_ref:
                        self.fail(S.join(path, "area.default"), f"unknown area {d!r}")
                    rule.area_default = rs.area_by_ref[d]
            rule.source = r.get("source", "entries")
            rule.kinds = r.get("kinds")
            if rule.source == "entries":
                if not rule.kinds:
                    self.fail(S.join(path, "kinds"), "required for a rule on entries")
                for j, k in enumerate(rule.kinds):
                    if k not in KIND_NAMES:
                        self.fail(S.join(path, f"kinds[{j}]"), f"unknown kind {k!r}")
            elif rule.kinds:
                self.fail(S.join(path, "kinds"), "a rule on the student takes no kinds")
            rule.when = self.expr(r["when"], S.join(path, "when")) if "when" in r else None
            rule.shared = r.get("shared", False)
            rule.first_round = r.get("first_round", False)
            if rule.first_round and "certificate" not in (rule.kinds or ()):
                self.fail(S.join(path, "first_round"), "only for a rule on certificate entries")
            rule.accrual = r.get("accrual", "date")
            rule.by_submission = rule.accrual == "submitted_on"
            rule.window = self.window(r["window"], S.join(path, "window")) if "window" in r else None
            rule.require = [(self.expr(q["when"], S.join(path, f"require[{j}].when")),
                             self.template(q["reason"], S.join(path, f"require[{j}].reason")))
                            for j, q in enumerate(r.get("require") or [])]
            summed = any("sum_tiers" in st for st in r.get("combine") or [])
            rule.points = self.primitive(r["points"], S.join(path, "points"), rule.title, summed)
            rule.share = self.share(r["share"], S.join(path, "share")) if "share" in r else None
            rule.combine = self.combine(r.get("combine") or [], S.join(path, "combine"), rule.id)
            rule.upgrades = any(isinstance(st, P.Upgrade) for st in rule.combine)
            rs.rules.append(rule)
            if rule.source == "student":
                rs.student_rules.append(rule)
            else:
                for k in rule.kinds:
                    rs.rules_by_kind.setdefault(k, []).append(rule)

        for i, lim in enumerate(doc.get("limits") or []):
            lp = f"limits[{i}]"
            area = None
            if "area" in lim:
                area = rs.area_by_ref.get(lim["area"])
                if area is None:
                    self.fail(S.join(lp, "area"), f"unknown area {lim['area']!r}")
            if lim["max_items"] < 1:
                self.fail(S.join(lp, "max_items"), "must be 1 or more")
            when = self.expr(lim["when"], S.join(lp, "when")) if "when" in lim else None
            rs.limits.append(P.Limit(lim["id"], when, area, lim["max_items"], text_pair(lim.get("label", lim["id"]))))

        req_ids = set()
        for i, q in enumerate(doc.get("requirements") or []):
            if q["id"] in req_ids:
                self.fail(f"requirements[{i}].id", f"duplicate requirement id {q['id']!r}")
            req_ids.add(q["id"])
            relevant = None
            if "relevant" in q:
                if q.get("gate", True):
                    self.fail(f"requirements[{i}].relevant", "only for an informative requirement (gate: false)")
                relevant = self.expr(q["relevant"], f"requirements[{i}].relevant", context=True)
            rs.requirements.append(Requirement(
                q["id"], self.expr(q["when"], f"requirements[{i}].when", context=True),
                self.template(q.get("detail"), f"requirements[{i}].detail", ""), q.get("gate", True),
                relevant))

        for name in self.tables:
            # `x-...` keys hold YAML anchors shared by several rules, like docker compose's
            if name not in self.used and not name.startswith("x-"):
                self.fail(name, f"unknown key {name!r}: not a section ({', '.join(S.RESERVED)}) "
                                "and no rule uses it as a table")
        return rs


def compile_ruleset(doc: dict, file: str, context_functions: dict) -> RuleSet:
    doc = S.validate_ruleset(doc, file)
    return _Compiler(doc, file, context_functions).compile()
