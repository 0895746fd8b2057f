"""The words of the result's reasons, in English (the default) and Korean.

Every reason text the engine composes itself comes from PHRASES: a message key → {"en", "ko"},
each a `str.format` template. The rule files bring their own texts (labels, reasons, details);
those may be written `{en: ..., ko: ...}` (see FORMAT.md, "Reasons in Korean").

The language is the case's (`lang` in the input, default "en"). The evaluator puts that
language's `Phrases` in every evaluation context as `ctx["_ph"]` (a name no rule expression can
read); primitives and combine stages take their texts from it, and pick language-dependent
texts prepared at load time by its index `ph.i` (EN = 0, KO = 1). Nothing is global: two
evaluations in different languages never share state.

English texts are exactly those the engine wrote before Korean existed; tests and stored
results compare them.
"""
from __future__ import annotations

import re

LANGS = ("en", "ko")
EN, KO = 0, 1

PHRASES: dict[str, dict[str, str]] = {
    # ---------------------------------------------------------------- evaluator: one entry
    "not_approved": {"en": "not approved", "ko": "승인되지 않음"},
    # an entry of a kind (or an area) the program has no rule for: an item, never an error
    "not_scored": {"en": "not scored by this program", "ko": "이 프로그램에서 점수를 주지 않는 항목"},
    "not_scored_area": {"en": "not scored by this program: area '{area}' is not one of its areas ({names})",
                        "ko": "이 프로그램에서 점수를 주지 않는 항목: '{area}' 영역이 이 프로그램에 없음 ({names})"},
    "not_scored_program": {"en": "not scored by this program: committee points granted under {program}",
                           "ko": "이 프로그램에서 점수를 주지 않는 항목: {program} 위원회가 부여한 점수"},
    "not_scored_no_area": {"en": "not scored by this program: no area given",
                           "ko": "이 프로그램에서 점수를 주지 않는 항목: 영역이 지정되지 않음"},
    # a graded test whose score is under its level's pass mark (HSK 5급 170): the level was not obtained
    "level_not_passed": {"en": "{test} {grade}: score {score} of {top} is below the pass mark {mark} — the level was not obtained",
                         "ko": "{test} {grade}: {top}점 만점에 {score}점으로 합격 기준 {mark}점 미만 — 해당 급수 불합격"},
    "obtained_after_as_of": {"en": "obtained {d}, after the evaluation date {as_of}",
                             "ko": "평가일({as_of}) 이후 취득: {d}"},
    "submitted_after_as_of": {"en": "submitted {d}, after the evaluation date {as_of}",
                              "ko": "평가일({as_of}) 이후 제출: {d}"},
    "share": {"en": "{text}; {share}: {pct}% of {points} = {shared}",
              "ko": "{text}; {share}: {points}점의 {pct}% = {shared}점"},
    "rounded": {"en": "{text}, rounded to {points}", "ko": "{text}, 끝수 처리하여 {points}점"},
    "recognised_under": {"en": "{text}; recognised under: {via}", "ko": "{text}; 인정 근거: {via}"},
    "no_points": {"en": "{text}: no points", "ko": "{text}: 인정 점수 없음"},
    "area_cap": {"en": "the {area} area cap", "ko": "{area} 영역 상한"},
    "program_max": {"en": "the program's maximum", "ko": "총점 상한"},
    "rule_cap": {"en": "the cap of rule {rule}", "ko": "이 규칙의 상한"},
    # ---------------------------------------------------------------- caps (rule, area, program)
    "cap_reached": {"en": "{reason}; {label} of {cap} already reached",
                    "ko": "{reason}; {label} {cap}점에 이미 도달"},
    "cap_cut": {"en": "{reason}; cut from {points} to {room} by {label} of {cap}",
                "ko": "{reason}; {label} {cap}점에 따라 {points}점에서 {room}점으로 조정"},
    # ---------------------------------------------------------------- tier rows
    "row_range": {"en": "{lo}–{hi}", "ko": "{lo}~{hi}"},
    "row_min": {"en": "≥ {lo}", "ko": "{lo} 이상"},
    "row_max": {"en": "≤ {hi}", "ko": "{hi} 이하"},
    "row_any": {"en": "any", "ko": "모두 해당"},
    "row_tail": {"en": "({shown}) → {points}", "ko": "({shown}) → {points}점"},
    "no_value": {"en": "{subject}: no value given", "ko": "{subject}: 값이 없음"},
    "not_on_scale": {"en": "{subject} {value}: not on the table's scale",
                     "ko": "{subject} {value}: 표의 등급에 없음"},
    "below_lowest": {"en": "{subject} {value} is below the lowest row (≥ {lowest})",
                     "ko": "{subject} {value}: 최저 기준({lowest} 이상)에 미달"},
    "no_row": {"en": "{subject} {value} matches no row of the table",
               "ko": "{subject} {value}: 표의 어느 기준에도 해당하지 않음"},
    # ---------------------------------------------------------------- per-entry primitives
    "fixed": {"en": "fixed {points}", "ko": "고정 {points}점"},
    "fixed_label": {"en": "{label} → {points}", "ko": "{label} → {points}점"},
    "value_none": {"en": "{label}: no points given", "ko": "{label}: 점수가 입력되지 않음"},
    "value_negative": {"en": "{label}: negative points are not allowed",
                       "ko": "{label}: 음수 점수는 인정되지 않음"},
    "value_hit": {"en": "{label} {points}", "ko": "{label} {points}점"},
    "value_measure": {"en": "{label} {value}", "ko": "{label} {value}"},
    "tier_no_key": {"en": "{label}: no row for {key}", "ko": "{label}: {key}에 해당하는 기준이 없음"},
    "not_convertible": {"en": "{test}: not in the conversion table", "ko": "{test}: 환산표에 없는 시험"},
    "not_convertible_new_teps": {
        "en": "{teps} taken {d}, from round 248 (2018-05-12) on, is the {new_teps} (600 points): not in the conversion table, which prints the old 990-point {teps}",
        "ko": "{d} 응시 {teps}는 248회(2018-05-12) 이후의 {new_teps}(600점 만점): 환산표에는 이전 {teps}(990점 만점) 기준만 있어 환산하지 않음"},
    "lookup_miss": {"en": "{label} {key}: not in the table", "ko": "{label} {key}: 표에 없음"},
    "lookup_hit": {"en": "{label} {key} → {points}", "ko": "{label} {key} → {points}점"},
    "named_other_grade": {"en": "{label}: this grade is not in the table (listed: {grades})",
                          "ko": "{label}: 인정되지 않는 급수 (인정 급수: {grades})"},
    "named_not_listed": {"en": "{label}: not on the list", "ko": "{label}: 인정 목록에 없음"},
    "named_hit": {"en": "{label}: listed as '{name}' → {points}",
                  "ko": "{label}: 목록의 '{name}'(으)로 인정 → {points}점"},
    "per_unit_less": {"en": "{label} {value}: less than one unit of {unit}",
                      "ko": "{label} {value}: 인정 단위({unit}) 미만"},
    "per_unit_hit": {"en": "{label} {value}: {units} × {rate} = {points}",
                     "ko": "{label} {value}: {units} × {rate} = {points}점"},
    "per_unit_max": {"en": "{text}, limited to {max} per item", "ko": "{text}, 건당 최대 {max}점"},
    "no_alternative": {"en": "no alternative of the rule applies", "ko": "해당하는 인정 기준이 없음"},
    # the `improvement` primitive (우수 향상률): a result against the previous one of the same test
    "improvement_none": {"en": "{label}: no earlier approved {test} result in the record to compare with",
                         "ko": "{label}: 비교할 이전 {test} 성적(승인된 성적)이 없음"},
    "improvement_short": {"en": "{label}: {test} {prev} ({prev_id}, {prev_date}) → {score}: {gain}%, less than {pct}%",
                          "ko": "{label}: {test} {prev}({prev_id}, {prev_date}) → {score}: 향상률 {gain}%, {pct}% 미만"},
    "improvement_hit": {"en": "{label}: {test} {prev} ({prev_id}, {prev_date}) → {score}: {gain}% ≥ {pct}%; {reason}",
                        "ko": "{label}: {test} {prev}({prev_id}, {prev_date}) → {score}: 향상률 {gain}% ({pct}% 이상); {reason}"},
    "label_improvement": {"en": "improvement", "ko": "우수 향상률"},
    # ---------------------------------------------------------------- date windows
    "submitted_before": {"en": "submitted {sub} before {start} ({label})",
                         "ko": "제출 시작일({start}) 전 제출: {sub} ({label})"},
    "submitted_after": {"en": "submitted {sub}, after {end} ({label})",
                        "ko": "제출 기한({end}) 이후 제출: {sub} ({label})"},
    "submitted_late": {"en": "submitted {sub}, more than {years} years after {d} (deadline {limit}; {label})",
                       "ko": "취득일({d})로부터 {years}년이 지나 제출: {sub} (기한 {limit}; {label})"},
    "submitted_other_semester": {
        "en": "submitted in semester {sub}, not in semester {ref} ({label})",
        "ko": "{ref}학기가 아닌 {sub}학기에 제출 ({label})"},
    "before_earliest": {"en": "obtained {d}, before {earliest} and no retroactive rule applies",
                        "ko": "{earliest} 이전 취득({d}): 소급 인정 규정에 해당하지 않음"},
    "outside_windows": {"en": "obtained {d}: outside every recognition window",
                        "ko": "{d} 취득: 인정 기간에 해당하지 않음"},
    # ---------------------------------------------------------------- combine stages and limits
    "best_of": {"en": "{reason}; {label} as {best}, which counts {points}: only the best counts",
                "ko": "{reason}; {label}: 가장 높은 1건({best}, {points}점)만 인정"},
    "upgrade_pays": {"en": "{reason}; {label} {key}: {paid} already paid ({payer}), pays the difference {diff}",
                     "ko": "{reason}; {label} {key}: 이미 지급된 {paid}점({payer})과의 차액 {diff}점 지급"},
    "upgrade_not_higher": {"en": "{reason}; {label} {key}: {paid} already paid ({payer}), not a higher tier",
                           "ko": "{reason}; {label} {key}: 이미 {paid}점 지급({payer}), 더 높은 등급이 아님"},
    "max_items": {"en": "{reason}; only {n} item(s) of this rule count", "ko": "{reason}; 이 규칙은 {n}건까지만 인정"},
    "max_items_of": {"en": "{reason}; {label}: only {n} item(s) count", "ko": "{reason}; {label}: {n}건까지만 인정"},
    "count_none": {"en": "{reason}; {label}: {n} item(s) give no more than {before}",
                   "ko": "{reason}; {label}: {n}건이 되어도 추가 점수 없음"},
    "count_hit": {"en": "{reason}; {label}: {n} item(s) → {points}", "ko": "{reason}; {label}: {n}건 → {points}점"},
    "sum_subject": {"en": "{label}: in total", "ko": "{label}: 합계"},
    "sum_miss": {"en": "{reason}; {why}", "ko": "{reason}; {why}"},
    "sum_hit": {"en": "{reason}; {label}: {total} in total {tail}", "ko": "{reason}; {label}: 합계 {total} {tail}"},
    "sum_added": {"en": "{reason}; {label}: added to the total ({total}), whose points {carrier} carries",
                  "ko": "{reason}; {label}: 합계({total})에 더해짐, 점수는 {carrier}에 반영"},
    "limit": {"en": "{reason}; {label}: only {n} item(s) count ({kept})",
              "ko": "{reason}; {label}: {n}건까지만 인정 ({kept})"},
    # ---------------------------------------------------------------- default labels of rule files
    "label_best_of": {"en": "same item", "ko": "동일 항목"},
    "label_upgrade": {"en": "same", "ko": "동일"},
    "label_count_tiers": {"en": "count", "ko": "건수"},
    "label_sum_tiers": {"en": "in total", "ko": "합계"},
    "label_share": {"en": "share", "ko": "배분"},
    # ---------------------------------------------------------------- values in templates
    "yes": {"en": "yes", "ko": "예"},
    "no": {"en": "no", "ko": "아니오"},
}


