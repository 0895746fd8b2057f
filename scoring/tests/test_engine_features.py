"""Engine features the shipped rule sets use lightly but Hankyong's 48 rule sets will need:
decimal points, pass marks, gates (mandatory items), exemptions, applicability, count tiers,
one-of rules (max items), per-unit rates with item and rule caps, area caps, shared claims,
committee points. Exercised on a small rule set written to tmp_path."""
from __future__ import annotations

import textwrap

import pytest

from scoring.engine import InputError, clear_cache, evaluate

GRAD = """\
meta: {program: grad, ruleset: grad/demo, version: "2026-05", effective_from: 2020-03-01,
       points: decimal, places: 2, threshold: 3.0}
applies: {when: "student.admission_year >= 2020", detail: "2020학번부터"}
exemptions:
  - {id: athlete, when: "student.flags.athlete"}
  - {id: foreign_admission,
     when: "student.admission_type == 'foreign' and (student.admission_year < 2023 or counted('topik') > 0)"}
areas:
  - {id: lang, name: 외국어, cap: 2.0}
  - {id: cert, name: 자격증, cap: 1.5}
  - {id: tech, name: 기사, cap: null}
  - {id: vol, name: 봉사, cap: null}
  - {id: committee, name: 위원회, cap: null}
rules:
  - id: toeic
    area: lang
    kinds: [language_test]
    when: "entry.test == 'TOEIC'"
    points: {tier: {table: toeic, measure: entry.score}}
    combine: [{best_of: {key: "'toeic'", label: "another TOEIC"}}]
  - id: topik
    area: lang
    kinds: [language_test]
    when: "entry.test == 'TOPIK'"
    shared: true
    points: {tier: {table: topik, measure: entry.grade, scale: topik_scale}}
  - id: tech
    area: tech
    kinds: [certificate]
    when: "entry.tier == '기사'"
    shared: true
    points: 1
    combine: [{count_tiers: {table: tech_counts, label: "기사 count"}}]
  - id: cert
    area: cert
    kinds: [certificate]
    points: 0.55
    combine: [{max_items: 2}]
  - id: vol
    area: vol
    kinds: [volunteer]
    points: {per_unit: {measure: entry.hours, unit: 1, rate: 0.05, max: 0.3, label: "hours"}}
    combine: [{cap: 0.5}]
  - id: committee
    area: {from: entry.area, default: committee}
    kinds: [manual]
    points: {value: {expr: entry.points}}
requirements:
  - {id: designated_course, when: "entries('course') >= 1", detail: "진로선택과 취업준비 등 1과목"}
  - {id: character_education, when: "entries('character_education') >= 4", detail: "인성교육 및 상담 4회"}
  - {id: toeic_mandatory, when: "counted('toeic') >= 1", detail: "TOEIC 필수"}
  - {id: info, gate: false, when: "area_points('봉사') > 0", detail: "봉사 {points_by_area.vol}"}
toeic:
  - {min: 650, points: 1.5}
  - {min: 550, points: 1.05}
topik:
  - {min: "4", points: 0.5}
topik_scale: ["1", "2", "3", "4", "5", "6"]
tech_counts:
  - {min: 2, points: 1.5}
  - {min: 1, points: 1.0}
"""


@pytest.fixture()
def root(tmp_path):
    folder = tmp_path / "rules" / "grad"
    folder.mkdir(parents=True)
    (folder / "rules.yaml").write_text(textwrap.dedent(GRAD), encoding="utf-8")
    clear_cache()
    yield tmp_path / "rules"
    clear_cache()


def grad(entries, student=None):
    st = {"admission_year": 2021, "admission_type": "freshman", "flags": {}}
    st.update(student or {})
    return {"program": "grad", "as_of": "2027-01-15", "student": st, "entries": entries}


REQUIRED = [{"id": "c", "kind": "course", "name": "진로선택과 취업준비", "date": "2022-06-01"}] + [
    {"id": f"ce{i}", "kind": "character_education", "date": "2022-06-01"} for i in range(4)]
TOEIC = {"id": "t", "kind": "language_test", "test": "TOEIC", "score": 705, "date": "2024-03-10"}


def item(r, eid, rule=None):
    return next(i for i in r["items"] if i["entry_id"] == eid and (rule is None or i["rule"] == rule))


