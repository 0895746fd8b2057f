"""Issue 10 §3: a TEPS dated from round 248 (2018-05-12) on is the New TEPS (600 points); the form
refuses a higher score with the reason on the score field, as the engine does."""
from __future__ import annotations

from careers.tests.test_kinds import errors_for


def test_a_2019_teps_above_600_is_refused_on_the_score_field():
    errors = errors_for("language_test", test="TEPS", score="800", date="2019-06-01")
    assert "248회" in errors["score"][0]  # Korean UI by default


def test_an_old_teps_of_2017_keeps_the_990_scale_and_a_2019_teps_of_450_is_fine():
    assert errors_for("language_test", test="TEPS", score="800", date="2017-06-01") == {}
    assert errors_for("language_test", test="TEPS", score="450", date="2019-06-01") == {}