_FIELD = re.compile(r"\{([a-z_]+)\}")


def _fields(template: str) -> list[str]:
    return list(dict.fromkeys(_FIELD.findall(template)))


def _compile(key: str, template: str, fields: list[str]):
    """The template as a function of its placeholders (keywords): an f-string, compiled once.

    str.format costs four to five times an f-string, and reasons are formatted for every item
    of every evaluation. Only the constant templates above are compiled here; they may hold
    nothing but text and `{name}` placeholders (checked), and nothing of a rule file or an input
    ever comes here.
    """
    if _FIELD.sub("", template).count("{") or _FIELD.sub("", template).count("}"):
        raise ValueError(f"phrase {key!r}: only {{name}} placeholders are allowed")
    if not fields:
        return lambda: template
    params = ", ".join(fields)
    return eval(f"lambda *, {params}: f{template!r}", {"__builtins__": {}})  # noqa: S307 - constant text


class Phrases:
    """One language's phrases, each a function of its placeholders:
    `ph.cap_cut(reason=..., points=..., room=..., label=..., cap=...)`; `i` is the language's index."""

    def __init__(self, lang: str):
        self.lang = lang
        self.i = LANGS.index(lang)
        for key, texts in PHRASES.items():
            fields = _fields(texts["en"])
            if not set(_fields(texts[lang])) <= set(fields):
                raise ValueError(f"phrase {key!r}: the {lang} text asks for a placeholder English has not")
            setattr(self, key, _compile(key, texts[lang], fields))

    def __repr__(self) -> str:
        return f"<Phrases {self.lang}>"