def test_passes_when_points_reach_the_mark_and_every_gate_holds(root):
    entries = REQUIRED + [TOEIC] + [
        {"id": "k1", "kind": "certificate", "name": "전기기사", "tier": "기사", "date": "2024-01-01"},
        {"id": "k2", "kind": "certificate", "name": "정보처리기사", "tier": "기사", "date": "2024-02-01"}]
    r = evaluate(grad(entries), rules_dir=root)
    assert (r["total"], r["threshold"], r["passed"], r["exempt"], r["not_applicable"]) == (4.1, 3.0, True, None, False)  # 1.5 + 1.0 + 0.5 + 2 × 0.55
    assert r["ruleset"] == "grad/demo" and isinstance(r["total"], float)
    # the 기사 rule is shared: each certificate also counts in 자격증
    assert item(r, "k1", "tech")["points"] == 1.0 and item(r, "k2", "tech")["points"] == 0.5
    assert item(r, "k1", "cert")["points"] == 0.55
    assert all(q["met"] for q in r["requirements"] if q["id"] != "info")


def test_fails_just_under_the_mark(root):
    entries = REQUIRED + [dict(TOEIC, score=560),
                          {"id": "k1", "kind": "certificate", "name": "전기기사", "tier": "기사", "date": "2024-01-01"}]
    r = evaluate(grad(entries), rules_dir=root)
    assert r["total"] == pytest.approx(2.6) and r["passed"] is False   # 1.05 + 1.0 + 0.55


def test_a_missing_mandatory_item_fails_whatever_the_points(root):
    entries = REQUIRED + [
        {"id": "m", "kind": "manual", "area": "committee", "points": 3, "reason": "위원회 심사", "date": "2026-12-01"}]
    r = evaluate(grad(entries), rules_dir=root)  # committee points up to the pass mark (3.0)
    assert r["total"] == 3.0 and r["passed"] is False
    assert {q["id"]: q["met"] for q in r["requirements"]}["toeic_mandatory"] is False


def test_the_required_area_counts_sessions(root):
    r = evaluate(grad(REQUIRED[:3] + [dict(TOEIC, score=990)] + [
        {"id": "m", "kind": "manual", "area": "위원회", "points": 2, "date": "2026-12-01"}]), rules_dir=root)
    reqs = {q["id"]: q for q in r["requirements"]}
    assert reqs["character_education"]["met"] is False and r["passed"] is False
    assert reqs["designated_course"]["detail"] == "진로선택과 취업준비 등 1과목"


def test_exemptions_pass_and_name_themselves(root):
    r = evaluate(grad([], {"flags": {"athlete": True}}), rules_dir=root)
    assert (r["passed"], r["exempt"], r["total"]) == (True, "athlete", 0.0)
    topik = {"id": "k", "kind": "language_test", "test": "TOPIK", "grade": "4", "date": "2024-01-01"}
    r = evaluate(grad([topik], {"admission_type": "foreign", "admission_year": 2023}), rules_dir=root)
    assert r["exempt"] == "foreign_admission"
    r = evaluate(grad([dict(topik, grade="3")], {"admission_type": "foreign", "admission_year": 2023}), rules_dir=root)
    assert r["exempt"] is None and r["passed"] is False


def test_students_outside_the_rules_are_not_applicable(root):
    r = evaluate(grad(REQUIRED + [TOEIC], {"admission_year": 2019}), rules_dir=root)
    assert r["not_applicable"] is True and r["passed"] is None and r["total"] == 1.5


def test_area_caps_cut_in_order_of_accrual(root):
    entries = [TOEIC, {"id": "m", "kind": "manual", "area": "lang", "points": 1.0, "date": "2026-12-01"}]
    r = evaluate(grad(entries), rules_dir=root)
    assert item(r, "t")["points"] == 1.5
    assert item(r, "m")["points"] == 0.5 and "area cap" in item(r, "m")["reason"]
    assert next(a for a in r["areas"] if a["area"] == "외국어") == {"area": "외국어", "points": 2.0, "cap": 2.0}


