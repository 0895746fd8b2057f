"""Rule files: a bad file fails with `file: path: reason`, never a traceback; loading,
versions by date, `extends`, program-level rule-set selection, the cache."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from scoring.engine import (DEFAULT_RULES_DIR, InputError, RuleSetError, available_programs,
                            clear_cache, evaluate, load_program, validate_rules)

DU_HEART = DEFAULT_RULES_DIR / "du-heart" / "rules.yaml"


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_cache()
    yield
    clear_cache()


def make_rules(tmp_path: Path, program: str, files: dict[str, str]) -> Path:
    root = tmp_path / "rules"
    folder = root / program
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def load_error(root: Path, program: str) -> str:
    with pytest.raises(RuleSetError) as exc:
        load_program(program, root)
    return str(exc.value)


MINIMAL = """\
meta: {program: demo, version: "1", effective_from: 2020-01-01}
areas: [{id: a, name: A, cap: null}]
rules:
  - id: r
    area: a
    kinds: [program]
    points: {tier: {table: bands, measure: entry.hours}}
bands:
  - {min: 10, points: 5}
  - {min: 1, points: 1}
"""


def doc(program="demo", **kw):
    d = {"program": program, "as_of": "2024-01-01", "entries": []}
    d.update(kw)
    return d


# ------------------------------------------------------------------ the shipped rule files
def test_every_shipped_rule_file_loads():
    programs = validate_rules()
    assert {"du-heart", "career-mileage"} <= set(programs)


def test_available_programs_lists_the_rule_folders():
    assert {"du-heart", "career-mileage"} <= set(available_programs())


def test_career_mileage_area_caps_add_up_to_exactly_1000():
    rs = load_program("career-mileage").versions[None][0]
    assert sum(a.cap for a in rs.areas) == 1000
    assert rs.max_total == 1000
    assert len(rs.areas) == 12


# ------------------------------------------------------------------ the example error
def test_du_heart_toeic_min_not_a_number_names_file_and_path(tmp_path):
    data = yaml.safe_load(DU_HEART.read_text(encoding="utf-8"))
    data["languages"]["english"]["TOEIC"][2]["min"] = "seven hundred"
    folder = tmp_path / "rules" / "du-heart"
    folder.mkdir(parents=True)
    (folder / "rules.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_error(tmp_path / "rules", "du-heart") == (
        "rules/du-heart/rules.yaml: languages.english.TOEIC[2].min: expected a number")


def test_the_error_carries_file_path_and_reason(tmp_path):
    root = make_rules(tmp_path, "demo", {"rules.yaml": MINIMAL.replace("min: 10", "min: ten")})
    with pytest.raises(RuleSetError) as exc:
        evaluate(doc(), rules_dir=root)
    e = exc.value
    assert (e.file, e.path, e.reason) == ("rules/demo/rules.yaml", "bands[0].min", "expected a number")


@pytest.mark.parametrize("broken, message", [
    # YAML that does not parse
    ("meta: [unclosed\n", "rules/demo/rules.yaml: line 2, column 1: invalid YAML"),
    # the same key twice (PyYAML would keep the last silently)
    (MINIMAL + "bands: []\n", "duplicate key 'bands'"),
    # a misspelt section
    (MINIMAL + "rule: []\n", "rules/demo/rules.yaml: rule: unknown key 'rule'"),
    # a required section
    (MINIMAL.replace("areas: [{id: a, name: A, cap: null}]\n", ""), "rules/demo/rules.yaml: areas: required"),
    # references
    (MINIMAL.replace("area: a", "area: b"), "rules/demo/rules.yaml: rules[0].area: unknown area 'b'"),
    (MINIMAL.replace("table: bands", "table: bandz"), "rules/demo/rules.yaml: rules[0].points.tier.table: unknown table 'bandz'"),
    (MINIMAL.replace("kinds: [program]", "kinds: [programme]"), "rules/demo/rules.yaml: rules[0].kinds[0]: unknown kind 'programme'"),
    (MINIMAL.replace("measure: entry.hours", "measure: entry.hours +"), "rules/demo/rules.yaml: rules[0].points.tier.measure: invalid expression"),
    (MINIMAL.replace("points: 5", "points: -5"), "rules/demo/rules.yaml: bands[0].points: must not be negative"),
    (MINIMAL.replace("{tier:", "{teir:"), "rules/demo/rules.yaml: rules[0].points.teir: unknown key 'teir'"),
    (MINIMAL.replace('version: "1", ', ""), "rules/demo/rules.yaml: meta.version: required"),
    (MINIMAL.replace("effective_from: 2020-01-01", "effective_from: soon"), "rules/demo/rules.yaml: meta.effective_from: expected a date (YYYY-MM-DD)"),
    (MINIMAL.replace("program: demo", "program: other"), "rules/demo/rules.yaml: meta.program: expected 'demo' (the folder's name)"),
    (MINIMAL.replace("  - id: r\n", "  - id: r\n    when: \"entry.hours > 1\"\n    shared: maybe\n"), "rules/demo/rules.yaml: rules[0].shared: expected true or false"),
    ("- just\n- a list\n", "rules/demo/rules.yaml: (file): expected a mapping at the top"),
])
def test_bad_rule_files_fail_with_file_path_reason(tmp_path, broken, message):
    root = make_rules(tmp_path, "demo", {"rules.yaml": broken})
    assert message in load_error(root, "demo")


@pytest.mark.parametrize("expr", [
    "__import__('os').system('true')",
    "entry.__class__",
    "(lambda: 1)()",
    "[x for x in entry]",
    "open('/etc/passwd')",
    "eval('1')",
    "os.getcwd()",
])
def test_expressions_outside_the_whitelist_are_refused_at_load(tmp_path, expr):
    text = MINIMAL.replace("  - id: r\n", f"  - id: r\n    when: {yaml.safe_dump(expr).strip().splitlines()[0]}\n")
    root = make_rules(tmp_path, "demo", {"rules.yaml": text})
    msg = load_error(root, "demo")
    assert msg.startswith("rules/demo/rules.yaml: rules[0].when: ")


def test_a_grade_not_on_its_scale_is_refused(tmp_path):
    data = yaml.safe_load(DU_HEART.read_text(encoding="utf-8"))
    data["languages"]["english"]["OPIC"]["rows"][1]["min"] = "IHH"
    folder = tmp_path / "rules" / "du-heart"
    folder.mkdir(parents=True)
    (folder / "rules.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_error(tmp_path / "rules", "du-heart") == (
        "rules/du-heart/rules.yaml: languages.english.OPIC.rows[1].min: 'IHH' is not on the scale scales.OPIC")


def test_area_caps_above_the_maximum_are_refused(tmp_path):
    text = MINIMAL.replace('effective_from: 2020-01-01}', 'effective_from: 2020-01-01, max_total: 10}').replace(
        "cap: null", "cap: 20")
    root = make_rules(tmp_path, "demo", {"rules.yaml": text})
    assert "areas: area caps add up to 20, more than meta.max_total 10" in load_error(root, "demo")


# ------------------------------------------------------------------ versions, extends, selection
V2 = """\
extends: rules.yaml
meta: {version: "2", effective_from: 2023-03-01}
bands:
  - {min: 10, points: 7}
  - {min: 1, points: 2}