BY_LANG = {lang: Phrases(lang) for lang in LANGS}


def both(key: str, **kw) -> tuple[str, str]:
    """A phrase in every language, formatted: (en, ko). For texts prepared at load time."""
    texts = PHRASES[key]
    return tuple(texts[lang].format(**kw) for lang in LANGS)


# ---------------------------------------------------------------- measure words of labels
# A rule file's label that ends with one of these words prints the measure after it in English
# ("교외 봉사 hours 10"); in Korean the word goes and the measure takes its unit ("교외 봉사 10시간").
# Longest first: "semester(s)" before "semesters".
MEASURE_UNITS: dict[str, str] = {
    "semester(s)": "{}학기",
    "semesters": "{}학기",
    "semester": "{}학기",
    "hours": "{}시간",
    "h": "{}시간",
    "days": "{}일",
    "weeks": "{}주",
    "months": "{}개월",
    "years": "{}년",
    "place": "{}등",
    "authors": "{}인",
    "team of": "{}인 팀",
    "count": "{}건",
    "times": "{}회",
    "GPA": "평점 {}",
    "credits": "{}학점",
}
# Units that also suit a table's bounds ('84일 이상'); the others print bounds bare ('1 이하').
BOUND_UNITS = frozenset({"{}학기", "{}시간", "{}일", "{}주", "{}개월", "{}년", "{}건", "{}회"})
COUNT_UNIT = "{}건"  # count_tiers: rows are numbers of items
_MEASURE_TAIL = re.compile(
    r"(?:^|(?<=[\s,(]))(" + "|".join(re.escape(w) for w in sorted(MEASURE_UNITS, key=len, reverse=True))
    + r")$")


