"""The evaluation contract from outside: `manage.py evaluate` and POST /api/v1/evaluate/."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def run_evaluate(*args):
    return subprocess.run([sys.executable, "manage.py", "evaluate", *args], cwd=ROOT, capture_output=True, text=True,
                          env={"DJANGO_SETTINGS_MODULE": "mileage_portal.settings.dev", "PATH": "/usr/bin:/bin"})


def du_heart_case(**changes):
    doc = {
        "program": "du-heart", "as_of": "2022-06-01",
        "student": {"student_no": "2021000001", "campus": "anseong", "major": "x", "admission_year": 2021,
                    "admission_type": "freshman", "semesters_completed": 2, "flags": {}},
        "entries": [{"id": "e1", "kind": "language_test", "test": "TOEIC", "score": 705, "date": "2022-03-10"}],
        "redemptions": [],
    }
    doc.update(changes)
    return doc


def test_malformed_input_exits_2_with_one_line_naming_the_field(tmp_path):
    bad = tmp_path / "bad.json"
    doc = du_heart_case()
    doc["entries"][0]["score"] = "lots"
    bad.write_text(json.dumps(doc))
    result = run_evaluate("--input", str(bad))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("entries[0].score")


def test_unknown_program_and_kind_are_errors(tmp_path):
    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps(du_heart_case(program="astrology")))
    result = run_evaluate("--input", str(unknown))
    assert result.returncode == 2 and result.stderr.startswith("program")
    kind = tmp_path / "kind.json"
    kind.write_text(json.dumps(du_heart_case(entries=[{"id": "x", "kind": "telepathy", "date": "2022-01-01"}])))
    result = run_evaluate("--input", str(kind))
    assert result.returncode == 2 and result.stderr.startswith("entries[0].kind")


def test_not_json_is_an_error(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json")
    result = run_evaluate("--input", str(broken))
    assert result.returncode == 2 and "JSON" in result.stderr
    assert run_evaluate("--input", str(tmp_path / "missing.json")).returncode == 2


def test_a_folder_of_cases_goes_to_an_output_folder(tmp_path):
    cases, out = tmp_path / "cases", tmp_path / "out"
    cases.mkdir()
    (cases / "a.json").write_text(json.dumps(du_heart_case()))
    (cases / "b.json").write_text(json.dumps(du_heart_case(entries=[])))
    result = run_evaluate("--input", str(cases), "--output", str(out))
    assert result.returncode == 0, result.stderr
    a = json.loads((out / "a.json").read_text())
    b = json.loads((out / "b.json").read_text())
    assert a["program"] == "du-heart" and a["total"] == 300 and a["balance"] == 300
    assert b["total"] == 0
    assert [i["entry_id"] for i in a["items"]] == ["e1"]


@pytest.mark.django_db
def test_the_api_answers_the_contract(client):
    from tests.factories import StudentFactory

    client.force_login(StudentFactory().user)
    ok = client.post("/api/v1/evaluate/", du_heart_case(), content_type="application/json")
    assert ok.status_code == 200 and ok.json()["total"] == 300
    doc = du_heart_case()
    doc["entries"][0]["score"] = "lots"
    bad = client.post("/api/v1/evaluate/", doc, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "entries[0].score"
    client.logout()
    assert client.post("/api/v1/evaluate/", du_heart_case(), content_type="application/json").status_code in (401, 403)
