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
        {"id": "m", "kind": "manual", "area": "committee", "points": 5, "reason": "위원회 심사", "date": "2026-12-01"}]
    r = evaluate(grad(entries), rules_dir=root)
    assert r["total"] == 5.0 and r["passed"] is False
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


def test_committee_points_need_a_known_area(root):
    with pytest.raises(InputError) as exc:
        evaluate(grad([{"id": "m", "kind": "manual", "area": "음악", "points": 1, "date": "2026-12-01"}]), rules_dir=root)
    assert str(exc.value).startswith("entries[0].area: unknown area '음악'")
