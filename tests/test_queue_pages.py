"""The approval queue shows 100 entries a page (bench/load.py measured 500 rendered rows at ~1 s a page)."""
import pytest

from careers.models import CareerEntry, EntryStatus
from tests.factories import StudentFactory, staff_user

pytestmark = pytest.mark.django_db


def test_the_queue_pages_by_100_and_keeps_the_filter(client):
    student = StudentFactory()
    CareerEntry.objects.bulk_create([
        CareerEntry(student=student, kind="language_test", data={"test": "TOEIC", "score": 700 + n}, date="2024-03-10",
                    status=EntryStatus.SUBMITTED, created_by=student.user) for n in range(130)])
    client.force_login(staff_user(department=student.major.department))
    first = client.get("/staff/queue/", {"kind": "language_test"}).content.decode()
    assert first.count('name="entry"') == 100 and "전체 130건 중 1–100" in first
    assert 'href="?kind=language_test&amp;page=2" rel="next"' in first
    second = client.get("/staff/queue/", {"kind": "language_test", "page": 2}).content.decode()
    assert second.count('name="entry"') == 30 and "전체 130건 중 101–130" in second
    assert client.get("/staff/queue/", {"page": "abc"}).status_code == 200  # a bad page is the first
