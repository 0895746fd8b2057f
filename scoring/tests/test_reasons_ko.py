"""Reasons in Korean (`"lang": "ko"`, an addition to the contract): what a Korean student reads.

The real rule sets are evaluated in both languages: the scores never depend on the language,
English stays exactly what it was, and the Korean reasons of du-heart, career-mileage and the
Hankyong major 10-3 carry no English word (student-entered texts and test codes aside).
"""
from __future__ import annotations

import re
import string
import textwrap
import threading

import pytest

from scoring.engine import DEFAULT_RULES_DIR, InputError, RuleSetError, clear_cache, evaluate
from scoring.engine.cases import iter_cases
from scoring.engine.phrases import PHRASES, VALUES_KO, split_measure

CASES = [c for c in iter_cases(DEFAULT_RULES_DIR) if "output" in c]

# Test names, certificate names and other codes a Korean reason keeps in Latin letters.
CODES = {
    "TOEIC", "Speaking", "TOEFL", "iBT", "PBT", "CBT", "HSK", "JLPT", "OPIc", "TEPS", "NEW", "IELTS", "JPT",
    "TOPIK", "TELP", "CPT", "TCF", "DELF", "TORFL", "NEAT", "KCI", "VMS",
    "ICT",  # in Hankyong's Korean department names (ICT로봇기계공학부)
}
_WORD = re.compile(r"[A-Za-z]{3,}")


def _strings(node):
    """Every text of an input document (entry ids, names, titles, committee reasons)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def english_words(text: str, doc: dict) -> list[str]:
    """Latin-letter words of a Korean reason that are neither codes nor the student's own data."""
    own = {w for s in _strings(doc) for w in _WORD.findall(s)}
    return [w for w in _WORD.findall(text) if w not in CODES and w not in own]


def both(doc: dict) -> tuple[dict, dict]:
    return evaluate({**doc, "lang": "en"}), evaluate({**doc, "lang": "ko"})


def item(result: dict, entry_id: str) -> dict:
    [it] = [i for i in result["items"] if i["entry_id"] == entry_id]
    return it


def _without_texts(result: dict) -> dict:
    out = dict(result)
    out["items"] = [{k: v for k, v in it.items() if k != "reason"} for it in result["items"]]
    out["requirements"] = [{k: v for k, v in q.items() if k != "detail"} for q in result["requirements"]]
    return out


# ---------------------------------------------------------------- the input field
def test_english_is_the_default_and_unchanged():
    for case in CASES:
        if "lang" in case["input"]:
            continue
        plain = evaluate(case["input"])
        assert evaluate({**case["input"], "lang": "en"}) == plain, case["name"]
        assert evaluate({**case["input"], "lang": None}) == plain, case["name"]


@pytest.mark.parametrize("bad", ["fr", "KO", "ko-KR", "", 1, True, ["ko"]])
def test_an_unknown_language_is_an_input_error_naming_lang(bad):
    doc = {"program": "du-heart", "as_of": "2024-01-01", "lang": bad, "entries": []}
    with pytest.raises(InputError) as e:
        evaluate(doc)
    assert e.value.field == "lang"
    assert str(e.value) == 'lang: expected "en" or "ko"'


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_scores_do_not_depend_on_the_language(case):
    en, ko = both(case["input"])
    assert _without_texts(en) == _without_texts(ko)
    assert [i["reason"] == "" for i in en["items"]] == [i["reason"] == "" for i in ko["items"]]


@pytest.mark.parametrize("program, major", [("du-heart", None), ("career-mileage", None),
                                            ("hankyong-grad-cert", "10-3")])
def test_korean_reasons_carry_no_english_words(program, major):
    checked = 0
    for case in CASES:
        doc = case["input"]
        if doc.get("program") != program or (major and (doc.get("student") or {}).get("major") != major):
            continue
        ko = evaluate({**doc, "lang": "ko"})
        for text in [i["reason"] for i in ko["items"]] + [q["detail"] for q in ko["requirements"]]:
            assert not english_words(text, doc), f"{case['name']}: {text}"
            checked += 1
    assert checked > 20


# ---------------------------------------------------------------- what a student reads
DU = {"program": "du-heart", "as_of": "2026-03-01",
      "student": {"student_no": "1", "admission_year": 2021, "semesters_completed": 4}}


