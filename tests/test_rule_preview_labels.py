"""Issue 13 (h15): the rule preview (an administrator's page) reads in words apart from what the
rule editor wrote: test case names and their files, and the engine's mismatch shown as code."""
import re

import pytest

from certification.tests.test_labels_and_planner import visible_text, DOTTED, SNAKE, UPPER_CODE, UUID
from scoring import rulesets
from tests.test_rule_publishing import admin, daegu, raised_toeic_text  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_preview_page_shows_no_engine_codes_outside_the_editors_code(client, admin, daegu):  # noqa: F811
    rev = rulesets.save_draft(actor=admin, program="du-heart", path="rules.yaml", text=raised_toeic_text(), note="")
    rulesets.request_preview(actor=admin, revision=rev)
    client.force_login(admin)
    # the preview as the page polls it (the file's text and names around it are the editor's own)
    body = client.get(f"/rules/revisions/{rev.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="preview-counts"' in body and 'id="preview-cases"' in body
    # What the rule editor wrote is shown as written: the test cases' names (rules/*/tests) and
    # files, and the engine's mismatch as code. Everything the portal says around them is words.
    body = re.sub(r'(?s)<ul id="preview-cases">.*?</ul>', " ", body)
    body = re.sub(r"(?s)<code>.*?</code>", " ", body)
    text = visible_text(body)
    for pattern in (DOTTED, SNAKE, UPPER_CODE, UUID):
        assert not pattern.findall(text), (pattern.pattern, pattern.findall(text)[:5])
