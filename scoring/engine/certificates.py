"""The certificate catalogue: official names, spelling variants, category, tier, grades, field.

The data is `catalogue/certificates.yaml` (sources and how to extend it: catalogue/README.md).
The engine normalises every certificate entry through it before any rule sees the entry
(`normalise_entry`, called from inputs.py), so that facts a student would otherwise type come
from the name:

- `name` becomes the official name ('컴활' → '컴퓨터활용능력', 'MOS(MASTER)' → 'MOS Master',
  '국내FRM' → '재무위험관리사'); a grade written into the name moves to `grade`
  ('컴퓨터활용능력 1급' → '컴퓨터활용능력' + '1급');
- `grade` takes the catalogue's spelling ('심화 1급' → '1급', ITQ 'A등급' → 'A');
- `category` and `tier` come from the catalogue when it knows them, whatever the entry says
  (the catalogue wins: 전기기사 is national technical, tier 기사, also when typed otherwise);
  a name the catalogue does not know keeps the entry's own fields;
- `field` is the family a "same field, higher grade pays the difference" rule compares
  (정보처리기능사, 정보처리산업기사 and 정보처리기사 share the field 정보처리);
- `name_as_entered` keeps the spelling the student typed when it differs.

`canon_key` gives the same canonical key for a name in a rule file's table, so a table that
prints '한국사검정능력시험 1급' or '노무사' matches an entry of '한국사능력검정시험' 1급 or
'공인노무사' (expressions.listed and primitives.Named use it).

Pure Python; no Django.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

from .expressions import cert_key, norm

CATALOGUE_PATH = Path(__file__).resolve().parent / "catalogue" / "certificates.yaml"

CATEGORIES = ("national_professional", "national_technical", "national_accredited_private", "private")
# Longest first: 산업기사 ends in 기사.
TECHNICAL_SUFFIXES = ("기술사", "기능장", "산업기사", "기능사", "기사")
TIERS = ("기술사", "기능장", "기사", "산업기사", "기능사", "서비스1급", "서비스2급")
# 서비스 분야: the grade gives the tier (seed 002 "기사, 서비스 분야 1급 400 / 산업기사, 서비스 분야 2급 200").
SERVICE_TIERS = {"1급": "서비스1급", "2급": "서비스2급"}

_NUMERIC_GRADE = re.compile(r"^(\d+)급$")
_SPACES = re.compile(r"\s+")


class Record:
    """One catalogue certificate."""

    __slots__ = ("name", "category", "tier", "grades", "grade_index", "grade_exact", "field", "aliases", "issuer",
                 "grade_tiers")

    def __init__(self, name, category=None, tier=None, grades=(), variants=None, field=None, aliases=(),
                 issuer=None, grade_tiers=True):
        self.name = name
        self.grade_tiers = grade_tiers
        self.category = category
        self.tier = tier
        self.issuer = issuer
        self.grades = tuple(grades)
        self.field = field or name
        self.aliases = tuple(aliases)
        index = {}
        for g in self.grades:
            keys = {norm(g)}
            m = _NUMERIC_GRADE.match(g)
            if m:
                keys.add(m.group(1))
            elif len(g) == 1 and g.isalpha():
                keys.update({norm(g) + "급", norm(g) + "등급"})
            for v in (variants or {}).get(g, ()):
                keys.add(norm(v))
            for k in keys:
                index.setdefault(k, g)
        self.grade_index = index
        # '2+급' and '2-급' (KBS한국어능력시험) differ only in what norm() strips
        self.grade_exact = {_SPACES.sub("", g).casefold(): g for g in self.grades}

    def grade(self, raw: Any) -> str | None:
        """The catalogue's spelling of a grade of this certificate, or None when it has no such grade."""
        if raw is None:
            return None
        exact = self.grade_exact.get(_SPACES.sub("", str(raw)).casefold())
        if exact is not None:
            return exact
        return self.grade_index.get(norm(raw))

    def tier_for(self, grade: str | None) -> str | None:
        if self.category != "national_technical":
            return None
        if self.tier:
            return self.tier
        return SERVICE_TIERS.get(grade) if grade and self.grade_tiers else None

    def as_dict(self) -> dict:
        return {"name": self.name, "category": self.category, "tier": self.tier, "issuer": self.issuer,
                "grades": list(self.grades), "field": self.field, "aliases": list(self.aliases)}


