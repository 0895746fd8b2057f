"""Every Hankyong major's texts read in Korean: no rule-file text a student can be shown in a
Korean result is English only (`{en, ko}` where the English has words; see FORMAT.md, "Reasons in
Korean"), and the major's own rule cases come out in Korean without English words."""
from __future__ import annotations

import re

import pytest
import yaml

from scoring.engine import DEFAULT_RULES_DIR, evaluate
from scoring.engine.cases import iter_cases
from scoring.engine.phrases import split_measure
from scoring.tests.test_reasons_ko import CODES, english_words

FOLDER = DEFAULT_RULES_DIR / "hankyong-grad-cert"
FILES = sorted(p.relative_to(FOLDER).as_posix() for p in [FOLDER / "common.yaml", *(FOLDER / "majors").glob("*.yaml")])
TEXT_KEYS = {"label", "reason", "none", "detail", "title"}
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_WORD = re.compile(r"[A-Za-z]{3,}")
CASES = [c for c in iter_cases(DEFAULT_RULES_DIR) if "output" in c and c["input"].get("program") == "hankyong-grad-cert"]


def _texts(node, path=""):
    """(path, text) of every rule-file text given in one language only."""
    if isinstance(node, dict):
        for k, v in node.items():
            here = f"{path}.{k}" if path else str(k)
            if k in TEXT_KEYS and isinstance(v, str):
                yield here, v
            elif not (k in TEXT_KEYS and isinstance(v, dict) and "ko" in v):
                yield from _texts(v, here)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _texts(v, f"{path}[{i}]")


def english_only(text: str) -> list[str]:
    bare, _unit = split_measure(_PLACEHOLDER.sub("", text).strip())
    return [w for w in _WORD.findall(bare) if w not in CODES]


@pytest.mark.parametrize("name", FILES)
def test_every_text_of_the_file_has_korean(name):
    doc = yaml.safe_load((FOLDER / name).read_text(encoding="utf-8"))
    missing = [f"{path}: {text}" for path, text in _texts(doc) if english_only(text)]
    assert not missing, f"{len(missing)} texts without ko:\n" + "\n".join(missing[:40])


@pytest.mark.parametrize("name", [f for f in FILES if f.startswith("majors/")])
def test_the_majors_cases_read_in_korean(name):
    path = FOLDER / name
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    while "key" not in (doc.get("meta") or {}):  # a dated version inherits its major's key
        path = path.parent / doc["extends"]
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    key = str(doc["meta"]["key"])
    for case in CASES:
        if str((case["input"].get("student") or {}).get("major")) != key:
            continue
        ko = evaluate({**case["input"], "lang": "ko"})
        for text in [i["reason"] for i in ko["items"]] + [q.get("detail") or "" for q in ko["requirements"]]:
            assert not english_words(text, case["input"]), f"{case['name']}: {text}"
