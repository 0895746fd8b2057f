"""The page cache (pagecache/, issue 12): a page is served again only to the user it was rendered
for, and only until something it shows changes, however the change was written."""
import re

import pytest
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext

from audit.services import log_action, notify
from careers.models import CareerEntry, EntryStatus, Evidence
from pagecache.models import Version
from pagecache.watch import watched_tables
from scoring.services import recompute_student
from tests.factories import StudentFactory, UserFactory, entry, major, staff_user, write_intro

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def _student(**kwargs):
    student = StudentFactory(**kwargs)
    write_intro(student)
    first = entry(student, status=EntryStatus.APPROVED, data={"test": "TOEIC", "score": 705})
    entry(student, status=EntryStatus.SUBMITTED, data={"test": "TOEIC", "score": 810})
    recompute_student(student_id=student.pk)
    return student, first


def _get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response, response.content.decode(), queries


def _tables(queries):
    return {t for q in queries for t in re.findall(r'(?:FROM|JOIN) "(\w+)"', q["sql"])}


def test_every_table_a_cached_page_reads_advances_its_counters():
    """A page is served again until its counters move: a table it reads without a trigger could
    change under it unseen. Each cached page, rendered afresh for every role that opens it, with a
    record that has something in each panel (mentor, counseling, honors club, a committee pass, an
    evidence file, events), reads only watched tables."""
    import datetime

    from advising.models import CounselingSession, HonorsMembership
    from certification.models import Application

    student, first = _student()
    mentor = UserFactory(role="advisor")
    type(student).objects.filter(pk=student.pk).update(mentor=mentor)
    CounselingSession.objects.create(student=student, counselor=mentor, type="career", date=datetime.date(2026, 3, 2),
                                     next_steps="포트폴리오 정리")
    HonorsMembership.objects.create(student=student, institution=student.major.department.campus.institution,
                                    year=2026, year_level=3, rank=1, mileage=500)
    Application.objects.create(student=student, semester="2026-2", status="passed", decided_by=mentor,
                               decided_at=datetime.datetime(2026, 11, 2, tzinfo=datetime.UTC))
    Evidence.objects.create(entry=first, file="evidence/a.pdf", original_name="a.pdf", content_type="application/pdf",
                            size=1, sha256="2" * 64, uploaded_by=student.user)
    department = student.major.department
    staff = staff_user(department=department)
    log_action(actor=staff, action="entry.approve", obj=first, student=student, reason="확인")
    central = staff_user(central_office="취업지원팀", institution=department.campus.institution)
    admin = UserFactory(role="admin")
    pages = [(student.user, "/me/"), (student.user, f"/entries/{first.pk}/"), (mentor, f"/students/{student.pk}/"),
             (mentor, f"/entries/{first.pk}/")]
    for reviewer in (staff, central, admin):
        pages += [(reviewer, url) for url in ("/staff/queue/", f"/entries/{first.pk}/", f"/students/{student.pk}/")]
    watched = watched_tables(connection)
    for user, url in pages:
        client = Client()
        client.force_login(user)
        response, body, queries = _get(client, url)
        assert response["X-Page-Cache"] == "miss", (user.role, url)
        if url == "/me/":  # the panels have something to show
            assert "포트폴리오 정리" in body and "data-certified" in body and "a.pdf" not in body
        unwatched = _tables(queries) - watched - {"django_session"}
        assert not unwatched, f"{url} ({user.role}) reads {sorted(unwatched)}: add them to pagecache.watch.WATCHED"


def test_a_stored_page_comes_back_with_fewer_queries_and_this_requests_csrf_tokens():
    student, _ = _student()
    client = Client(enforce_csrf_checks=True)
    client.force_login(student.user)
    first, body_first, rendered = _get(client, "/me/")
    second, body_second, served = _get(client, "/me/")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert len(served) <= 4 < len(rendered)
    assert body_second.count("csrfmiddlewaretoken") == body_first.count("csrfmiddlewaretoken") > 0
    tokens = TOKEN.findall(body_second)
    assert not set(tokens) & set(TOKEN.findall(body_first))  # masked afresh, never replayed
    assert {_unmask_cipher_token(t) for t in tokens} == {client.cookies["csrftoken"].value}
    # the stored page's form posts (the language switch), CSRF checked
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/me/", "csrfmiddlewaretoken": tokens[-1]})
    assert response.status_code == 302
    assert "My standing" in client.get("/me/").content.decode()