class CatalogueError(ValueError):
    pass


class Catalogue:
    def __init__(self, data: dict):
        self.meta = data.get("meta") or {}
        self.records: list[Record] = []
        self.index: dict[str, Record] = {}
        self.stems: dict[str, str] = {}  # norm(stem) → stem of a national technical family
        families = data.get("national_technical_families") or {}
        extra_names = data.get("national_technical_names") or {}
        self.default_issuer = data.get("national_technical_issuer")
        self.issuers: dict[str, str] = {}  # stem → who runs it, when not the default
        for issuer, stems in (data.get("national_technical_issuers") or {}).items():
            for stem in stems:
                if stem not in families:
                    raise CatalogueError(f"national_technical_issuers.{issuer}: unknown stem {stem!r}")
                self.issuers[stem] = issuer
        for stem, tiers in families.items():
            stem = str(stem)
            self.stems[norm(stem)] = stem
            for tier in tiers:
                if tier not in TECHNICAL_SUFFIXES:
                    raise CatalogueError(f"national_technical_families.{stem}: unknown tier {tier!r}")
                name = stem + tier
                self._add(Record(name, "national_technical", tier, field=stem,
                                 aliases=extra_names.get(name, ()), issuer=self.stem_issuer(stem)))
        for i, raw in enumerate(data.get("certificates") or ()):
            where = f"certificates[{i}]"
            name = raw.get("name")
            if not isinstance(name, str) or not name:
                raise CatalogueError(f"{where}.name: required")
            category = raw.get("category")
            if category is not None and category not in CATEGORIES:
                raise CatalogueError(f"{where}.category: expected one of {', '.join(CATEGORIES)}")
            tier = raw.get("tier")
            if tier is not None and tier not in TIERS:
                raise CatalogueError(f"{where}.tier: expected one of {', '.join(TIERS)}")
            grades = raw.get("grades") or ()
            variants = None
            if isinstance(grades, dict):
                variants = {str(g): [str(v) for v in (vs or ())] for g, vs in grades.items()}
                grades = list(variants)
            grades = [str(g) for g in grades]
            issuer = raw.get("issuer") or (self.default_issuer if category == "national_technical" else None)
            self._add(Record(name, category, tier, grades, variants, raw.get("field"),
                             [str(a) for a in raw.get("aliases") or ()], issuer,
                             raw.get("grade_tiers", True) is not False))

    def stem_issuer(self, stem: str) -> str | None:
        return self.issuers.get(stem, self.default_issuer)

    def _add(self, rec: Record) -> None:
        self.records.append(rec)
        for spelling in (rec.name, *rec.aliases):
            k = norm(spelling)
            other = self.index.get(k)
            if other is not None and other is not rec:
                raise CatalogueError(f"{spelling!r} names both {other.name!r} and {rec.name!r}")
            self.index[k] = rec

    # ------------------------------------------------------------------ lookups
    @functools.lru_cache(maxsize=8192)
    def lookup(self, name: str, grade: str | None = None) -> tuple[Record, str | None, bool] | None:
        """(record, canonical grade or None, grade consumed) for a name and grade as typed.

        `grade consumed` is True when the grade turned out to be part of the name
        ('MOS' + 'Master' → 'MOS Master'). None when the catalogue does not know the name.
        """
        n = norm(name)
        if not n:
            return None
        g = norm(grade) if grade not in (None, "") else ""
        if g:
            rec = self.index.get(n + g)
            if rec is not None:
                return rec, None, True
        rec = self.index.get(n)
        if rec is not None:
            return rec, (rec.grade(grade) if g else None), False
        # a grade written into the name: the longest known name the rest is a grade of
        for cut in range(len(n) - 1, 0, -1):
            rec = self.index.get(n[:cut])
            if rec is not None:
                embedded = rec.grade(n[cut:])
                if embedded is not None:
                    return rec, (rec.grade(grade) if g else embedded), False
        # a Q-Net name of a known stem with a tier the list does not print
        for suffix in TECHNICAL_SUFFIXES:
            if n.endswith(suffix):
                stem = self.stems.get(n[: -len(suffix)])
                if stem is not None:
                    rec = Record(stem + suffix, "national_technical", suffix, field=stem,
                                 issuer=self.stem_issuer(stem))
                    return rec, None, False
                break
        return None

    def names(self) -> list[str]:
        return [r.name for r in self.records]