def test_an_hour_band_in_korean():
    en, ko = both({**DU, "entries": [
        {"id": "p1", "kind": "program", "hours": 5, "date": "2025-05-01"}]})
    assert item(en, "p1")["reason"] == "일반 프로그램, hours 5 (4~5) → 6"
    assert item(ko, "p1")["reason"] == "일반 프로그램, 5시간 (4~5) → 6점"


def test_a_difference_payment_in_korean_is_marked_pays_difference():
    en, ko = both({**DU, "entries": [
        {"id": "e1", "kind": "language_test", "test": "TOEIC", "score": 705, "date": "2025-01-10"},
        {"id": "e2", "kind": "language_test", "test": "TOEIC", "score": 810, "date": "2025-06-10"}]})
    first, second = item(ko, "e1"), item(ko, "e2")
    assert second["reason"] == "TOEIC 810 (800 이상) → 400점; 같은 언어 영어: 이미 지급된 300점(e1)과의 차액 100점 지급"
    assert second["pays_difference"] is True and second["points"] == 100 and second["counted"]
    assert "pays_difference" not in first  # only where true: the contract's item shape otherwise
    assert item(en, "e2")["pays_difference"] is True
    assert "pays the difference 100" in item(en, "e2")["reason"]


def test_a_lower_later_tier_is_refused_in_korean_without_the_mark():
    ko = evaluate({**DU, "lang": "ko", "entries": [
        {"id": "e1", "kind": "language_test", "test": "TOEIC", "score": 905, "date": "2025-01-10"},
        {"id": "e2", "kind": "language_test", "test": "TOEIC", "score": 810, "date": "2025-06-10"}]})
    assert item(ko, "e2")["reason"] == "TOEIC 810 (800 이상) → 400점; 같은 언어 영어: 이미 500점 지급(e1), 더 높은 등급이 아님"
    assert "pays_difference" not in item(ko, "e2") and not item(ko, "e2")["counted"]


def test_dates_outside_the_window_in_korean():
    ko = evaluate({**DU, "lang": "ko", "entries": [
        {"id": "late", "kind": "program", "hours": 5, "date": "2026-04-02"},
        {"id": "slow", "kind": "language_test", "test": "TOEIC", "score": 705, "date": "2021-04-01",
         "submitted_on": "2023-04-02"},
        {"id": "old", "kind": "language_test", "test": "TOEIC", "score": 705, "date": "2021-02-26",
         "submitted_on": "2023-01-05"}]})
    assert item(ko, "late")["reason"] == "평가일(2026-03-01) 이후 취득: 2026-04-02"
    assert item(ko, "slow")["reason"] == ("취득일(2021-04-01)로부터 2년이 지나 제출: 2023-04-02 "
                                         "(기한 2023-04-01; 2021.3.1. 이후 취득, 취득일로부터 2년 이내 제출)")
    assert item(ko, "old")["reason"] == ("제출 기한(2022-08-31) 이후 제출: 2023-01-05 "
                                        "(2021.2.28. 이전 취득 실적은 2022학년도 1학기까지만 소급 인정)")


def test_an_area_cap_cut_in_korean():
    doc = {"program": "career-mileage", "as_of": "2024-06-01",
           "student": {"student_no": "1", "admission_year": 2022},
           "entries": [
               {"id": "t1", "kind": "language_test", "test": "TOEIC", "score": 720, "date": "2023-05-01"},
               {"id": "t2", "kind": "language_test", "test": "IELTS", "score": 6.5, "date": "2023-09-01"},
               {"id": "j1", "kind": "language_test", "test": "JLPT", "grade": "N2", "date": "2024-01-10"}]}
    en, ko = both(doc)
    assert item(en, "j1")["reason"] == "JLPT N2 (≥ N2) → 120; cut from 120 to 30 by the 외국어능력 area cap of 150"
    assert item(ko, "j1")["reason"] == "JLPT N2 (N2 이상) → 120점; 외국어능력 영역 상한 150점에 따라 120점에서 30점으로 조정"
    assert item(ko, "t1")["reason"] == "TOEIC 720 (700 이상) → 90점; 같은 언어: 가장 높은 1건(t2, 120점)만 인정"
    assert item(ko, "j1")["points"] == item(en, "j1")["points"] == 30


