"""`lang` (an addition to the contract) passes through `manage.py evaluate` and the API unchanged."""
import json

import pytest

from tests.test_evaluate_contract import du_heart_case, run_evaluate


def test_the_command_evaluates_in_korean_and_refuses_an_unknown_language(tmp_path):
    ko = tmp_path / "ko.json"
    ko.write_text(json.dumps(du_heart_case(lang="ko")))
    result = run_evaluate("--input", str(ko))
    assert result.returncode == 0, result.stderr
    [item] = json.loads(result.stdout)["items"]
    assert item["reason"] == "TOEIC 705 (700 이상) → 300점"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(du_heart_case(lang="fr")))
    result = run_evaluate("--input", str(bad))
    assert result.returncode == 2 and result.stderr.strip() == 'lang: expected "en" or "ko"'


@pytest.mark.django_db
def test_the_api_evaluates_in_korean(client):
    from tests.factories import StudentFactory

    client.force_login(StudentFactory().user)
    ok = client.post("/api/v1/evaluate/", du_heart_case(lang="ko"), content_type="application/json")
    assert ok.status_code == 200 and ok.json()["items"][0]["reason"] == "TOEIC 705 (700 이상) → 300점"
    en = client.post("/api/v1/evaluate/", du_heart_case(), content_type="application/json")
    assert en.json()["items"][0]["reason"] == "TOEIC 705 (≥ 700) → 300"
    bad = client.post("/api/v1/evaluate/", du_heart_case(lang="kr"), content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "lang"