"""


def test_versions_are_chosen_by_effective_date_and_named_in_the_result(tmp_path):
    root = make_rules(tmp_path, "demo", {"rules.yaml": MINIMAL, "rules-2023.yaml": V2})
    entry = {"id": "e", "kind": "program", "hours": 12, "date": "2022-06-01"}
    old = evaluate(doc(as_of="2023-02-28", entries=[entry]), rules_dir=root)
    new = evaluate(doc(as_of="2023-03-01", entries=[entry]), rules_dir=root)
    assert (old["ruleset_version"], old["total"]) == ("1", 5)
    assert (new["ruleset_version"], new["total"]) == ("2", 7)
    before = evaluate(doc(as_of="2019-12-31", entries=[entry]), rules_dir=root)
    assert before["not_applicable"] is True and before["ruleset_version"] == "1"


def test_two_versions_starting_the_same_day_are_refused(tmp_path):
    root = make_rules(tmp_path, "demo", {"rules.yaml": MINIMAL, "copy.yaml": MINIMAL})
    assert "already starts on 2020-01-01" in load_error(root, "demo")


def test_extends_outside_the_folder_is_refused(tmp_path):
    root = make_rules(tmp_path, "demo", {"rules.yaml": MINIMAL.replace("meta:", "extends: ../x.yaml\nmeta:")})
    assert "rules/demo/rules.yaml: extends: no rule file '../x.yaml'" in load_error(root, "demo")


PER_MAJOR = """\
meta: {program: grad, ruleset: "grad/%(key)s", key: "%(key)s", version: "2026-05", effective_from: 2020-03-01,
       points: decimal, places: 2, threshold: %(threshold)s}