def test_a_stored_page_is_only_ever_served_to_the_user_it_was_rendered_for():
    one, _ = _student()
    two, _ = _student()
    for student in (one, two, one):
        client = Client()
        client.force_login(student.user)
        client.get("/me/")
        body = client.get("/me/").content.decode()
        assert student.student_no in body and student.name in body
        assert (two if student == one else one).student_no not in body
    department = one.major.department
    for staff in (staff_user(department=department), staff_user(department=department)):
        client = Client()
        client.force_login(staff)
        client.get("/staff/queue/")
        response, body, _ = _get(client, "/staff/queue/")
        assert response["X-Page-Cache"] == "hit" and f'<span class="who">{staff}</span>' in body


def test_writes_that_bypass_the_models_show_at_once():
    """update(), raw SQL and bulk inserts send no Django signal; the triggers see them all."""
    student, first = _student()
    client = Client()
    client.force_login(student.user)
    client.get("/me/")
    CareerEntry.objects.filter(pk=first.pk).update(data={"test": "TOEIC", "score": 955})
    response, body, _ = _get(client, "/me/")
    assert response["X-Page-Cache"] == "miss" and "955" in body
    with connection.cursor() as cursor:
        cursor.execute("UPDATE scoring_storedresult SET result = jsonb_set(result, '{total}', '777.5')"
                       " WHERE student_id = %s AND program = 'hankyong-grad-cert'", [student.pk])
    assert "<strong>777.5</strong>" in client.get("/me/").content.decode()
    Evidence.objects.bulk_create([Evidence(entry=first, file=f"evidence/{k}.pdf", original_name=f"{k}.pdf",
                                           content_type="application/pdf", size=1, sha256=f"{k}" * 64,
                                           uploaded_by=student.user) for k in range(3)])
    assert '<td data-label="증빙서류">3개</td>' in client.get("/me/").content.decode()
    # names shown on the page but stored elsewhere: the mentor's, the major's
    mentor = UserFactory(role="advisor", display_name="김멘토")
    type(student).objects.filter(pk=student.pk).update(mentor=mentor)
    assert "김멘토" in client.get("/me/").content.decode()
    type(mentor).objects.filter(pk=mentor.pk).update(display_name="이멘토")
    assert "이멘토" in client.get("/me/").content.decode()
    type(student.major).objects.filter(pk=student.major_id).update(name="바뀐전공")
    assert "바뀐전공" in client.get("/me/").content.decode()


def test_a_login_elsewhere_does_not_empty_the_cache_but_a_new_notification_shows():
    student, _ = _student()
    client = Client()
    client.force_login(student.user)
    client.get("/me/")
    Client().force_login(student.user)  # writes last_login only
    assert client.get("/me/")["X-Page-Cache"] == "hit"
    notify(user=student.user, subject="s", message="새 알림")
    response, body, _ = _get(client, "/me/")
    assert response["X-Page-Cache"] == "miss" and re.search(r'<span class="pill">1</span>', body)


def test_messages_waiting_to_be_shown_are_never_skipped_by_a_stored_page():
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    student, _ = _student()
    client = Client()
    client.force_login(student.user)
    client.get("/me/")
    assert client.get("/me/")["X-Page-Cache"] == "hit"
    # a message left by the last action (nothing else changed): the page is rendered to show it
    client.cookies["messages"] = CookieStorage(HttpRequest())._encode([Message(constants.SUCCESS, "방금 저장했습니다")])
    response, body, _ = _get(client, "/me/")
    assert "X-Page-Cache" not in response and "방금 저장했습니다" in body
    response, body, _ = _get(client, "/me/")
    assert response["X-Page-Cache"] == "hit" and "방금 저장했습니다" not in body


