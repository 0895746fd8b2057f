"""Every entry field a rule file reads can be entered through the portal form of that kind.

A score must never depend on a field the student has no way to give: a rule reading
`entry.camp` of a program while the program form has no such field pays nothing (or falls back
to a text match) for every student who entered through the portal. This test walks every rule
file and fails when a rule reads a field that no form of the rule's kinds offers, unless the
engine derives that field itself (listed below with the reason).
"""
import pathlib
import re

import pytest
import yaml

from careers.kinds import KIND_FORMS

RULES = pathlib.Path(__file__).resolve().parents[2] / "rules"
FIELD = re.compile(r"\bentry\.(\w+)")

# Fields every entry carries whatever its kind (the contract's common fields).
COMMON = {"id", "kind", "date", "status", "submitted_on"}

# Fields the engine (or the portal's contract_entry) fills in itself; no form asks for them.
DERIVED = {
    # scoring/engine/inputs.py: from the student's admission date and the entry's date
    "before_admission": "all",
    # scoring/engine/inputs.py _role_semesters: semesters of the same role summed over entries
    "semesters_total": "all",
    # scoring/engine/inputs.py _previous_results: the earlier approved result of the same test
    "previous_score": {"language_test"},
    # scoring/engine/certificates: the catalogue gives the field (정보처리 …) and who runs the
    # exam (issuer) of a catalogued name; a typed name the catalogue does not know has none
    "field": {"certificate"},
    "issuer": {"certificate"},
    # careers.models.contract_entry: the form's `status` (filed / registered) is sent as `stage`
    "stage": {"patent"},
}


def _rules_with_kinds(node):
    """Every rule (a mapping with a `kinds:` list) anywhere in a rule file."""
    if isinstance(node, dict):
        if isinstance(node.get("kinds"), list):
            yield node
            return
        for value in node.values():
            yield from _rules_with_kinds(value)
    elif isinstance(node, list):
        for value in node:
            yield from _rules_with_kinds(value)


def _rule_files():
    return sorted(p for p in RULES.rglob("*.yaml") if "tests" not in p.relative_to(RULES).parts)


def _derived(field, kinds):
    where = DERIVED.get(field)
    return where == "all" or (where is not None and set(kinds) <= where)


def missing_fields(rule_files):
    """(file, rule id, kinds, field) for each field a rule reads that no form of its kinds offers.
    A rule of several kinds reads each kind's own fields under `entry.kind == …` guards, so a field
    counts as offered when the form of any of its kinds offers it."""
    out = []
    for path in rule_files:
        for rule in _rules_with_kinds(yaml.safe_load(path.read_text(encoding="utf-8"))):
            kinds = rule["kinds"]
            offered = set(COMMON)
            for kind in kinds:
                offered |= set(KIND_FORMS[kind].base_fields)
            for field in sorted(set(FIELD.findall(yaml.safe_dump(rule, allow_unicode=True))) - offered):
                if not _derived(field, kinds):
                    out.append((path.relative_to(RULES).as_posix(), rule.get("id"), kinds, field))
    return out


def test_the_walk_finds_the_rule_files_and_their_fields():
    files = _rule_files()
    assert len(files) > 40  # three programs, the Hankyong majors
    fields = set()
    for path in files:
        for rule in _rules_with_kinds(yaml.safe_load(path.read_text(encoding="utf-8"))):
            fields |= set(FIELD.findall(yaml.safe_dump(rule, allow_unicode=True)))
    assert {"camp", "goodgil", "weekly_hours", "chemtech_fair", "academic_society"} <= fields


def test_every_field_a_rule_reads_is_offered_by_a_form_of_its_kind():
    assert missing_fields(_rule_files()) == []


def test_a_rule_reading_a_field_no_form_offers_is_caught(tmp_path):
    rule_file = tmp_path / "x.yaml"
    rule_file.write_text(
        "rules:\n  - id: camp\n    kinds: [program]\n    when: \"entry.camp and entry.shoe_size > 3\"\n"
        "  - id: derived\n    kinds: [language_test]\n    when: \"entry.previous_score > 1\"\n",
        encoding="utf-8",
    )
    found = [(rule, field) for _f, rule, _k, field in _missing_in(tmp_path, rule_file)]
    assert found == [("camp", "shoe_size")]


def _missing_in(root, path):
    global RULES
    saved, RULES = RULES, root
    try:
        return missing_fields([path])
    finally:
        RULES = saved


@pytest.mark.parametrize("kind, field, posted, sent", [
    ("award", "academic_society", "on", True), ("program", "camp", "on", True),
    ("program", "goodgil", "true", True), ("program", "goodgil", "false", False),
    ("program", "goodgil", "unknown", None), ("course", "chemtech_fair", "unknown", None),
    ("course", "chemtech_fair", "false", False), ("internship", "weekly_hours", "30", 30),
])
def test_the_added_fields_reach_the_engine_input(kind, field, posted, sent):
    """What the student picks is what the engine reads; "not said" (—) sends nothing, so a rule
    where an explicit "no" refuses (8-2 GOOD-GIL, 9-2 ChemTech Fair) leaves it to the reviewer."""
    form = KIND_FORMS[kind]()
    form.cleaned_data = {field: form.fields[field].clean(form.fields[field].widget.value_from_datadict(
        {field: posted}, {}, field))}
    assert form.to_data().get(field) == sent


def test_a_yes_no_choice_is_kept_when_the_form_comes_back_with_an_error():
    form = KIND_FORMS["program"](data={"goodgil": "false", "camp": "on"})
    assert not form.is_valid()  # title, hours … missing
    html = str(form["goodgil"])
    assert '<option value="false" selected>' in html
    assert KIND_FORMS["program"](initial={"goodgil": True})["goodgil"].value() is True
    assert '<option value="true" selected>' in str(KIND_FORMS["program"](initial={"goodgil": True})["goodgil"])


@pytest.mark.django_db
def test_the_entry_page_shows_a_said_no_apart_from_not_said():
    from django.utils import translation

    from careers import selectors
    from tests.factories import StudentFactory, entry

    student = StudentFactory()
    said_no = entry(student, kind="program", data={"title": "직무 특강", "hours": 3, "category": "employment",
                                                   "provider": "campus", "goodgil": False})
    not_said = entry(student, kind="program", data={"title": "직무 특강", "hours": 3, "category": "employment",
                                                    "provider": "campus"})
    with translation.override("ko"):
        assert ("GOOD-GIL(굿길) 등록 프로그램", "아니요") in selectors.entry_fields(said_no)
        assert not any(label == "GOOD-GIL(굿길) 등록 프로그램" for label, _v in selectors.entry_fields(not_said))
