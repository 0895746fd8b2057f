"""Staff review: queues, bulk approval, asking for information, the audit trail, notifications."""
import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AppendOnlyError, AuditEvent, Notification
from careers import services
from careers.models import CareerEntry, EntryStatus
from tests.factories import StudentFactory, entry, major, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def student():
    s = StudentFactory()
    s.user.email = "student@example.ac.kr"
    s.user.save()
    return s


@pytest.fixture
def staff(student):
    return staff_user(department=student.major.department)


def submitted(student, n=1, kind="language_test"):
    return [entry(student, status=EntryStatus.SUBMITTED) for _ in range(n)]


def test_queue_counts_and_filters(client, student, staff):
    submitted(student, 3)
    entry(student, kind="volunteer", status=EntryStatus.SUBMITTED,
          data={"organization": "동네", "hours": 8, "verified_by": "1365"})
    entry(student)  # a draft is nobody's work yet
    client.force_login(staff)
    home = client.get("/staff/").content.decode()
    assert "4" in home and "어학시험" in home
    body = client.get("/staff/queue/", {"kind": "volunteer"}).content.decode()
    assert body.count('name="entry"') == 1
    body = client.get("/staff/queue/", {"submitter": student.student_no}).content.decode()
    assert body.count('name="entry"') == 4
    other = staff_user(department=major("2-2").department)
    client.force_login(other)
    assert client.get("/staff/queue/").content.decode().count('name="entry"') == 0


def test_students_and_advisors_have_no_queue(client, student):
    client.force_login(student.user)
    assert client.get("/staff/queue/").status_code == 403
    assert client.get("/staff/").status_code == 403


def test_bulk_approve_asks_for_confirmation_then_approves_500_in_one_transaction(client, student, staff):
    entries = [CareerEntry(student=student, kind="language_test", data={"test": "TOEIC", "score": 705},
                           date="2024-03-10", status=EntryStatus.SUBMITTED, created_by=student.user)
               for _ in range(500)]
    CareerEntry.objects.bulk_create(entries)
    ids = [str(e.pk) for e in entries]
    client.force_login(staff)
    confirm = client.post("/staff/queue/approve/", {"entry": ids})
    assert confirm.status_code == 200 and "500" in confirm.content.decode()
    assert CareerEntry.objects.filter(status=EntryStatus.APPROVED).count() == 0
    # One entry that can no longer be approved spoils the batch: one transaction, nothing approved.
    spoiler = entry(student)
    client.post("/staff/queue/approve/", {"entry": ids + [str(spoiler.pk)], "confirmed": "yes"})
    assert CareerEntry.objects.filter(status=EntryStatus.APPROVED).count() == 0
    assert AuditEvent.objects.filter(action="entry.approve").count() == 0
    with CaptureQueriesContext(connection):
        response = client.post("/staff/queue/approve/", {"entry": ids, "confirmed": "yes"}, follow=True)
    assert "500건을 승인했습니다" in response.content.decode()
    assert CareerEntry.objects.filter(status=EntryStatus.APPROVED).count() == 500
    assert AuditEvent.objects.filter(action="entry.approve").count() == 500


def test_bulk_approve_is_all_or_nothing(student, staff):
    ok = submitted(student, 3)
    draft = entry(student)
    with pytest.raises(Exception):
        services.entries_bulk_approve(actor=staff, entry_ids=[e.pk for e in ok] + [draft.pk])
    assert CareerEntry.objects.filter(status=EntryStatus.APPROVED).count() == 0


def test_bulk_approve_refuses_students_outside_the_scope(student):
    outsider = staff_user(department=major("2-2").department)
    with pytest.raises(Exception):
        services.entries_bulk_approve(actor=outsider, entry_ids=[e.pk for e in submitted(student, 2)])
    assert CareerEntry.objects.filter(status=EntryStatus.APPROVED).count() == 0


def test_ask_for_more_information_returns_the_entry_with_a_note(client, student, staff):
    (e,) = submitted(student)
    services.entry_return_for_info(actor=staff, entry=e, reason="시험 성적표 전체 페이지를 올려 주세요")
    e.refresh_from_db()
    assert e.status == EntryStatus.DRAFT and e.is_editable
    client.force_login(student.user)
    assert "시험 성적표 전체 페이지를 올려 주세요" in client.get(f"/entries/{e.pk}/").content.decode()


def test_each_decision_notifies_the_student_in_korean(student, staff):
    a, b = submitted(student, 2)
    with transaction.atomic():
        services.entry_approve(actor=staff, entry=a)
        services.entry_reject(actor=staff, entry=b, reason="흐린 스캔")
    notices = list(Notification.objects.filter(user=student.user).order_by("created_at"))
    assert len(notices) == 2
    assert "승인" in notices[0].message and "반려" in notices[1].message and "흐린 스캔" in notices[1].message


@pytest.mark.django_db(transaction=True)
def test_decision_emails_go_out_after_commit(student, staff):
    (e,) = submitted(student)
    services.entry_reject(actor=staff, entry=e, reason="기간 미기재")
    assert len(mail.outbox) == 1 and "기간 미기재" in mail.outbox[0].body
    assert mail.outbox[0].to == ["student@example.ac.kr"]


def test_audit_events_cannot_be_changed_or_deleted(student, staff):
    (e,) = submitted(student)
    services.entry_approve(actor=staff, entry=e)
    event = AuditEvent.objects.get(action="entry.approve")
    assert event.actor == staff and event.object_id == str(e.pk)
    event.reason = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(Exception), transaction.atomic():  # the database refuses too
        AuditEvent.objects.filter(pk=event.pk).update(reason="forged")
    with pytest.raises(Exception), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_evidence_downloads_are_logged(client, student, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from careers.demo import pdf_bytes

    e = entry(student)
    ev = services.evidence_add(actor=student.user, entry=e, uploaded_file=SimpleUploadedFile("a.pdf", pdf_bytes()))
    client.force_login(staff)
    client.get(f"/evidence/{ev.pk}/?download=1")
    assert AuditEvent.objects.filter(action="evidence.download", actor=staff, object_id=str(ev.pk)).exists()
    assert AuditEvent.objects.filter(action="evidence.upload", actor=student.user).exists()


def test_original_seen_is_recorded(client, student, staff):
    e = entry(student, kind="certificate", status=EntryStatus.SUBMITTED,
              data={"name": "정보처리기사", "category": "national_technical", "tier": "기사", "stage": "final"})
    client.force_login(staff)
    client.post(f"/entries/{e.pk}/original-seen/")
    e.refresh_from_db()
    assert e.original_seen_by == staff and e.original_seen_on is not None


def test_the_queue_shows_as_many_waiting_entries_as_the_staff_home_says(client, student, staff):
    submitted(student, 2)
    typed = entry(student, kind="volunteer", status=EntryStatus.SUBMITTED,
                  data={"organization": "동네 복지관", "hours": 8, "verified_by": "1365"})
    CareerEntry.objects.filter(pk=typed.pk).update(organization_direct_input=True)
    client.force_login(staff)
    home = client.get("/staff/")
    assert home.context["total"] == 3
    queue = client.get("/staff/queue/")
    assert queue.context["count"] == 3  # typed-in organizations are not hidden by default
    only_typed = client.get("/staff/queue/", {"typed_org": "on"})
    assert [e.pk for e in only_typed.context["entries"]] == [typed.pk]