def test_one_of_and_max_items(root):
    entries = [dict(TOEIC, id=f"t{i}", score=600 + 50 * i, date=f"202{i}-05-01") for i in range(3)] + [
        {"id": f"c{i}", "kind": "certificate", "name": f"자격{i}", "date": f"2023-0{i + 1}-01"} for i in range(4)]
    r = evaluate(grad(entries), rules_dir=root)
    assert [item(r, f"t{i}")["counted"] for i in range(3)] == [False, True, False]
    assert sum(item(r, f"c{i}")["counted"] for i in range(4)) == 2
    assert "only 2 item(s)" in item(r, "c3")["reason"]


def test_per_unit_with_item_and_rule_caps(root):
    entries = [{"id": "v1", "kind": "volunteer", "hours": 4.9, "date": "2023-01-01"},
               {"id": "v2", "kind": "volunteer", "hours": 20, "date": "2023-02-01"},
               {"id": "v3", "kind": "volunteer", "hours": 3, "date": "2023-03-01"}]
    r = evaluate(grad(entries), rules_dir=root)
    assert [item(r, v)["points"] for v in ("v1", "v2", "v3")] == [0.2, 0.3, 0.0]
    assert "limited to 0.3 per item" in item(r, "v2")["reason"]
    assert "the cap of rule vol" in item(r, "v3")["reason"]
    assert {q["id"]: q for q in r["requirements"]}["info"]["detail"] == "봉사 0.5"


def test_committee_points_for_an_area_the_program_lacks_are_shown_not_scored(root):
    # issue 10: committee points another program granted never make the whole student fail here
    r = evaluate(grad([{"id": "m", "kind": "manual", "area": "음악", "points": 1, "date": "2026-12-01"}]),
                 rules_dir=root)
    m = item(r, "m")
    assert (m["counted"], m["points"], m["rule"]) == (False, 0, None)
    assert m["reason"].startswith("not scored by this program: area '음악' is not one of its areas")


# ------------------------------------------------------------------ added for Hankyong's 48 rule sets
# a base file shared by every major (`meta.abstract`, list `slot`s), a checklist area that is not
# added to the total, hours summed over several entries (`sum_tiers`), program-level `limits`.
BASE = """\
meta: {program: grad2, version: "1", effective_from: 2020-03-01, points: decimal, places: 2, abstract: true}
areas:
  - {slot: major}
  - {id: required, name: 필수영역, cap: null, total: false}
rules:
  - {id: required_course, area: required, kinds: [course], points: 1}
  - {slot: major}
  - {id: committee, area: {from: entry.area}, kinds: [manual], points: {value: {expr: entry.points}}}
requirements:
  - {id: designated_course, when: "counted('required_course') >= 1"}
  - {slot: major}
"""
MAJOR = """\
extends: base.yaml
meta: {ruleset: grad2/a, key: a, threshold: 2.0}
areas:
  - {id: vol, name: 봉사, cap: null}
  - {id: lang, name: 외국어, cap: null}
limits:
  - {id: pre_admission, when: "entry.before_admission", max_items: 1, label: "입학 전 실적은 한 가지만"}
  - {id: one_lang, area: lang, max_items: 1}
rules:
  - id: vol
    area: vol
    kinds: [volunteer]
    points: {value: {expr: entry.hours, label: hours}}
    combine: [{sum_tiers: {measure: entry.hours, table: hours, label: volunteer hours}}]
  - {id: lang, area: lang, kinds: [language_test], points: {tier: {table: toeic, measure: entry.score}}}
requirements:
  - {id: lang_mandatory, when: "counted('lang') >= 1"}
hours:
  - {min: 32, points: 1.0}
  - {min: 16, points: 0.5}
toeic:
  - {min: 700, points: 1.0}
  - {min: 500, points: 0.5}
"""
MAJOR_B = """\
extends: a.yaml
meta: {ruleset: grad2/b, key: b}
rules:
  - {id: lang2, area: lang, kinds: [language_test], points: {tier: {table: toeic, measure: entry.score}}}
  - id: vol2
    area: vol
    kinds: [volunteer]
    points: 1
    combine: [{sum_tiers: {measure: entry.hours, table: hours}}]
"""


@pytest.fixture()
def root2(tmp_path):
    folder = tmp_path / "rules" / "grad2"
    folder.mkdir(parents=True)
    (folder / "program.yaml").write_text("program: grad2\nselect: {key: student.major, label: major}\n")
    for name, text in (("base.yaml", BASE), ("a.yaml", MAJOR), ("b.yaml", MAJOR_B)):
        (folder / name).write_text(text, encoding="utf-8")
    clear_cache()
    yield tmp_path / "rules"
    clear_cache()