def bound_units(unit: str | None) -> tuple[None, str | None]:
    """Per language, the unit a table's bounds print with for a label's measure unit."""
    return None, unit if unit in BOUND_UNITS else None


def split_measure(text: str) -> tuple[str, str | None]:
    """'교외 봉사 hours' → ('교외 봉사', '{}시간'); a label without a measure word → (text, None)."""
    m = _MEASURE_TAIL.search(text)
    if m is None:
        return text, None
    return text[:m.start()].rstrip(), MEASURE_UNITS[m.group(1)]


# ---------------------------------------------------------------- the contract's values, in Korean
# What a Korean reason prints for an entry's (or the student's) coded value when a rule file's
# text shows it (`{entry.scale}`) or a lookup names it. Values not listed print as they are.
VALUES_KO: dict[str, dict[str, str]] = {
    "test": {
        "TOEIC_SPEAKING": "TOEIC Speaking", "TOEFL_IBT": "TOEFL iBT", "TOEFL_PBT": "TOEFL PBT",
        "TOEFL_CBT": "TOEFL CBT", "NEW_TEPS": "NEW TEPS", "OPIC": "OPIc", "G_TELP": "G-TELP",
        "CIVIL_SERVICE_ENGLISH": "공무원 영어",
    },
    "kind": {
        "language_test": "어학시험", "certificate": "자격증", "award": "수상", "paper": "논문",
        "program": "비교과 프로그램", "volunteer": "봉사활동", "internship": "인턴십",
        "overseas_study": "해외연수", "leadership": "임원 활동", "lab_service": "연구실 활동",
        "patent": "특허", "employment": "취업", "startup": "창업", "course": "교과목",
        "character_education": "인성교육", "activity": "활동", "counseling": "상담",
        "manual": "위원회 부여",
    },
    "category": {
        "national_professional": "국가전문자격", "national_technical": "국가기술자격",
        "national_accredited_private": "국가공인 민간자격", "private": "민간자격",
        "employment": "취업", "startup": "창업", "major": "전공", "learning": "학습",
        "language": "어학", "other": "기타",
    },
    # certificates (final, first_round) and patents (filed, registered)
    "stage": {"final": "최종 합격", "first_round": "1차 합격", "filed": "출원", "registered": "등록"},
    "scale": {"international": "국제대회", "national_1": "전국대회(Ⅰ)", "national_2": "전국대회(Ⅱ)",
              "campus": "교내 대회", "department": "학과 대회"},
    "prize": {"grand": "대상", "top_excellence": "최우수상", "excellence": "우수상",
              "encouragement": "장려상", "honorable_mention": "입선", "entry": "출품"},
    "venue": {"intl_indexed": "국제 등재 학술지", "kci": "KCI 등재지", "kci_candidate": "KCI 등재후보지",
              "intl_general": "국제 일반 학술지", "intl_conference": "국제 학술대회",
              "domestic_conference": "국내 학술대회", "national_general": "국내 일반 학술지",
              "campus": "교내 학술지"},
    "format": {"paper": "논문", "poster": "포스터"},
    "role": {"first": "제1저자", "corresponding": "교신저자", "coauthor": "공동저자",
             "president": "회장", "vice_president": "부회장", "officer": "임원", "member": "회원"},
    "provider": {"campus": "교내", "department": "학과", "national_agency": "국가기관",
                 "external": "외부 기관"},
    "verified_by": {"vms": "VMS", "public_agency": "공공기관", "campus": "교내", "other": "기타"},
    "organization": {"student_council": "총학생회", "college_council": "단과대학 학생회",
                     "department_council": "학과 학생회", "club": "동아리", "academic_club": "학회",
                     "graduation_committee": "졸업준비위원회", "press": "학내 언론"},
    "type": {
        "patent": "특허", "utility_model": "실용신안", "design": "디자인", "software": "소프트웨어",
        "exchange": "교환학생", "credit_exchange": "학점교류", "language_training": "어학연수",
        "training": "해외연수", "mentor": "멘토링", "employment": "취업 상담", "international": "국제교류 상담",
        "capstone_entry": "캡스톤디자인 출품", "exhibition": "전시회", "portfolio_pass": "포트폴리오 통과",
        "seminar_presentation": "세미나 발표", "seminar_attendance": "세미나 참석",
        "music_release": "음원 발매", "creative_publication": "창작물 출판", "supporters": "서포터즈",
        "design_camp": "디자인캠프", "press_reporter": "기자단", "startup_club": "창업동아리",
        "academic_club": "학술동아리", "academic_festival": "학술제", "linked_major": "연계전공",
        "micro_degree": "소단위전공(마이크로디그리)", "ee_global_tech": "EE 글로벌테크 출품",
        "ee_global_tech_substitute": "EE 글로벌테크 출품 대체",
    },
    "patent_status": {"filed": "출원", "registered": "등록"},
    "result": {"entered": "출품", "awarded": "수상", "passed": "통과"},
    "status": {"approved": "승인", "submitted": "제출", "rejected": "반려"},
    "grade": {"basic": "기본단계"},  # TORFL; the other grades print as they are (N1, IM2, B2, 1급)
    # the language groups of the conversion tables (fact.group: "same language english")
    "group": {"english": "영어", "japanese": "일본어", "chinese": "중국어", "russian": "러시아어",
              "german": "독일어", "french": "프랑스어", "spanish": "스페인어", "korean": "한국어"},
    "campus": {"anseong": "안성", "pyeongtaek": "평택"},
    "admission_type": {"freshman": "신입학", "transfer_3": "3학년 편입", "transfer_4": "4학년 편입",
                       "foreign": "외국인 전형"},
}


# The programs' names in Korean (reasons that name another program: committee points granted there).
PROGRAMS_KO = {"career-mileage": "학생경력마일리지", "du-heart": "DU-HEART 마일리지",
               "hankyong-grad-cert": "한경국립대 졸업인증"}


def text_pair(text) -> tuple[str, str]:
    """A rule file's plain text, `"..."` or `{en: ..., ko: ...}`, as (en, ko); ko defaults to en."""
    if isinstance(text, dict):
        en = text["en"]
        return en, text.get("ko", en)
    return text, text
