"""The engine is pure Python: importing and running it loads no Django module."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1] / "engine"
REPO = ENGINE.parents[1]


def test_no_module_of_the_engine_imports_django():
    for py in ENGINE.glob("*.py"):
        tree = ast.parse(py.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] in ("django", "rest_framework", "celery") for n in names), py.name


def test_evaluating_in_a_fresh_interpreter_loads_no_django():
    code = (
        "import sys, json\n"
        "from scoring.engine import evaluate\n"
        "r = evaluate({'program': 'du-heart', 'as_of': '2024-01-01', 'entries': ["
        "{'id': 'e', 'kind': 'language_test', 'test': 'TOEIC', 'score': 905, 'date': '2023-01-01'}]})\n"
        "assert r['total'] == 500, r\n"
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "print(json.dumps(bad))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stderr
