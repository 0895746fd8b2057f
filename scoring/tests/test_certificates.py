"""The certificate catalogue (scoring/engine/catalogue/certificates.yaml) as the engine uses it."""
from __future__ import annotations

import re

import pytest

from scoring.engine import evaluate
from scoring.engine.certificates import Catalogue, CatalogueError, canon_key, catalogue, describe


def du_heart(*entries):
    doc = {"program": "du-heart", "as_of": "2024-06-30",
           "entries": [{"id": f"e{i}", "kind": "certificate", "date": "2023-06-10", **e}
                       for i, e in enumerate(entries)]}
    return evaluate(doc)


def test_a_national_technical_certificate_without_tier_gets_its_tiers_points_in_du_heart():
    result = du_heart({"name": "전기기사"})
    assert result["total"] == 400
    assert result["items"][0]["rule"] == "certificate.national_technical.기사"


def test_the_catalogue_wins_over_a_typed_category_and_tier_of_a_known_name():
    result = du_heart({"name": "정보처리산업기사", "category": "private", "tier": "기사"})
    assert result["total"] == 200  # 산업기사, not 기사 (400) nor 민간 (50)


def test_an_unknown_name_keeps_the_typed_fields():
    assert du_heart({"name": "방재기사", "category": "national_technical", "tier": "기사"})["total"] == 400
    assert du_heart({"name": "방재기사"})["total"] == 50  # nothing typed, nothing known: 각종 민간자격증


def test_a_known_stem_with_a_tier_the_list_does_not_print_is_national_technical():
    assert describe("전기공사기능사") == {
        "name": "전기공사기능사", "grade": None, "category": "national_technical", "tier": "기능사",
        "issuer": "한국산업인력공단", "field": "전기공사", "grades": []}
    assert describe("드론정비기사") is None  # an unknown stem is not guessed


@pytest.mark.parametrize("name,grade,canonical,canonical_grade", [
    ("한국사능력검정시험", "심화 1급", "한국사능력검정시험", "1급"),
    ("한능검 심화1급", None, "한국사능력검정시험", "1급"),
    ("한국사검정능력시험", "고급 2급", "한국사능력검정시험", "2급"),
    ("ITQ", "A등급", "ITQ", "A"),
    ("정보기술자격(ITQ)", "A급", "ITQ", "A"),
    ("국내FRM", None, "재무위험관리사", None),
    ("MOS", "Word", "MOS Word", None),
    ("MOS(MASTER)", None, "MOS Master", None),
    ("MOS 엑셀", "Expert", "MOS Excel", "Expert"),
    ("컴활 1급", None, "컴퓨터활용능력", "1급"),
    ("KBS한국어능력시험", "2-급", "KBS한국어능력시험", "2-급"),
    ("노무사", None, "공인노무사", None),
])
def test_spelling_variants_map_to_one_name_and_grade(name, grade, canonical, canonical_grade):
    found = describe(name, grade)
    assert (found["name"], found["grade"]) == (canonical, canonical_grade)


def test_variants_are_one_certificate_for_du_heart_same_certificate_rule():
    result = du_heart({"name": "한국사능력검정시험", "grade": "심화 1급"}, {"name": "한능검", "grade": "1급"})
    assert result["total"] == 150
    assert [i["points"] for i in result["items"]] == [150, 0]


def test_upgrade_goes_by_field_not_by_exact_name():
    # seed 001: 정보처리산업기사 → 정보처리기사 pays the difference; another field pays in full
    result = du_heart({"name": "정보처리산업기사"}, {"name": "정보처리기사", "submitted_on": "2023-07-01"},
                      {"name": "전기기능사"})
    by_id = {i["entry_id"]: i["points"] for i in result["items"]}
    assert by_id == {"e0": 200, "e1": 200, "e2": 50}
    assert result["total"] == 450


def test_service_certificates_take_their_tier_from_the_grade():
    assert describe("비서", "1급")["tier"] == "서비스1급"
    assert describe("직업상담사", "2급")["tier"] == "서비스2급"
    assert describe("워드프로세서")["tier"] is None  # single grade: the entry's own tier stands


def test_table_names_match_through_the_catalogue():
    assert canon_key("한국사검정능력시험 1급") == canon_key("한국사능력검정시험 심화 1급")
    assert canon_key("노무사") == canon_key("공인노무사")
    assert canon_key("TOEIC") == "toeic"  # anything else is only normalised


def test_a_spelling_that_names_two_certificates_is_refused():
    with pytest.raises(CatalogueError, match="names both"):
        Catalogue({"certificates": [{"name": "A자격", "aliases": ["X"]}, {"name": "B자격", "aliases": ["X"]}]})


def test_every_certificate_a_seed_names_in_the_rule_tables_is_in_the_catalogue():
    # a sample of the seeds' names (002 자격증 rows; 004 lists), each known with its category
    for name in ["감정평가사", "재경관리사", "전산세무", "CS Leaders", "원산지관리사", "디지털정보활용능력",
                 "정보처리기사", "사무자동화산업기사", "빅데이터분석기사", "사회조사분석사", "요양보호사",
                 "귀금속가공기능장", "한식조리기능사", "유기농업기사", "리눅스마스터", "GTQ"]:
        assert describe(name) is not None, name
    assert len(catalogue().records) > 350


def _table_strings():
    """Every short string in a rule file's certificate tables (keys naming cert/names)."""
    import yaml
    from scoring.engine import DEFAULT_RULES_DIR

    found = set()

    def walk(x, inside):
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, inside or "cert" in str(k) or "names" in str(k))
        elif isinstance(x, list):
            for v in x:
                walk(v, inside)
        elif isinstance(x, str) and inside and len(x) < 40:
            found.add(x)

    for f in DEFAULT_RULES_DIR.rglob("*.yaml"):
        if "tests" in f.parts:
            continue
        for k, v in (yaml.safe_load(f.read_text(encoding="utf-8")) or {}).items():
            if k not in ("rules", "meta", "areas", "requirements"):
                walk(v, "cert" in k or "names" in k)
    return found


# strings in those tables that are not certificate names: labels, bands, grades, notes
_NOT_NAMES = re.compile(r"^(\d+|\d+급|[\d~]+|\d+이상|\d+개.*|기사 \d+개.*|기술사|심화\d급|준?\d급|준?특급|종목별 .*"
                        r"|.*, .*|위생사 및 정보화능력자격증)$")


def test_every_certificate_name_in_the_rule_tables_is_in_the_catalogue():
    missing = sorted(s for s in _table_strings() if not _NOT_NAMES.match(s) and describe(s) is None)
    assert missing == []