def test_a_max_items_refusal_and_a_sum_of_hours_in_korean():
    doc = {"program": "hankyong-grad-cert", "as_of": "2027-01-15",
           "student": {"student_no": "1", "campus": "anseong", "major": "10-3", "admission_year": 2021,
                       "admission_type": "freshman", "expected_graduation": "2027-02-20", "gpa": 3.41},
           "entries": [
               {"id": "k1", "kind": "certificate", "name": "일반기계기사", "category": "national_technical",
                "tier": "기사", "date": "2024-05-01"},
               {"id": "k2", "kind": "certificate", "name": "전기기사", "category": "national_technical",
                "tier": "기사", "date": "2024-09-01"},
               {"id": "v1", "kind": "volunteer", "hours": 4, "verified_by": "1365", "date": "2024-03-01"},
               {"id": "v2", "kind": "volunteer", "hours": 4, "verified_by": "1365", "date": "2024-04-01"}]}
    en, ko = both(doc)
    refused = [i for i in ko["items"] if i["entry_id"] in ("k1", "k2") and not i["counted"]]
    assert [i["reason"] for i in refused] == ["전기기사: 기사 자격증 (한국산업인력공단) → 1.5점; 이 규칙은 1건까지만 인정"]
    assert "only 1 item(s) of this rule count" in item(en, refused[0]["entry_id"])["reason"]
    assert item(ko, "v1")["reason"] == "외부 봉사 4시간; 외부 봉사: 합계(8시간)에 더해짐, 점수는 v2에 반영"
    assert item(ko, "v2")["reason"] == "외부 봉사 4시간; 외부 봉사: 합계 8시간 (8시간 이상) → 1.5점"
    assert en["total"] == ko["total"] and en["passed"] == ko["passed"]


def test_not_approved_and_coded_values_in_korean():
    ko = evaluate({**DU, "lang": "ko", "entries": [
        {"id": "s", "kind": "program", "hours": 5, "date": "2025-05-01", "status": "submitted"},
        {"id": "x", "kind": "program", "hours": 5, "date": "2025-05-01", "provider": "external"},
        {"id": "p", "kind": "paper", "venue": "kci", "role": "coauthor", "authors": 3, "date": "2025-05-01"},
        {"id": "a", "kind": "award", "scale": "national_1", "place": 2, "team_size": 4, "date": "2025-05-01"}]})
    assert item(ko, "s")["reason"] == "승인되지 않음"
    assert item(ko, "x")["reason"] == "교내 비교과 프로그램이 아님 (운영: 외부 기관)"
    assert item(ko, "p")["reason"] == ("논문 KCI 등재지 → 200점; 공동저자 3인 (공동저자(참여인원 2~3인) 50%): "
                                      "200점의 50% = 100점")
    assert item(ko, "a")["reason"] == ("전국대회(Ⅰ), 2등 (전국대회(Ⅰ) 3등 이내 입상) → 500점; "
                                      "4인 팀 (단체수상(참여인원 4인 이상) 25%): 500점의 25% = 125점")


# ---------------------------------------------------------------- no state shared between evaluations
def test_languages_do_not_leak_between_interleaved_evaluations():
    docs = [{**c["input"], "lang": lang} for c in CASES[:60] for lang in ("en", "ko")]
    expected = [evaluate(d) for d in docs]
    results: dict[int, dict] = {}

    def work(offset):
        for i in range(offset, len(docs), 4):
            results[i] = evaluate(docs[i])

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [results[i] for i in range(len(docs))] == expected


# ---------------------------------------------------------------- the phrase catalogue
def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_every_phrase_has_both_languages_and_korean_needs_no_other_placeholder():
    for key, texts in PHRASES.items():
        assert set(texts) == {"en", "ko"}, key
        # Korean may leave a value out ("이 규칙의 상한" names no rule id), never ask for another
        assert _fields(texts["ko"]) <= _fields(texts["en"]), key


def test_korean_phrases_and_values_are_korean():
    for key, texts in PHRASES.items():
        assert not _WORD.findall(re.sub(r"\{[^}]*\}", "", texts["ko"])), key
    for field, table in VALUES_KO.items():
        for code, shown in table.items():
            assert not [w for w in _WORD.findall(shown) if w not in CODES], (field, code, shown)


@pytest.mark.parametrize("label, expected", [
    ("교외 봉사 hours", ("교외 봉사", "{}시간")),
    ("일반 프로그램, hours", ("일반 프로그램,", "{}시간")),
    ("{entry.scale}, place", ("{entry.scale},", "{}등")),
    ("회장, semesters", ("회장,", "{}학기")),
    ("GPA", ("", "평점 {}")),
    ("program hours (1 per 4 h)", ("program hours (1 per 4 h)", None)),
    ("Bighours", ("Bighours", None)),
])
def test_a_trailing_measure_word_becomes_the_korean_unit(label, expected):
    assert split_measure(label) == expected


