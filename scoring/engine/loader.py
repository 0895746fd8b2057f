"""Find, parse, validate and cache rule sets under `rules/<program>/`.

A program folder holds one or more rule files (`*.yaml`, any depth, except `tests/`), each
one dated version of one rule set (`meta.effective_from`, optional `meta.effective_to`,
optional `meta.key` when the program has several rule sets, e.g. one per major), and
optionally `program.yaml`:

    program: hankyong-grad-cert
    select:
      key: student.major            # which rule set: the files' meta.key
      field: student.major          # named in the error for an unknown key
      label: major                  # "student.major: unknown major '99-9'"
      date: student.expected_graduation   # which date picks the version (default as_of)

A file may start from another with `extends: other.yaml` (deep merge of mappings; lists and
values of the child replace the parent's), so a new version states only what changed.
A base that is not a rule set itself says `meta.abstract: true` (not inherited). A top-level
list of a base may hold one marker `{slot: name}`: a child's list of that key goes there
instead of replacing the base's list (common rules before and after each major's own).

Programs are loaded once per (rules_dir, program) and kept; `clear_cache()` forgets them.
"""
from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import yaml

from . import schema as S
from .errors import ExpressionError, InputError, RuleSetError
from .evaluator import CONTEXT_FUNCTIONS
from .expressions import compile_expression
from .inputs import Case
from .ruleset import RuleSet, compile_ruleset

DEFAULT_RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
_PROGRAM_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML that refuses duplicate keys (PyYAML would silently keep the last one)."""


def _construct_mapping(loader, node, deep=False):
    # duplicates among the keys written here; keys brought in by `<<: *anchor` may be overridden
    seen = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            continue
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen[key] = True
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path, display: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise RuleSetError(display, "(file)", f"cannot read: {e.strerror}") from None
    except UnicodeDecodeError:
        raise RuleSetError(display, "(file)", "not UTF-8 text") from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        problem = getattr(e, "problem", None) or str(e)
        raise RuleSetError(display, where, f"invalid YAML: {problem}") from None


def _merge(base: Any, child: Any) -> Any:
    if isinstance(base, dict) and isinstance(child, dict):
        out = dict(base)
        for k, v in child.items():
            out[k] = _merge(base[k], v) if k in base else v
        return out
    return child


def _is_slot(x: Any) -> bool:
    return isinstance(x, dict) and "slot" in x and set(x) <= {"slot", "note", "_fill"}


def _fill_slot(base: Any, child: Any) -> Any:
    """A child's top-level list goes into the base list's `{slot}` marker (kept for grandchildren:
    a grandchild's list replaces the child's fill); without a marker the child's list replaces."""
    if isinstance(base, list) and isinstance(child, list):
        marks = [i for i, x in enumerate(base) if _is_slot(x)]
        if marks:
            out = list(base)
            out[marks[0]] = {**base[marks[0]], "_fill": child}
            return out
    return None


def _expand_slots(doc: dict) -> dict:
    out = {}
    for k, v in doc.items():
        if isinstance(v, list) and any(_is_slot(x) for x in v):
            v = [y for x in v for y in (x.get("_fill", []) if _is_slot(x) else [x])]
        out[k] = v
    return out


class Program:
    """All versions of all rule sets of one program."""

    def __init__(self, name: str, folder: Path, display_root: str):
        self.name = name
        self.folder = folder
        self.display_root = display_root
        self.select_key = None
        self.select_field = "student.major"
        self.select_label = "rule set"
        self.select_date = None
        self.versions: dict[str | None, list[RuleSet]] = {}

    def pick(self, case: Case) -> tuple[RuleSet, bool]:
        """The rule set version for this case, and whether any version is in force."""
        ctx = {"student": case.student, "as_of": case.as_of, "entry": None}
        key = None
        if self.select_key is not None:
            k = self.select_key(ctx)
            if k is None:
                raise InputError(self.select_field, "required")
            key = str(k)
            if key not in self.versions:
                raise InputError(self.select_field, f"unknown {self.select_label} {key!r}")
        versions = self.versions[key]
        when = case.as_of
        if self.select_date is not None:
            when = self.select_date(ctx) or case.as_of
        chosen = None
        for rs in versions:  # sorted by effective_from
            if rs.effective_from <= when and (rs.effective_to is None or when <= rs.effective_to):
                chosen = rs
        if chosen is None:
            return versions[0], False
        return chosen, True


def _display(folder: Path, path: Path, root: str) -> str:
    return f"{root}/{path.relative_to(folder.parent).as_posix()}"


