"""The one place where the contract's codes get the words a person reads (Korean and English).

The engine speaks in codes: rule ids (`language.english.TOEIC`, `certificate.computer`,
`service.hours`, `not_in_table`, `gpa`), requirement ids (`designated_course`), test codes
(`TOEFL_IBT`), activity types (`capstone_entry`), results (`awarded`), and its reasons may name
an entry by its id (a UUID in the portal). Pages never show those: templates use the filters of
`scoring/templatetags/labels.py`, Python code the functions here.

A rule's label is, in this order: the rule's own `title` in the rule set that produced the
result (the seed's wording, so 10-3's `service.volunteer` reads "외부 봉사"), a test code in the
id's tail ("외국어 · TOEIC"); failing that (an older stored result, a rule set gone), the words for
the id's first segments below; never the raw id. In English the words below are used, not the
title: the rule files' titles are the seeds' Korean wording (the few written as {en, ko} keep
the seed's Korean in `en` too, e.g. 2-2's "MOS 4개 항목 중 2개 이상").
"""
from __future__ import annotations

import re
import time

from django.utils.translation import get_language, gettext, gettext_lazy as _

# The contract's language tests (docs/evaluate.md "language_test"): proper names, the same in
# both languages, only the spelling of the code differs.
TESTS = {
    "TOEIC": "TOEIC", "TOEIC_SPEAKING": "TOEIC Speaking", "TOEFL_IBT": "TOEFL iBT", "TOEFL_PBT": "TOEFL PBT",
    "TOEFL_CBT": "TOEFL CBT", "TEPS": "TEPS", "NEW_TEPS": "New TEPS", "IELTS": "IELTS", "OPIC": "OPIc",
    "G_TELP": "G-TELP", "JLPT": "JLPT", "JPT": "JPT", "HSK": "HSK", "CPT": "CPT", "TORFL": "TORFL",
    "ZD": "Goethe-Zertifikat (ZD)", "DELF": "DELF", "TCF": "TCF", "TOPIK": "TOPIK", "NEAT": "NEAT",
    "CIVIL_SERVICE_ENGLISH": _("Civil-service exam English"),
}

# `activity` types the rule files name (entry.type == '...').
ACTIVITY_TYPES = {
    "academic_club": _("Academic club"), "academic_festival": _("Academic festival"),
    "capstone_entry": _("Capstone design entry"), "creative_publication": _("Creative publication"),
    "credit_exchange": _("Credit exchange"), "design_camp": _("Design camp"),
    "ee_global_tech": _("EE Global Tech"), "ee_global_tech_substitute": _("EE Global Tech (substitute)"),
    "employment": _("Employment"), "exchange": _("Exchange study"), "exhibition": _("Exhibition"),
    "external_activity": _("External activity"), "graduation_thesis": _("Graduation thesis"),
    "hk_esa": _("HK-ESA"), "intern_scholarship": _("Intern scholarship"), "lab_practice": _("Lab practice"),
    "lab_safety_training": _("Lab safety training"), "lab_training": _("Lab training"),
    "language_training": _("Language training"), "learning_club": _("Learning club"),
    "linked_major": _("Linked major"), "micro_degree": _("Micro degree"), "music_release": _("Music release"),
    "patent": _("Patent"), "portfolio_pass": _("Portfolio review passed"), "press_reporter": _("Campus press reporter"),
    "project_club": _("Project club"), "research_report": _("Research report"),
    "seminar_attendance": _("Seminar attendance"), "seminar_audit": _("Seminar audit"),
    "seminar_presentation": _("Seminar presentation"), "software": _("Software"),
    "startup_club": _("Start-up club"), "supporters": _("Supporters"), "utility_model": _("Utility model"),
    "workshop": _("Workshop"),
}

RESULTS = {"entered": _("entered"), "awarded": _("awarded"), "passed": _("passed")}

# Rule and requirement ids, whole or by their leading segments (the longest known prefix wins).
CODES = {
    "language": _("Foreign language"), "language.english": _("English"), "language.improvement": _("Score improvement"),
    "language_course": _("Language course"), "language_mandatory": _("Required language score"),
    "language_gate": _("Required language score"),
    "certificate": _("Certificate"), "certificate.computer": _("Computer certificate"),
    "certificate.listed": _("Listed certificate"), "certificate.unlisted": _("Certificate not in the list"),
    "certificate.private": _("Private certificate"), "certificate.other": _("Other certificate"),
    "certificate_first_round": _("Certificate: first round passed"), "computer": _("Computer certificate"),
    "it": _("Information literacy"),
    "service": _("Community service"), "service.hours": _("Volunteer hours"), "service.volunteer": _("Volunteering"),
    "service.external": _("Off-campus volunteering"), "service.campus": _("Campus volunteering"),
    "service.role": _("Student office"), "service.president": _("Student council president"),
    "service.officer": _("Student council officer"), "service.council": _("Student council"),
    "service.overseas": _("Overseas volunteering"), "volunteer": _("Volunteering"),
    "volunteer.blood_donation": _("Blood donation"),
    "gpa": _("Grade point average"), "grades": _("Grades"), "grades.gpa": _("Grade point average"),
    "grades.multiple_major": _("Double or linked major"),
    "mileage": _("Mileage programs"), "counseling": _("Counseling"),
    "employment": _("Employment activity"), "employment_training": _("Employment training"),
    "training": _("Training"), "internship": _("Internship"), "intern": _("Internship"),
    "overseas": _("Overseas study"), "award": _("Award"), "contest": _("Contest"), "competition": _("Competition"),
    "paper": _("Paper"), "patent": _("Intellectual property"), "lab": _("Laboratory"), "work": _("Work"),
    "major": _("Major"), "other": _("Other activity"), "other.startup": _("Start-up"),
    "other.overseas": _("Overseas study"), "other.exchange": _("Exchange study"),
    "graduation_work": _("Graduation work"), "thesis": _("Graduation thesis"), "study_club": _("Study club"),
    "transfer": _("Transfer credit"), "improvement": _("Score improvement"),
    "committee": _("Committee points"), "committee_row": _("Committee points"),
    "not_in_table": _("Not in the major's table"), "outside_table": _("Not in the major's table"),
    "required_course": _("Required course"), "designated_course": _("Required course"),
    "character_education": _("Character education and counseling"),
    "topik_exemption": _("TOPIK (foreign admission exemption)"),
    "athlete": _("Sports scholarship student"), "severe_disability": _("Severe disability"),
    "employed_final_semester": _("Employed in the final semester"), "foreign_admission": _("Foreign admission"),
    "scholarship": _("Scholarship"),
}

UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)


def _korean():
    return (get_language() or "ko").startswith("ko")


def _text(value):
    """A rule file's text: a string, or {en, ko} (ko optional)."""
    if isinstance(value, dict):
        return value.get("ko") or value.get("en") if _korean() else value.get("en")
    return value


def test_label(code):
    return str(TESTS.get(code, code.replace("_", " ") if isinstance(code, str) else code))


def activity_label(code):
    label = ACTIVITY_TYPES.get(code)
    return str(label) if label else gettext("Department activity")


def result_label(code):
    return str(RESULTS.get(code, code))


def _known_prefix(rule_id):
    parts = rule_id.split(".")
    for n in range(len(parts), 0, -1):
        label = CODES.get(".".join(parts[:n]))
        if label:
            return n, str(label)
    return 0, None


_RULES_DIR = {"at": -1e9, "dir": None}


def _rules_dir():
    """The rules in force, asked at most every few seconds (a page of labels is one query)."""
    from scoring.rulesets import active_rules_dir

    now = time.monotonic()
    if now - _RULES_DIR["at"] > 5:
        _RULES_DIR.update(at=now, dir=active_rules_dir())
    return _RULES_DIR["dir"]


_TITLES: dict = {}  # (loaded program, rule set name) → {rule id: title}; a reload is a new program


def _title_in(ruleset_name, program, rule_id):
    """The rule's own title in the rule set in force (longest id prefix: suffixes such as
    `.TOEIC` are the engine's)."""
    if not (ruleset_name and program):
        return None
    try:
        from scoring.engine import load_program

        prog = load_program(program, _rules_dir())
    except Exception:  # noqa: BLE001 — a label must never break a page; the fallback words follow
        return None
    key = (id(prog), ruleset_name)
    titles = _TITLES.get(key)
    if titles is None:
        titles = {}
        for versions in prog.versions.values():
            for ruleset in versions:
                if ruleset.name == ruleset_name:
                    titles.update((r.id, r.title) for r in ruleset.rules + ruleset.student_rules)
        _TITLES[key] = titles
    parts = rule_id.split(".")
    for n in range(len(parts), 0, -1):
        title = titles.get(".".join(parts[:n]))
        if title and title != ".".join(parts[:n]):
            return _text(title), parts[n:]
    return None


def rule_label(rule_id, *, ruleset=None, program=None):
    """What a person reads for a rule id of a result (items[].rule) or a requirement id."""
    if not rule_id:
        return gettext("Not scored by this program")
    rule_id = str(rule_id)
    found = _title_in(ruleset, program, rule_id) if _korean() else None
    if found:
        title, rest = found
    else:
        n, title = _known_prefix(rule_id)
        rest = rule_id.split(".")[n:]
        if title is None:
            title = gettext("Other activity")
    tests = [test_label(p) for p in rest if p in TESTS]
    return " · ".join([title, *tests])


def requirement_label(requirement):
    """A requirement row: its own `detail` when the rule file gives one, else the words for its id."""
    return requirement.get("detail") or rule_label(requirement.get("id"))


# Test codes a reason may quote as the entry gave them ("TOEFL_IBT 100 → ..."): those whose
# spelling differs from their name.
TEST_CODE = re.compile(r"\b(" + "|".join(sorted((c for c in TESTS if "_" in c), key=len, reverse=True)) + r")\b")


def readable_reason(reason, summaries=None):
    """A reason with every entry id (UUID) replaced by the entry's summary (or "another entry")
    and test codes by the tests' names."""
    if not reason:
        return reason
    summaries = summaries or {}

    def name(match):
        summary = summaries.get(match.group(0).lower())
        return f"“{summary}”" if summary else gettext("another entry")

    return TEST_CODE.sub(lambda m: test_label(m.group(1)), UUID.sub(name, str(reason)))


def candidate_label(entry):
    """A planner candidate (a contract entry) in words."""
    kind = entry.get("kind")
    if kind == "language_test":
        return f"{test_label(entry['test'])} {entry.get('score', entry.get('grade', ''))}".strip()
    if kind == "certificate":
        return f"{entry['name']} {entry.get('grade', '')}".strip()
    if kind == "volunteer":
        return gettext("Volunteering %(hours)s h") % {"hours": entry["hours"]}
    if kind == "program":
        return gettext("Program %(hours)s h") % {"hours": entry["hours"]}
    if kind == "activity":
        return f"{activity_label(entry['type'])} ({result_label(entry['result'])})"
    if kind == "course":
        return entry.get("name", "")
    if kind == "character_education":
        return gettext("Character education session")
    return str(kind)
