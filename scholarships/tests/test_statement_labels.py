"""Issue 13 (h15): the DU-HEART statement's ledger reasons are the engine's reasons: an entry id
in them reads as the entry, a test code as the test's name (scoring.labels.readable_reason)."""
import datetime

import pytest

from careers.models import EntryStatus
from certification.tests.test_labels_and_planner import UUID, assert_no_codes, visible_text
from scholarships.models import LedgerEntry
from scoring.services import recompute_student
from tests.factories import entry

from .conftest import RECENT

pytestmark = pytest.mark.django_db


def test_the_statement_shows_the_entries_not_their_ids_or_codes(client, student):
    entry(student, status=EntryStatus.APPROVED, data={"test": "TOEIC", "score": 905}, date=RECENT)
    entry(student, status=EntryStatus.APPROVED, data={"test": "TOEFL_IBT", "score": 80},
          date=RECENT - datetime.timedelta(days=3))
    entry(student, status=EntryStatus.APPROVED, data={"test": "TOEIC", "score": 700},
          date=RECENT - datetime.timedelta(days=5))
    recompute_student(student_id=student.pk)
    reasons = list(LedgerEntry.objects.filter(student=student).values_list("reason", flat=True))
    assert reasons and any(UUID.search(r) or "TOEFL_IBT" in r for r in reasons), reasons  # codes to hide
    client.force_login(student.user)
    for lang in ("ko", "en"):
        client.cookies["django_language"] = lang
        body = client.get("/scholarships/me/").content.decode()
        assert_no_codes(body)
        assert "“TOEIC 700”" in visible_text(body)  # the upgrade's reason names the entry paid before


def test_the_scholarship_offices_pages_show_no_engine_codes(client, student, office):
    """The office's priority list and hiring search list the student with her language result."""
    entry(student, status=EntryStatus.APPROVED, data={"test": "TOEFL_IBT", "score": 100}, date=RECENT)
    recompute_student(student_id=student.pk)
    client.force_login(office)
    for lang in ("ko", "en"):
        client.cookies["django_language"] = lang
        for url in ("/scholarships/staff/priority/", "/scholarships/staff/hiring/", "/scholarships/staff/redemptions/",
                    "/scholarships/staff/windows/", "/notifications/"):
            response = client.get(url)
            assert response.status_code == 200, url
            try:
                assert_no_codes(response.content.decode())
            except AssertionError as error:
                raise AssertionError(f"{url} ({lang}): {error}") from error
    client.cookies["django_language"] = "ko"
    assert student.name in visible_text(client.get("/scholarships/staff/priority/").content.decode())