def _load_file(path: Path, folder: Path, root: str, stack: tuple = ()) -> dict:
    display = _display(folder, path, root)
    if path in stack:
        raise RuleSetError(display, "extends", "files extend each other in a circle")
    doc = read_yaml(path, display)
    if not isinstance(doc, dict):
        raise RuleSetError(display, "(file)", "expected a mapping at the top")
    parent = doc.get("extends")
    if parent is None:
        return doc
    if not isinstance(parent, str):
        raise RuleSetError(display, "extends", "expected a file name")
    ppath = (path.parent / parent).resolve()
    if not ppath.is_file() or folder.resolve() not in ppath.parents:
        raise RuleSetError(display, "extends", f"no rule file {parent!r} in this program's folder")
    base = _load_file(ppath, folder, root, stack + (path,))
    base = {k: v for k, v in base.items() if k != "extends"}
    if isinstance(base.get("meta"), dict):  # `abstract` marks the base file only
        base["meta"] = {k: v for k, v in base["meta"].items() if k != "abstract"}
    child = {k: v for k, v in doc.items() if k != "extends"}
    for k, v in child.items():
        filled = _fill_slot(base.get(k), v)
        if filled is not None:
            child[k] = filled
            base = {**base, k: filled}
    merged = _merge(base, child)
    return merged


def rule_files(folder: Path) -> list[Path]:
    files = []
    for p in sorted(folder.rglob("*")):
        if p.suffix not in (".yaml", ".yml") or not p.is_file():
            continue
        rel = p.relative_to(folder).parts
        if "tests" in rel[:-1] or p.name in ("program.yaml", "program.yml"):
            continue
        files.append(p)
    return files


def load_program_uncached(name: str, rules_dir: Path) -> Program:
    root = rules_dir.name
    folder = rules_dir / name
    if not _PROGRAM_NAME.match(name) or not folder.is_dir():
        raise InputError("program", f"unknown program {name!r}")
    files = rule_files(folder)
    if not files:
        raise InputError("program", f"unknown program {name!r}")
    prog = Program(name, folder, root)

    pfile = next((folder / n for n in ("program.yaml", "program.yml") if (folder / n).is_file()), None)
    if pfile is not None:
        display = _display(folder, pfile, root)
        pdoc = S.validate_program(read_yaml(pfile, display), display)
        if pdoc["program"] != name:
            raise RuleSetError(display, "program", f"expected {name!r} (the folder's name)")
        sel = pdoc.get("select") or {}
        for key, attr in (("key", "select_key"), ("date", "select_date")):
            if key in sel:
                try:
                    setattr(prog, attr, compile_expression(sel[key]))
                except ExpressionError as e:
                    raise RuleSetError(display, f"select.{key}", str(e)) from None
        prog.select_field = sel.get("field", sel.get("key", prog.select_field))
        prog.select_label = sel.get("label", prog.select_label)

    seen: dict[tuple, str] = {}
    for path in files:
        display = _display(folder, path, root)
        doc = _load_file(path, folder, root)
        if isinstance(doc.get("meta"), dict) and doc["meta"].get("abstract") is True:
            continue  # a base for `extends`, checked through the files that extend it
        doc = _expand_slots(doc)
        rs = compile_ruleset(doc, display, CONTEXT_FUNCTIONS)
        if rs.program != name:
            raise RuleSetError(display, "meta.program", f"expected {name!r} (the folder's name)")
        if prog.select_key is None and rs.key is not None:
            raise RuleSetError(display, "meta.key", "this program has no program.yaml `select.key`")
        if prog.select_key is not None and rs.key is None:
            raise RuleSetError(display, "meta.key", "required: program.yaml selects rule sets by key")
        ident = (rs.key, rs.effective_from)
        if ident in seen:
            raise RuleSetError(display, "meta.effective_from",
                               f"{seen[ident]} already starts on {rs.effective_from}")
        seen[ident] = display
        prog.versions.setdefault(rs.key, []).append(rs)
    if not prog.versions:
        raise InputError("program", f"unknown program {name!r}")
    for versions in prog.versions.values():
        versions.sort(key=lambda r: r.effective_from)
    return prog


_cache: dict[tuple[str, str], Program] = {}
_lock = threading.Lock()


def resolve_dir(rules_dir: Path | str | None) -> Path:
    return DEFAULT_RULES_DIR if rules_dir is None else Path(rules_dir)


def load_program(name: str, rules_dir: Path | str | None = None) -> Program:
    fast = (None if rules_dir is None else str(rules_dir), name)
    prog = _cache.get(fast)  # no filesystem call on the hot path
    if prog is not None:
        return prog
    d = resolve_dir(rules_dir)
    key = (str(d.resolve()), name)
    with _lock:
        prog = _cache.get(key)
        if prog is None:
            prog = load_program_uncached(name, d)
            _cache[key] = prog
        _cache[fast] = prog
    return prog


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def available_programs(rules_dir: Path | str | None = None) -> list[str]:
    d = resolve_dir(rules_dir)
    if not d.is_dir():
        return []
    return sorted(p.name for p in d.iterdir()
                  if p.is_dir() and _PROGRAM_NAME.match(p.name) and rule_files(p))