def test_the_queue_follows_its_departments_waiting_entries_and_nothing_else():
    student, _ = _student()
    staff = staff_user(department=student.major.department)
    client = Client()
    client.force_login(staff)
    _, body, _ = _get(client, "/staff/queue/")
    assert body.count('name="entry"') == 1
    new = entry(student, status=EntryStatus.SUBMITTED, data={"test": "TOEIC", "score": 850})
    _, body, _ = _get(client, "/staff/queue/")
    assert body.count('name="entry"') == 2
    CareerEntry.objects.filter(pk=new.pk).update(status=EntryStatus.APPROVED)
    _, body, _ = _get(client, "/staff/queue/")
    assert body.count('name="entry"') == 1
    type(student).objects.filter(pk=student.pk).update(name="개명학생")
    assert "개명학생" in client.get("/staff/queue/").content.decode()
    # another department's students and drafts here do not touch this queue
    other = StudentFactory(major=major("17-1"))
    assert other.major.department_id != student.major.department_id
    entry(other, status=EntryStatus.SUBMITTED)
    entry(student, status=EntryStatus.DRAFT)
    assert client.get("/staff/queue/")["X-Page-Cache"] == "hit"
    # other statuses and htmx requests are rendered each time
    assert "X-Page-Cache" not in client.get("/staff/queue/?status=approved")
    assert "X-Page-Cache" not in client.get("/staff/queue/", headers={"HX-Request": "true"})


def _staff_on_a_stored_entry_page():
    student, first = _student()
    staff = staff_user(department=student.major.department)
    client = Client()
    client.force_login(staff)
    url = f"/entries/{first.pk}/"
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    return student, first, staff, client, url


def test_the_entry_page_follows_its_trail_even_for_events_that_name_no_student():
    student, first, staff, client, url = _staff_on_a_stored_entry_page()
    log_action(actor=staff, action="entry.revoke", obj=first, reason="원본과 다름")
    _, body, _ = _get(client, url)
    assert "원본과 다름" in body
    log_action(actor=staff, action="entry.approve", obj=student, data={"entry": str(first.pk)}, reason="다시 확인함")
    assert "다시 확인함" in client.get(url).content.decode()


def test_a_database_emptied_under_the_cache_starts_a_new_epoch():
    student, _ = _student()
    client = Client()
    client.force_login(student.user)
    client.get("/me/")
    Version.objects.all().delete()  # as a flush (TRUNCATE) would: every counter back to nothing
    assert client.get("/me/")["X-Page-Cache"] == "miss"
    assert Version.objects.filter(key="epoch").exists()


def test_a_stored_entry_page_is_refused_once_the_reader_may_no_longer_read_it():
    """The entry page is served from the cache without asking careers.access again: every input of
    that check is under the page's counters, so losing the right shows at once, however it is lost."""
    student, first, staff, client, url = _staff_on_a_stored_entry_page()
    # the student moves to a major of another department
    type(student).objects.filter(pk=student.pk).update(major=major("17-1"))
    assert client.get(url).status_code == 404
    type(student).objects.filter(pk=student.pk).update(major=student.major)
    assert client.get(url).status_code == 200
    # the reader's scope moves to another department
    other = major("17-1").department
    type(staff.staff_scope).objects.filter(pk=staff.staff_scope.pk).update(department=other)
    assert client.get(url).status_code == 404
    type(staff.staff_scope).objects.filter(pk=staff.staff_scope.pk).update(department=student.major.department)
    assert client.get(url).status_code == 200
    # the major itself moves to another department
    type(student.major).objects.filter(pk=student.major_id).update(department=other)
    assert client.get(url).status_code == 404


def test_the_signed_in_user_read_from_the_cache_follows_every_change_to_her_account():
    student, _ = _student()
    staff = staff_user(department=student.major.department)
    client = Client()
    client.force_login(staff)
    assert client.get("/staff/queue/").status_code == 200
    # a new role: no queue any more
    type(staff).objects.filter(pk=staff.pk).update(role="advisor")
    assert client.get("/staff/queue/").status_code == 403
    type(staff).objects.filter(pk=staff.pk).update(role="staff")
    assert client.get("/staff/queue/").status_code == 200
    # deactivated: signed out at once
    type(staff).objects.filter(pk=staff.pk).update(is_active=False)
    assert client.get("/staff/queue/").status_code == 302
    type(staff).objects.filter(pk=staff.pk).update(is_active=True)
    # a new password ends the sessions made with the old one
    client.force_login(staff)
    assert client.get("/staff/queue/").status_code == 200
    staff.refresh_from_db()
    staff.set_password("another-password-42")
    staff.save()
    response = client.get("/staff/queue/")
    assert response.status_code == 302 and "/login/" in response["Location"]