# ---------------------------------------------------------------- texts of rule files in two languages
RULES = """\
meta: {program: bilingual, version: "1", effective_from: 2020-01-01}
areas: [{id: a, name: 봉사, cap: 10}]
rules:
  - id: vol
    area: a
    kinds: [volunteer]
    require:
      - when: "entry.verified_by != 'other'"
        reason: {en: "not verified ({entry.verified_by})", ko: "확인되지 않은 봉사 ({entry.verified_by})"}
    points: {per_unit: {measure: entry.hours, rate: 1, label: {en: "volunteer hours", ko: "봉사 hours"}}}
    combine: [{max_items: 2}]
requirements:
  - {id: some, when: "total > 0", detail: {en: "some points", ko: "점수 있음"}}
  - {id: plain, when: "total > 0", detail: "봉사 {total}"}
"""


@pytest.fixture
def rules_dir(tmp_path):
    def write(text):
        (tmp_path / "bilingual").mkdir(exist_ok=True)
        (tmp_path / "bilingual" / "rules.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
        clear_cache()
        return tmp_path
    yield write
    clear_cache()


def _vol(rules_dir, lang):
    return evaluate({"program": "bilingual", "as_of": "2024-01-01", "lang": lang, "entries": [
        {"id": "v1", "kind": "volunteer", "hours": 8, "verified_by": "vms", "date": "2023-01-01"},
        {"id": "v2", "kind": "volunteer", "hours": 6, "verified_by": "vms", "date": "2023-02-01"},
        {"id": "v3", "kind": "volunteer", "hours": 1, "verified_by": "vms", "date": "2023-03-01"},
        {"id": "v4", "kind": "volunteer", "hours": 3, "verified_by": "other", "date": "2023-03-01"}]},
        rules_dir=rules_dir)


def test_rule_file_texts_may_be_given_per_language(rules_dir):
    d = rules_dir(RULES)
    en, ko = _vol(d, "en"), _vol(d, "ko")
    assert [i["reason"] for i in en["items"]] == [
        "volunteer hours 8: 8 × 1 = 8",
        "volunteer hours 6: 6 × 1 = 6; cut from 6 to 2 by the 봉사 area cap of 10",
        "volunteer hours 1: 1 × 1 = 1; only 2 item(s) of this rule count",
        "not verified (other)",
    ]
    assert [i["reason"] for i in ko["items"]] == [
        "봉사 8시간: 8 × 1 = 8점",
        "봉사 6시간: 6 × 1 = 6점; 봉사 영역 상한 10점에 따라 6점에서 2점으로 조정",
        "봉사 1시간: 1 × 1 = 1점; 이 규칙은 2건까지만 인정",
        "확인되지 않은 봉사 (기타)",
    ]
    assert [q["detail"] for q in en["requirements"]] == ["some points", "봉사 10"]
    assert [q["detail"] for q in ko["requirements"]] == ["점수 있음", "봉사 10"]


@pytest.mark.parametrize("bad, where", [
    ('{en: "x", fr: "y"}', "rules[0].require[0].reason.fr"),
    ('{ko: "확인되지 않음"}', "rules[0].require[0].reason.en"),
    ('{en: "x", ko: ""}', "rules[0].require[0].reason.ko"),
])
def test_a_text_in_languages_is_checked(rules_dir, bad, where):
    d = rules_dir(RULES.replace('{en: "not verified ({entry.verified_by})", ko: "확인되지 않은 봉사 ({entry.verified_by})"}', bad))
    with pytest.raises(RuleSetError) as e:
        _vol(d, "ko")
    assert e.value.path == where


def test_a_lookup_key_of_several_codes_reads_in_korean():
    doc = {"program": "hankyong-grad-cert", "as_of": "2026-01-15",
           "student": {"student_no": "1", "campus": "anseong", "major": "16-1", "admission_year": 2022},
           "entries": [{"id": "p", "kind": "patent", "type": "utility_model", "status": "registered",
                        "title": "조명 거치대", "date": "2024-08-01"}]}
    en, ko = both(doc)
    assert "utility_model.registered" in item(en, "p")["reason"]  # English as before
    assert "지적재산권 실용신안 등록 → 0.4점" in item(ko, "p")["reason"]
