"""The three pages issue 12 puts under load cost the same number of queries whatever the number of
entries (bench/load.py, bench/README.md), and the dashboard's cached entry tables never show a
stale value. The render counts are taken with the page cache off (what a changed page costs);
tests/test_page_cache.py covers a page served from it."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careers.models import CareerEntry, EntryStatus, Evidence
from scoring.services import recompute_student
from tests.factories import StudentFactory, staff_user, write_intro

pytestmark = pytest.mark.django_db


def _entries(student, n, *, status=EntryStatus.APPROVED, files=1):
    made = CareerEntry.objects.bulk_create([
        CareerEntry(student=student, kind="language_test", data={"test": "TOEIC", "score": 500 + i},
                    date=datetime.date(2024, 1, 1) + datetime.timedelta(days=i), status=status,
                    submitted_on=datetime.date(2024, 6, 1), created_by=student.user)
        for i in range(n)
    ])
    Evidence.objects.bulk_create([
        Evidence(entry=e, file=f"evidence/{e.pk}-{k}.pdf", original_name=f"toeic-{k}.pdf",
                 content_type="application/pdf", size=1000, sha256="0" * 64, uploaded_by=student.user)
        for e in made for k in range(files)
    ])
    return made


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _dashboard(client, n):
    student = StudentFactory()
    write_intro(student)
    _entries(student, n)
    recompute_student(student_id=student.pk)
    client.force_login(student.user)
    client.get("/me/")  # a first request fills what is cached per process (menu, rules)
    return _queries(client, "/me/")


def test_the_dashboard_costs_the_same_queries_for_5_and_60_entries(client, django_assert_max_num_queries, settings):
    settings.PAGE_CACHE = False
    few, body_few = _dashboard(client, 5)
    many, body_many = _dashboard(client, 60)
    assert body_few.count('href="/entries/') == 5 and body_many.count('href="/entries/') == 60
    assert body_many.count('<td data-label="증빙서류">1개</td>') == 60  # the evidence count of every row
    assert many == few
    with django_assert_max_num_queries(20):
        client.get("/me/")


@pytest.mark.parametrize("page_cache", [True, False])
def test_the_dashboards_cached_rows_follow_every_change(client, settings, page_cache):
    settings.PAGE_CACHE = page_cache
    student = StudentFactory()
    write_intro(student)
    first, second = _entries(student, 2)
    recompute_student(student_id=student.pk)
    client.force_login(student.user)
    assert client.get("/me/").content.decode().count('<span class="badge status-approved">승인</span>') == 2  # cached
    # a change that bypasses the model (no updated_at, no signal) still shows at once
    CareerEntry.objects.filter(pk=first.pk).update(status=EntryStatus.REJECTED)
    body = client.get("/me/").content.decode()
    assert body.count('<span class="badge status-rejected">반려</span>') == 1
    Evidence.objects.create(entry=second, file="evidence/x.pdf", original_name="x.pdf", content_type="application/pdf",
                            size=1, sha256="1" * 64, uploaded_by=student.user)
    assert '<td data-label="증빙서류">2개</td>' in client.get("/me/").content.decode()
    CareerEntry.objects.filter(pk=second.pk).update(data={"test": "TOEIC", "score": 955})
    assert "955" in client.get("/me/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/me/"})
    assert '<span class="badge status-rejected">Rejected</span>' in client.get("/me/").content.decode()


def _queue(client, n):
    staff = None
    for _ in range(3):  # entries of several students: each row names its student and major
        student = StudentFactory()
        staff = staff or staff_user(department=student.major.department)
        _entries(student, n // 3 or 1, status=EntryStatus.SUBMITTED, files=2)
    client.force_login(staff)
    client.get("/staff/queue/")
    return _queries(client, "/staff/queue/")


def test_the_staff_queue_costs_the_same_queries_for_6_and_60_entries(client, django_assert_max_num_queries, settings):
    settings.PAGE_CACHE = False
    few, body_few = _queue(client, 6)
    CareerEntry.objects.all().delete()
    many, body_many = _queue(client, 60)
    assert body_few.count('name="entry"') == 6 and body_many.count('name="entry"') == 60
    assert body_many.count('<td data-label="증빙서류">2</td>') == 60  # the evidence count
    assert many == few
    with django_assert_max_num_queries(15):
        client.get("/staff/queue/")


def test_the_entry_page_costs_the_same_queries_for_5_and_60_entries(client, django_assert_max_num_queries, settings):
    settings.PAGE_CACHE = False
    counts = []
    for n in (5, 60):
        student = StudentFactory()
        staff = staff_user(department=student.major.department)
        entry = _entries(student, n, status=EntryStatus.SUBMITTED, files=1 if n == 5 else 4)[0]
        client.force_login(staff)
        client.get(f"/entries/{entry.pk}/")
        count, body = _queries(client, f"/entries/{entry.pk}/")
        assert body.count("toeic-") >= (1 if n == 5 else 4)  # its evidence files are listed
        counts.append(count)
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(15):
        client.get(f"/entries/{entry.pk}/")


def test_the_entry_pages_event_list_can_use_an_index_on_the_entry_id(client):
    """The entry page lists events whose object_id or data["entry"] is the entry: with an index on
    each side PostgreSQL reads the entry's events, not the whole audit trail (500 ms at 400,000
    events without it, bench/README.md)."""
    from django.db.models import Q

    from audit.models import AuditEvent

    import uuid

    AuditEvent.objects.bulk_create([
        AuditEvent(action="entry.approve", object_type="careerentry", object_id=str(uuid.uuid4()),
                   data={"entry": str(uuid.uuid4())}) for _ in range(3000)])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditevent")  # a trail of some size, as autovacuum sees it
    pk = "0b5f2c1e-3d2a-4c55-9a53-0c7a4f0c9d11"
    query = AuditEvent.objects.filter(Q(object_id=pk) | Q(data__entry=pk)).exclude(
        action__in=["evidence.view", "evidence.download"])[:50]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "audit_event_data_entry_idx" in plan, plan
