"""Benchmark the scoring engine: synthetic students, no database, one process (one core).

    python bench/engine.py                      # 10,000 students × 40 entries, every program
    python bench/engine.py --students 2000 --program du-heart --profile

Prints students per second per program: per core (students / CPU seconds of this single
process, which other load on the machine does not distort) and by the wall clock. The target
(issue 3) is at least 2,000 students/s per core for du-heart. Documents are generated before the clock starts; the timed part is
`evaluate(doc)` exactly as the portal and the CLI call it (input validation included).
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scoring.engine import available_programs, evaluate  # noqa: E402

TESTS = [("TOEIC", "score", 400, 990), ("TOEFL_IBT", "score", 40, 120), ("NEW_TEPS", "score", 200, 600),
         ("TOEIC_SPEAKING", "score", 60, 200), ("OPIC", "grade", ["IL", "IM1", "IM2", "IM3", "IH", "AL"]),
         ("JLPT", "grade", ["N1", "N2", "N3", "N4", "N5"]), ("JPT", "score", 300, 990),
         ("HSK", "grade", ["3", "4", "5", "6"]), ("CPT", "score", 300, 990), ("G_TELP", "score", 30, 99),
         ("IELTS", "score", 4, 9)]
CERTS = [("컴퓨터활용능력", "1급", "national_technical", "서비스1급"), ("컴퓨터활용능력", "2급", "national_technical", "서비스2급"),
         ("정보처리기사", "", "national_technical", "기사"), ("전기산업기사", "", "national_technical", "산업기사"),
         ("한식조리기능사", "", "national_technical", "기능사"), ("한국사능력검정시험", "1급", "private", None),
         ("한국사능력검정시험", "3급", "private", None), ("재경관리사", "", "national_accredited_private", None),
         ("바리스타", "2급", "private", None), ("세무사", "", "national_professional", None),
         ("GTQ", "2급", "national_accredited_private", None), ("CCNA", "", "private", None)]


def _date(rng: random.Random, y0=2021, y1=2025) -> str:
    return f"{rng.randint(y0, y1)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def make_entry(rng: random.Random, i: int) -> dict:
    kind = rng.choices(
        ["program", "language_test", "certificate", "award", "paper", "volunteer", "internship",
         "counseling", "overseas_study", "leadership", "activity"],
        weights=[30, 14, 14, 8, 5, 10, 4, 5, 3, 3, 4])[0]
    e = {"id": f"e{i}", "kind": kind, "date": _date(rng)}
    if rng.random() < 0.3:
        e["submitted_on"] = e["date"][:3] + str(min(int(e["date"][3]) + 1, 6)) + e["date"][4:]
    if rng.random() < 0.08:
        e["status"] = rng.choice(["submitted", "rejected"])
    if kind == "program":
        e.update(hours=rng.choice([1, 2, 3, 5, 8, 12, 20, 30, 45]), certified=rng.random() < 0.3,
                 category=rng.choice(["employment", "startup", "major", "learning", "other"]))
    elif kind == "language_test":
        t = rng.choice(TESTS)
        e["test"] = t[0]
        if t[1] == "grade":
            e["grade"] = rng.choice(t[2])
        else:
            e["score"] = rng.randint(t[2], t[3])
            if t[0] == "G_TELP":
                e["level"] = rng.randint(1, 3)
    elif kind == "certificate":
        name, grade, cat, tier = rng.choice(CERTS)
        e.update(name=name, grade=grade, category=cat)
        if tier:
            e["tier"] = tier
    elif kind == "award":
        e.update(scale=rng.choice(["international", "national_1", "national_2", "campus", "department"]),
                 place=rng.randint(1, 5), team_size=rng.randint(1, 6))
        if rng.random() < 0.3:
            e["work_id"] = f"w{rng.randint(1, 3)}"
    elif kind == "paper":
        e.update(venue=rng.choice(["intl_indexed", "kci", "kci_candidate", "domestic_conference"]),
                 role=rng.choice(["first", "coauthor"]), authors=rng.randint(1, 6),
                 fee_funded_by_school=rng.random() < 0.2)
    elif kind == "volunteer":
        e.update(hours=rng.randint(1, 40), verified_by=rng.choice(["1365", "vms", "other"]))
    elif kind == "internship":
        e.update(start=e["date"], end=e["date"][:8] + "28")
    elif kind == "counseling":
        e["type"] = rng.choice(["mentor", "employment", "international"])
    elif kind == "overseas_study":
        e.update(type=rng.choice(["exchange", "language_training"]), start=e["date"], end=e["date"][:8] + "28")
    elif kind == "leadership":
        e.update(organization="club", role=rng.choice(["president", "officer", "member"]), semesters=rng.randint(1, 4))
    elif kind == "activity":
        e.update(type=rng.choice(["capstone_entry", "seminar_attendance"]), count=rng.randint(1, 3))
    return e


def make_students(program: str, n: int, entries: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    docs = []
    for s in range(n):
        docs.append({
            "program": program,
            "as_of": "2025-12-31",
            "student": {"student_no": f"{2021000000 + s}", "admission_year": 2021, "gpa": round(rng.uniform(2, 4.5), 2),
                        "semesters_completed": rng.randint(1, 8), "flags": {"leave_2021": rng.random() < 0.05}},
            "entries": [make_entry(rng, i) for i in range(entries)],
            "redemptions": [{"date": "2023-02-10", "points": 300}] if program == "du-heart" else [],
            # as the portal sends it (scoring/inputs.py): a balance below zero is a clawback, not an error
            **({"allow_clawback": True} if program == "du-heart" else {}),
        })
    return docs


def bench(program: str, docs: list[dict]) -> tuple[float, float]:
    """(students per wall-clock second, students per CPU second of this process)."""
    evaluate(docs[0])  # load and cache the rule set outside the clock
    w0, c0 = time.perf_counter(), time.process_time()
    for d in docs:
        evaluate(d)
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    return len(docs) / wall, len(docs) / cpu


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=10_000)
    ap.add_argument("--entries", type=int, default=40)
    ap.add_argument("--program", action="append", help="a program (repeatable); default: every one")
    ap.add_argument("--profile", action="store_true", help="print the top of a cProfile run")
    args = ap.parse_args(argv)
    programs = args.program or [p for p in available_programs()
                                if p in ("du-heart", "career-mileage")] or available_programs()
    for program in programs:
        docs = make_students(program, args.students, args.entries)
        if args.profile:
            prof = cProfile.Profile()
            prof.enable()
            wall, cpu = bench(program, docs)
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(18)
        else:
            wall, cpu = bench(program, docs)
        print(f"{program}: {args.students} students × {args.entries} entries: "
              f"{cpu:,.0f} students/s per core (CPU time), {wall:,.0f} students/s wall clock")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
