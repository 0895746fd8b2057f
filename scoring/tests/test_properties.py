"""Engine invariants under generated students (hypothesis):
entry order never changes a result; points are never negative; no cap is ever exceeded;
adding an approved entry never lowers a du-heart total (nor a career-mileage one)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.engine import InputError, load_program
from scoring.engine import evaluate as engine_evaluate


def evaluate(doc):
    """The engine's result. Redemptions above what the draw accrued are an input error (the
    contract's; test_balance_... checks it), so the other properties look at such a draw without
    its redemptions."""
    try:
        return engine_evaluate(doc)
    except InputError as e:
        if e.field.startswith("redemptions[") and doc.get("redemptions"):
            return engine_evaluate({**doc, "redemptions": []})
        raise

PROGRAMS = ("du-heart", "career-mileage")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

dates = st.dates(min_value=dt.date(2019, 6, 1), max_value=dt.date(2025, 12, 31))
lags = st.integers(min_value=0, max_value=1000)
as_of_dates = st.dates(min_value=dt.date(2022, 6, 1), max_value=dt.date(2026, 6, 30))

GRADES = {"OPIC": ["NH", "IL", "IM1", "IM2", "IM3", "IH", "AL"], "JLPT": ["N1", "N2", "N3", "N4", "N5"],
          "HSK": ["1", "2", "3", "4", "5", "6"], "TOPIK": ["2", "4", "6"], "TORFL": ["basic", "1", "2"],
          "ZD": ["A1", "A2", "B1", "B2", "C1"], "DELF": ["A2", "B1", "B2", "C2"]}
# every date drawn is after TEPS round 248 (2018-05-12): a "TEPS" then is a New TEPS (600 points)
SCORED = {"TOEIC": (300, 990), "TOEFL_IBT": (30, 120), "TEPS": (150, 600), "TOEIC_SPEAKING": (50, 200),
          "JPT": (300, 990), "CPT": (300, 990), "TCF": (100, 699), "IELTS": (3, 9), "TOEFL_PBT": (400, 677),
          "NEW_TEPS": (150, 600), "G_TELP": (20, 100)}
CERTS = [("컴퓨터활용능력", "1급", "national_technical", "서비스1급"), ("컴퓨터활용능력", "2급", "national_technical", "서비스2급"),
         ("정보처리기사", "", "national_technical", "기사"), ("전기산업기사", "", "national_technical", "산업기사"),
         ("정보관리기술사", "", "national_technical", "기술사"), ("한국사능력검정시험", "1급", "private", None),
         ("한국사능력검정시험", "3급", "private", None), ("한국사능력검정시험", "5급", "private", None),
         ("세무사", "", "national_professional", None), ("공인회계사", "", "national_professional", None),
         ("GTQ", "2급", "national_accredited_private", None), ("네트워크관리사", "1급", "national_accredited_private", None),
         ("바리스타", "2급", "private", None), ("ITQ", "A", "national_accredited_private", None)]


@st.composite
def entry_body(draw):
    # weighted towards the kinds both programs score, so caps, upgrades and duplicates occur
    kind = draw(st.sampled_from(["program", "language_test", "language_test", "language_test", "certificate",
                                 "certificate", "certificate", "award", "award", "paper", "volunteer", "volunteer",
                                 "volunteer", "internship", "counseling", "counseling", "overseas_study",
                                 "leadership", "activity", "lab_service", "patent", "startup", "employment",
                                 "manual"]))
    d = draw(dates)
    e = {"kind": kind, "date": d}
    if draw(st.booleans()):
        e["submitted_on"] = d + dt.timedelta(days=draw(lags))
    if kind == "program":
        e.update(hours=draw(st.one_of(st.integers(0, 60), st.floats(0, 60, allow_nan=False).map(lambda x: round(x, 1)))),
                 certified=draw(st.booleans()),
                 category=draw(st.sampled_from(["employment", "startup", "major", "learning", "other"])),
                 provider=draw(st.sampled_from(["campus", "department", "external"])))
    elif kind == "language_test":
        test = draw(st.sampled_from(sorted(GRADES) + sorted(SCORED)))
        e["test"] = test
        if test in GRADES:
            e["grade"] = draw(st.sampled_from(GRADES[test]))
        else:
            lo, hi = SCORED[test]
            e["score"] = draw(st.integers(lo, hi))
            if test == "G_TELP":
                e["level"] = draw(st.integers(1, 3))
    elif kind == "certificate":
        name, grade, cat, tier = draw(st.sampled_from(CERTS))
        e.update(name=name, grade=grade, category=cat,
                 stage=draw(st.sampled_from(["final", "final", "first_round"])))
        if tier:
            e["tier"] = tier
    elif kind == "award":
        e.update(scale=draw(st.sampled_from(["international", "national_1", "national_2", "campus", "department"])),
                 team_size=draw(st.integers(1, 7)))
        if draw(st.booleans()):
            e["place"] = draw(st.integers(1, 6))
        else:
            e["prize"] = draw(st.sampled_from(["grand", "top_excellence", "excellence", "encouragement", "entry"]))
        if draw(st.booleans()):
            e["work_id"] = draw(st.sampled_from(["w1", "w2"]))
    elif kind == "paper":
        e.update(venue=draw(st.sampled_from(["intl_indexed", "kci", "kci_candidate", "intl_general", "intl_conference",
                                             "domestic_conference", "national_general", "campus"])),
                 role=draw(st.sampled_from(["first", "corresponding", "coauthor"])), authors=draw(st.integers(1, 8)),
                 fee_funded_by_school=draw(st.booleans()))
        if draw(st.booleans()):
            e["paper_id"] = draw(st.sampled_from(["p1", "p2"]))
    elif kind == "volunteer":
        e.update(hours=draw(st.integers(0, 120)), verified_by=draw(st.sampled_from(["1365", "vms", "other"])),
                 blood_donation=draw(st.booleans()))
    elif kind in ("internship", "overseas_study"):
        start = d - dt.timedelta(days=draw(st.integers(0, 200)))
        e.update(start=start, end=d)
        if kind == "overseas_study":
            e["type"] = draw(st.sampled_from(["exchange", "credit_exchange", "language_training", "training"]))
    elif kind == "counseling":
        e["type"] = draw(st.sampled_from(["mentor", "employment", "international"]))
    elif kind == "leadership":
        e.update(organization="club", role=draw(st.sampled_from(["president", "vice_president", "officer", "member"])),
                 semesters=draw(st.integers(0, 6)))
    elif kind == "activity":
        e.update(type=draw(st.sampled_from(["capstone_entry", "exhibition", "seminar_attendance"])),
                 count=draw(st.integers(1, 5)))
    elif kind == "lab_service":
        e["months"] = draw(st.integers(0, 24))
    elif kind == "patent":
        e.update(type="patent", status=draw(st.sampled_from(["filed", "registered"])))
    elif kind == "manual":
        e.update(area=draw(st.sampled_from(["committee", "어학", "volunteer", "기타 경력", "자격증"])),
                 points=draw(st.integers(0, 200)), reason="심의")
    return e


@st.composite
def duplicate_prone_body(draw):
    """Few distinct values, so upgrades, same-work, same-paper and same-name rules bite."""
    kind = draw(st.sampled_from(["language_test", "certificate", "award", "paper"]))
    d = draw(st.dates(min_value=dt.date(2020, 9, 1), max_value=dt.date(2023, 12, 31)))
    e = {"kind": kind, "date": d, "submitted_on": d + dt.timedelta(days=draw(st.integers(0, 400)))}
    if kind == "language_test":
        test = draw(st.sampled_from(["TOEIC", "TOEFL_IBT", "OPIC", "JLPT"]))
        e["test"] = test
        if test in GRADES:
            e["grade"] = draw(st.sampled_from(GRADES[test]))
        else:
            e["score"] = draw(st.sampled_from([550, 650, 750, 850, 950] if test == "TOEIC" else [60, 85, 95, 110]))
    elif kind == "certificate":
        name, grade, cat, tier = draw(st.sampled_from(CERTS[:2] + CERTS[5:8]))
        e.update(name=name, grade=grade, category=cat)
        if tier:
            e["tier"] = tier
    elif kind == "award":
        e.update(scale=draw(st.sampled_from(["international", "national_1", "national_2"])),
                 place=draw(st.integers(1, 3)), team_size=draw(st.integers(1, 5)), work_id="w")
    else:
        e.update(venue=draw(st.sampled_from(["intl_indexed", "kci", "intl_conference"])), role="first", paper_id="p")
    return e


def statuses():
    return st.sampled_from(["approved", "approved", "approved", "submitted", "rejected"])


@st.composite
def students(draw, program=None):
    program = program or draw(st.sampled_from(PROGRAMS))
    body = draw(st.sampled_from([entry_body, duplicate_prone_body]))
    bodies = draw(st.lists(body(), min_size=1, max_size=30))
    entries = []
    for i, b in enumerate(bodies):
        if b["kind"] == "manual":
            b = dict(b, area={"du-heart": {"volunteer": "어학", "기타 경력": "committee", "자격증": "자격증"},
                              "career-mileage": {"committee": "기타 경력", "어학": "외국어능력"}}[program].get(b["area"], b["area"]))
        entries.append({"id": f"e{i}", "status": draw(statuses()), **b})
    flags = {"leave_2021": draw(st.booleans()), "double_major": draw(st.booleans()), "minor": draw(st.booleans())}
    student = {"admission_year": draw(st.integers(2018, 2023)), "flags": flags,
               "gpa": draw(st.one_of(st.none(), st.floats(0, 4.5, allow_nan=False).map(lambda x: round(x, 2))))}
    if draw(st.booleans()):
        student["returned_on"] = draw(st.sampled_from([dt.date(2022, 3, 2), dt.date(2022, 9, 1), dt.date(2023, 3, 2)]))
    redemptions = draw(st.lists(st.builds(lambda d, p: {"date": d, "points": p}, dates, st.integers(300, 900)),
                                max_size=2)) if program == "du-heart" else []
    return {"program": program, "as_of": draw(as_of_dates), "student": student, "entries": entries,
            "redemptions": redemptions}


@SETTINGS
@given(students(), st.randoms(use_true_random=False))
def test_entry_order_never_changes_a_result(doc, rnd):
    shuffled = list(doc["entries"])
    rnd.shuffle(shuffled)
    assert evaluate({**doc, "entries": shuffled}) == evaluate(doc)


@SETTINGS
@given(students())
def test_points_are_never_negative_and_counted_means_positive(doc):
    r = evaluate(doc)
    assert r["total"] >= 0
    assert all(a["points"] >= 0 for a in r["areas"])
    for it in r["items"]:
        assert it["points"] >= 0
        assert (it["points"] > 0) == it["counted"], it
        assert it["reason"]


@SETTINGS
@given(students())
def test_no_cap_is_ever_exceeded(doc):
    r = evaluate(doc)
    by_area: dict[str, Decimal] = {}
    for it in r["items"]:
        by_area[it["area"]] = by_area.get(it["area"], Decimal(0)) + Decimal(str(it["points"]))
    for a in r["areas"]:
        assert Decimal(str(a["points"])) == by_area.get(a["area"], Decimal(0))
        if a["cap"] is not None:
            assert a["points"] <= a["cap"]
    assert r["total"] == sum(a["points"] for a in r["areas"])
    rs = load_program(doc["program"]).versions[None][0]
    if rs.max_total is not None:
        assert r["total"] <= rs.max_total
    if doc["program"] == "career-mileage":
        assert r["total"] <= 1000 and r["balance"] is None
    vol = [it for it in r["items"] if it["rule"] == "volunteer" and it["counted"]]
    assert all(it["points"] <= 40 for it in vol)


@SETTINGS
@given(students(program="du-heart"), entry_body())
def test_adding_an_approved_entry_never_lowers_a_du_heart_total(doc, extra):
    if extra["kind"] == "manual":
        extra = dict(extra, area="committee")
    before = evaluate(doc)["total"]
    after = evaluate({**doc, "entries": doc["entries"] + [{"id": "new", "status": "approved", **extra}]})["total"]
    assert after >= before


@SETTINGS
@given(students(program="career-mileage"), entry_body())
def test_adding_an_approved_entry_never_lowers_a_career_total(doc, extra):
    if extra["kind"] == "manual":
        extra = dict(extra, area="기타 경력")
    before = evaluate(doc)["total"]
    after = evaluate({**doc, "entries": doc["entries"] + [{"id": "new", "status": "approved", **extra}]})["total"]
    assert after >= before


@SETTINGS
@given(students())
def test_balance_is_total_minus_redemptions_up_to_as_of(doc):
    if doc["program"] != "du-heart":
        assert engine_evaluate(doc)["balance"] is None
        return
    redeemed = sum(x["points"] for x in doc["redemptions"] if x["date"] <= doc["as_of"])
    try:
        r = engine_evaluate(doc)
    except InputError as e:  # more redeemed than accrued: refused, naming the redemption
        assert e.field.startswith("redemptions[") and e.field.endswith("].points")
        assert redeemed > engine_evaluate({**doc, "redemptions": []})["total"]
        return
    assert r["balance"] == r["total"] - redeemed >= 0