def grad2(entries, major="a"):
    return {"program": "grad2", "as_of": "2027-01-15", "entries": entries,
            "student": {"major": major, "admission_year": 2021}}


def test_an_abstract_base_is_no_rule_set_and_slots_take_each_major_s_lists(root2):
    from scoring.engine import load_program
    prog = load_program("grad2", root2)
    assert sorted(prog.versions) == ["a", "b"]
    rs = prog.versions["a"][0]
    assert [r.id for r in rs.rules] == ["required_course", "vol", "lang", "committee"]
    assert [a.id for a in rs.areas] == ["vol", "lang", "required"]
    assert [q.id for q in rs.requirements] == ["designated_course", "lang_mandatory"]
    assert "abstract" not in rs.meta
    # a grandchild's list replaces the child's fill, the base's items stay around it
    assert [r.id for r in prog.versions["b"][0].rules] == ["required_course", "lang2", "vol2", "committee"]
    with pytest.raises(InputError):
        evaluate(grad2([], major="base"), rules_dir=root2)


def test_a_checklist_area_is_not_added_to_the_total(root2):
    entries = [{"id": "c", "kind": "course", "name": "진로선택과 취업준비", "date": "2022-06-01"},
               {"id": "t", "kind": "language_test", "test": "TOEIC", "score": 720, "date": "2022-06-01"},
               {"id": "m", "kind": "manual", "area": "vol", "points": 1.0, "date": "2026-12-01"}]
    r = evaluate(grad2(entries), rules_dir=root2)
    assert (r["total"], r["passed"]) == (2.0, True)
    assert r["areas"][-1] == {"area": "필수영역", "points": 1.0, "cap": None, "in_total": False}
    assert {q["id"]: q["met"] for q in r["requirements"]} == {"designated_course": True, "lang_mandatory": True}


def test_sum_tiers_adds_hours_of_several_entries(root2):
    vols = [{"id": f"v{i}", "kind": "volunteer", "hours": h, "date": f"2023-0{i + 1}-01"}
            for i, h in enumerate((10, 10, 15, 3))]
    r = evaluate(grad2(vols), rules_dir=root2)
    pts = {i["entry_id"]: (i["points"], i["counted"]) for i in r["items"]}
    assert pts == {"v0": (0, False), "v1": (0, False), "v2": (1.0, True), "v3": (0, False)}
    assert "35 in total" in item(r, "v2")["reason"] and "whose points v2 carries" in item(r, "v0")["reason"]
    r = evaluate(grad2(vols[:1]), rules_dir=root2)
    assert r["total"] == 0 and "below the lowest row" in item(r, "v0")["reason"]
    r = evaluate(grad2(vols[:2]), rules_dir=root2)
    assert item(r, "v1")["points"] == 0.5 and r["total"] == 0.5


def test_limits_keep_the_best_items_across_rules_and_in_an_area(root2):
    entries = [{"id": "t1", "kind": "language_test", "test": "TOEIC", "score": 720, "date": "2020-01-10"},
               {"id": "v1", "kind": "volunteer", "hours": 20, "date": "2020-02-01"},
               {"id": "t2", "kind": "language_test", "test": "TOEIC", "score": 550, "date": "2023-01-10"}]
    r = evaluate(grad2(entries), rules_dir=root2)
    assert item(r, "t1")["counted"] and not item(r, "v1")["counted"]          # one pre-admission item
    assert "입학 전 실적은 한 가지만: only 1 item(s) count (t1)" in item(r, "v1")["reason"]
    assert not item(r, "t2")["counted"] and r["total"] == 1.0                  # one item of the area
    # a checklist item (not in the total) is never cut by a limit that does not name its area
    entries.append({"id": "c", "kind": "course", "name": "진로선택과 취업준비", "date": "2020-01-05"})
    r = evaluate(grad2(entries), rules_dir=root2)
    assert item(r, "c")["counted"] and item(r, "t1")["counted"]


def test_an_expression_may_span_indented_lines():
    from scoring.engine.expressions import compile_expression
    f = compile_expression("entry.a == 1\n  and (entry.b\n       or entry.c)\nor entry.d")
    assert f({"entry": {"a": 1, "c": True}}) and f({"entry": {"d": True}}) and not f({"entry": {"a": 1}})
