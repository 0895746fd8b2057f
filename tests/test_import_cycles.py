"""Data flows one way (docs: style.md "The shape of the house"): careers → scoring → scholarships.
An app never imports the apps that read it, not even inside a function; it announces through a
signal or a small registry (careers/signals.py, careers/extensions.py, scoring/signals.py).

Read with `ast`, so an import hidden inside a function counts as much as one at the top.
"""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The demo seeder builds every app's data in one go (advising, certification, programs, scoring).
ORCHESTRATORS = {"careers/management/commands/seed_demo.py"}


def _imports(app):
    """(file, imported module) for every import in the app's own code (tests and migrations aside)."""
    for path in sorted((ROOT / app).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in rel or "/migrations/" in rel or rel in ORCHESTRATORS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                yield from ((rel, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield rel, node.module


def _offending(app, forbidden, allowed=()):
    return [(f, m) for f, m in _imports(app)
            if any(m == p or m.startswith(p + ".") for p in forbidden)
            and not any(m == a or m.startswith(a + ".") for a in allowed)]


def test_scoring_never_imports_scholarships():
    assert _offending("scoring", ["scholarships"]) == []


def test_careers_never_imports_scoring_beyond_the_pure_engine():
    # careers' kinds use the engine's tables (scales, certificate catalogue): a Django-free library
    assert _offending("careers", ["scoring", "scholarships", "certification"], allowed=["scoring.engine"]) == []


def test_the_engine_imports_no_django_and_no_app():
    apps = ["django", "careers", "scholarships", "certification", "accounts", "programs", "advising", "reports"]
    assert [(f, m) for f, m in _imports("scoring/engine") if m.split(".")[0] in apps] == []


def test_the_detector_sees_an_import_inside_a_function(tmp_path, monkeypatch):
    (tmp_path / "fake").mkdir()
    (tmp_path / "fake" / "m.py").write_text("def f():\n    from scholarships.services import x\n")
    import sys

    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _offending("fake", ["scholarships"]) == [("fake/m.py", "scholarships.services")]


def test_code_cites_the_contract_kept_in_this_repository():
    """The evaluation contract is docs/evaluate.md; nothing points outside the repository for it."""
    assert (ROOT / "docs" / "evaluate.md").read_text(encoding="utf-8").startswith("# The evaluation contract")
    outside = [p.relative_to(ROOT).as_posix() for pattern in ("*.py", "*.md", "*.html")
               for p in ROOT.rglob(pattern)
               if ".venv" not in p.parts and "node_modules" not in p.parts and p.name != "test_import_cycles.py"
               and "shared/contract" in p.read_text(encoding="utf-8", errors="ignore")]
    assert outside == []