areas: [{id: lang, name: 외국어, cap: 2.0}, {id: cert, name: 자격증, cap: null}]
rules:
  - id: toeic
    area: lang
    kinds: [language_test]
    when: "entry.test == 'TOEIC'"
    points: {tier: {table: toeic, measure: entry.score}}
toeic:
  - {min: 650, points: 1.5}
  - {min: 550, points: 1.05}
"""


def test_a_program_selects_its_rule_set_by_a_student_field(tmp_path):
    root = make_rules(tmp_path, "grad", {
        "program.yaml": "program: grad\nselect: {key: student.major, field: student.major, label: major,"
                        " date: student.expected_graduation}\n",
        "10-3.yaml": PER_MAJOR % {"key": "10-3", "threshold": 3.0},
        "11-1.yaml": PER_MAJOR % {"key": "11-1", "threshold": 2.0},
    })
    entry = {"id": "e1", "kind": "language_test", "test": "TOEIC", "score": 705, "date": "2024-03-10"}
    r = evaluate({"program": "grad", "as_of": "2027-01-15",
                  "student": {"major": "11-1", "expected_graduation": "2027-02-20"}, "entries": [entry]},
                 rules_dir=root)
    assert (r["ruleset"], r["total"], r["threshold"], r["passed"]) == ("grad/11-1", 1.5, 2.0, False)
    with pytest.raises(InputError) as exc:
        evaluate({"program": "grad", "as_of": "2027-01-15", "student": {"major": "99-9"}}, rules_dir=root)
    assert str(exc.value) == "student.major: unknown major '99-9'"
    with pytest.raises(InputError) as exc:
        evaluate({"program": "grad", "as_of": "2027-01-15", "student": {}}, rules_dir=root)
    assert str(exc.value) == "student.major: required"


def test_rule_sets_are_loaded_once_and_cached(tmp_path):
    root = make_rules(tmp_path, "demo", {"rules.yaml": MINIMAL})
    assert load_program("demo", root) is load_program("demo", root)
    (root / "demo" / "rules.yaml").write_text("not: [valid", encoding="utf-8")
    assert evaluate(doc(), rules_dir=root)["total"] == 0  # still the cached set
    clear_cache()
    with pytest.raises(RuleSetError):
        evaluate(doc(), rules_dir=root)


def test_unknown_program_is_an_input_error(tmp_path):
    root = make_rules(tmp_path, "demo", {"rules.yaml": MINIMAL})
    for name in ("nope", "../demo", "Demo"):
        with pytest.raises(InputError) as exc:
            evaluate(doc(program=name), rules_dir=root)
        assert str(exc.value) == f"program: unknown program {name!r}"


def test_default_rules_dir_is_the_repository_rules_folder():
    assert DEFAULT_RULES_DIR == Path(__file__).resolve().parents[2] / "rules"


def test_copied_rules_dir_gives_the_same_results(tmp_path):
    shutil.copytree(DEFAULT_RULES_DIR / "du-heart", tmp_path / "rules" / "du-heart")
    d = {"program": "du-heart", "as_of": "2023-01-01",
         "entries": [{"id": "e", "kind": "language_test", "test": "TOEIC", "score": 905, "date": "2022-01-01"}]}
    assert evaluate(d, rules_dir=tmp_path / "rules") == evaluate(d)