@functools.lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    with open(CATALOGUE_PATH, encoding="utf-8") as f:
        return Catalogue(yaml.safe_load(f) or {})


def lookup(name: Any, grade: Any = None):
    """See Catalogue.lookup; accepts any value (non-strings are not certificate names)."""
    if not isinstance(name, str):
        return None
    if grade is not None and not isinstance(grade, str):
        grade = str(grade)
    return catalogue().lookup(name, grade or None)


@functools.lru_cache(maxsize=8192)
def _canon_key(s: str) -> str:
    hit = catalogue().lookup(s, None)
    if hit is None:
        return norm(s)
    rec, grade, _ = hit
    return cert_key(rec.name, grade)


@functools.lru_cache(maxsize=8192)
def _wider_keys(s: str) -> tuple[str, ...]:
    hit = catalogue().lookup(s, None)
    if hit is None:
        return ()
    return (norm(hit[0].name), norm(hit[0].field))


def wider_keys(s: Any) -> tuple[str, ...]:
    """Keys under which a table lists a name beyond its own: the catalogue name without the
    grade ('MOS Excel' for 'MOS Excel Core': a table that prints a name without a grade lists
    each grade of it) and the field ('MOS': a table that prints a family lists each
    certificate of it). () for a name the catalogue does not know."""
    if s is None:
        return ()
    return _wider_keys(s if type(s) is str else str(s))


def canon_key(s: Any) -> str:
    """A name (with or without its grade) as the normalised key of its catalogue name and grade;
    `norm(s)` for anything the catalogue does not know."""
    if s is None:
        return ""
    return _canon_key(s if type(s) is str else str(s))


def normalise_entry(n: dict) -> None:
    """Rewrite a validated certificate entry in place (see the module docstring)."""
    name = n.get("name")
    grade = n.get("grade")
    hit = lookup(name, grade)
    # `field` and `issuer` are the catalogue's to give: typed ones never group or qualify entries
    n.pop("field", None)
    n.pop("issuer", None)
    if hit is None:
        return
    rec, canon_grade, consumed = hit
    if rec.name != name:
        n["name_as_entered"] = name if grade in (None, "") else f"{name} {grade}"
        n["name"] = rec.name
    if consumed:
        n.pop("grade", None)
    elif canon_grade is not None:
        n["grade"] = canon_grade
    if rec.category is not None:
        n["category"] = rec.category
        if rec.category != "national_technical":
            n.pop("tier", None)
    tier = rec.tier_for(n.get("grade"))
    if tier is not None:
        n["tier"] = tier
    n["field"] = rec.field
    if rec.issuer is not None:
        n["issuer"] = rec.issuer
    n["catalogued"] = True


def spellings(name: Any) -> list[str]:
    """Every spelling of a typed name the catalogue knows (official name first, then its
    aliases), else just the name: for searches over names as students typed them."""
    hit = lookup(name)
    if hit is None:
        return [name] if isinstance(name, str) and name else []
    rec = hit[0]
    return [rec.name, *rec.aliases]


def describe(name: Any, grade: Any = None) -> dict | None:
    """What the catalogue says of a typed name: {name, grade, category, tier, field}; None if unknown.
    (For forms that fill category and tier from the name.)"""
    hit = lookup(name, grade)
    if hit is None:
        return None
    rec, canon_grade, consumed = hit
    g = None if consumed else (canon_grade if canon_grade is not None else (grade or None))
    return {"name": rec.name, "grade": g, "category": rec.category, "tier": rec.tier_for(g),
            "issuer": rec.issuer, "field": rec.field, "grades": list(rec.grades)}
