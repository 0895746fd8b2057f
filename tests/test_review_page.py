"""The staff entry page (issue 13): the evidence beside the fields with the decision under it, the
message after a decision from the queue naming the entry just decided, and adding a typed-in
organisation to the directory (merge or create), logged."""
import html
import re

import pytest

from audit.models import AuditEvent
from careers import services
from careers.models import CareerEntry, EntryStatus, Organization
from tests.factories import StudentFactory, entry, major, staff_user, write_intro

pytestmark = pytest.mark.django_db


@pytest.fixture
def student():
    s = StudentFactory(name="기관학생")
    write_intro(s)
    return s


@pytest.fixture
def staff(student):
    return staff_user(department=student.major.department)


def typed_volunteer(student, name, status=EntryStatus.SUBMITTED):
    e = services.entry_create(actor=student.user, student=student, kind="volunteer",
                              data={"organization": name, "hours": "8", "verified_by": "1365", "date": "2025-04-01"})
    CareerEntry.objects.filter(pk=e.pk).update(status=status)
    e.refresh_from_db()
    assert e.organization_direct_input and e.organization is None
    return e


def text_of(response):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_the_evidence_column_comes_before_the_decision_and_beside_the_fields(client, student, staff):
    e = entry(student, status=EntryStatus.SUBMITTED)
    client.force_login(staff)
    body = client.get(f"/entries/{e.pk}/").content.decode()
    facts, side = body.index('id="entry-facts"'), body.index('class="entry-side"')
    evidence, decision = body.index('id="evidence"'), body.index('id="decision-form"')
    assert facts < side < evidence < decision  # evidence and then the decision, in the column beside the facts
    assert body.index('data-key="a"') > evidence


def test_approving_from_the_queue_names_the_entry_just_approved_above_the_next(client, student, staff):
    first = entry(student, status=EntryStatus.SUBMITTED, data={"test": "TOEIC", "score": 705})
    second = entry(student, status=EntryStatus.SUBMITTED, data={"test": "TOEIC", "score": 855})
    CareerEntry.objects.filter(pk=first.pk).update(submitted_on="2025-01-01")
    CareerEntry.objects.filter(pk=second.pk).update(submitted_on="2025-01-02")
    client.force_login(staff)
    response = client.post(f"/entries/{first.pk}/approve/", {"queue": "status=submitted", "next_in_queue": "1"},
                           follow=True)
    page = text_of(response)
    assert "TOEIC 855" in re.search(r"<h1>(.*?)</h1>", response.content.decode(), re.S).group(1)
    assert "‘TOEIC 705’ 승인 완료 · 다음 항목" in page
    assert 'class="msg msg-decided' in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == EntryStatus.APPROVED and second.status == EntryStatus.SUBMITTED


def test_the_last_decision_of_the_queue_says_the_queue_is_empty(client, student, staff):
    only = entry(student, status=EntryStatus.SUBMITTED, data={"test": "TOEIC", "score": 705})
    client.force_login(staff)
    response = client.post(f"/entries/{only.pk}/reject/", {"queue": "status=submitted", "next_in_queue": "1",
                                                          "reason": "증빙이 흐립니다."}, follow=True)
    assert "‘TOEIC 705’ 반려 완료 · 대기 항목이 더 없습니다" in text_of(response)


def test_a_refused_decision_from_the_queue_stays_on_the_entry_with_the_reason_error(client, student, staff):
    only = entry(student, status=EntryStatus.SUBMITTED)
    client.force_login(staff)
    response = client.post(f"/entries/{only.pk}/reject/", {"queue": "status=submitted", "next_in_queue": "1",
                                                          "reason": ""}, follow=True)
    assert response.redirect_chain[-1][0].startswith(f"/entries/{only.pk}/")
    assert "사유" in text_of(response)
    only.refresh_from_db()
    assert only.status == EntryStatus.SUBMITTED


def test_staff_see_the_directory_form_only_on_a_typed_organisation(client, student, staff):
    typed = typed_volunteer(student, "새싹 봉사단")
    picked_org = Organization.objects.create(name="한국사회봉사단", kind="nonprofit")
    picked = services.entry_create(actor=student.user, student=student, kind="volunteer", organization_id=picked_org.pk,
                                   data={"organization": "x", "hours": "8", "verified_by": "1365", "date": "2025-04-01"})
    client.force_login(staff)
    body = client.get(f"/entries/{typed.pk}/").content.decode()
    assert 'id="adopt-organization"' in body and "새싹 봉사단" in body
    assert 'id="adopt-organization"' not in client.get(f"/entries/{picked.pk}/").content.decode()
    client.force_login(student.user)  # the student never sees it
    assert 'id="adopt-organization"' not in client.get(f"/entries/{typed.pk}/").content.decode()


def test_creating_the_typed_organisation_links_every_entry_with_that_name(client, student, staff):
    first = typed_volunteer(student, "새싹 봉사단")
    same = typed_volunteer(StudentFactory(major=student.major), "  새싹봉사단 ")  # spaces aside
    upper = typed_volunteer(student, "Green Hands")
    other = typed_volunteer(student, "다른 봉사단")
    client.force_login(staff)
    response = client.post(f"/entries/{first.pk}/organization/", {"mode": "create", "name": "새싹 봉사단",
                                                                  "kind": "nonprofit"}, follow=True)
    assert "'새싹 봉사단'을(를) 기관 목록에 반영했습니다. 같은 이름으로 입력된 항목 2건이 연결되었습니다." in text_of(response)
    org = Organization.objects.get(name="새싹 봉사단")
    assert org.kind == "nonprofit"
    for e in (first, same):
        e.refresh_from_db()
        assert e.organization == org and not e.organization_direct_input
    for e in (upper, other):
        e.refresh_from_db()
        assert e.organization is None and e.organization_direct_input
    logged = AuditEvent.objects.filter(action="entry.organization_linked")
    assert {ev.object_id for ev in logged} == {str(first.pk), str(same.pk)}
    assert all(ev.actor == staff for ev in logged)
    assert AuditEvent.objects.filter(action="organization.create", object_id=str(org.pk)).count() == 1
    assert 'id="adopt-organization"' not in response.content.decode()  # done: the form is gone


def test_merging_adds_the_typed_name_to_the_organisations_other_names(client, student, staff):
    org = Organization.objects.create(name="한국전력공사", kind="public", aliases="KEPCO")
    typed = typed_volunteer(student, "한전")
    again = typed_volunteer(student, "한 전")
    client.force_login(staff)
    client.post(f"/entries/{typed.pk}/organization/", {"mode": "merge", "organization_id": org.pk})
    org.refresh_from_db()
    assert org.aliases == "KEPCO, 한전"
    for e in (typed, again):
        e.refresh_from_db()
        assert e.organization == org and not e.organization_direct_input
    assert AuditEvent.objects.get(action="organization.merge").data["entries"] == [str(typed.pk), str(again.pk)]
    # the directory search now finds it by the typed name
    assert "한국전력공사" in client.get("/organizations/search/", {"q": "한전"}).content.decode()


def test_case_differences_are_the_same_typed_name(client, student, staff):
    org = Organization.objects.create(name="Green Hands Korea", kind="nonprofit")
    a = typed_volunteer(student, "green hands")
    b = typed_volunteer(student, "GREEN  HANDS")
    client.force_login(staff)
    client.post(f"/entries/{a.pk}/organization/", {"mode": "merge", "organization_id": org.pk})
    b.refresh_from_db()
    assert b.organization == org
    org.refresh_from_db()
    assert org.aliases == "green hands"


@pytest.mark.parametrize("post, error", [
    ({"mode": "merge", "organization_id": ""}, "기관: 검색 결과에서 기관을 고르십시오."),
    ({"mode": "merge", "organization_id": "abc"}, "기관: 검색 결과에서 기관을 고르십시오."),
    ({"mode": "merge", "organization_id": "999999"}, "기관: 검색 결과에서 기관을 고르십시오."),
    ({"mode": "create", "name": "새싹 봉사단", "kind": ""}, "종류: 기관의 종류를 고르십시오."),
    ({"mode": "create", "name": "새싹 봉사단", "kind": "spaceship"}, "종류: 기관의 종류를 고르십시오."),
    ({"mode": "create", "name": "   ", "kind": "other"}, "이름: 기관의 이름을 적으십시오."),
    ({"mode": "create", "name": "가" * 201, "kind": "other"}, "이름: 200자 이내로 적으십시오."),
    ({"mode": "create", "name": "있는 기관", "kind": "other"}, "이미 기관 목록에 있습니다"),
])
def test_bad_directory_input_names_the_field_and_changes_nothing(client, student, staff, post, error):
    Organization.objects.create(name="있는 기관", kind="other")
    typed = typed_volunteer(student, "새싹 봉사단")
    client.force_login(staff)
    response = client.post(f"/entries/{typed.pk}/organization/", post, follow=True)
    assert error in text_of(response)
    typed.refresh_from_db()
    assert typed.organization_direct_input and typed.organization is None
    assert Organization.objects.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="organization.").exists()


def test_only_reviewers_of_the_student_add_to_the_directory(client, student):
    typed = typed_volunteer(student, "새싹 봉사단")
    outsider = staff_user(department=major("2-2").department)
    for user, status in ((student.user, 404), (outsider, 404)):
        client.force_login(user)
        response = client.post(f"/entries/{typed.pk}/organization/", {"mode": "create", "name": "새싹 봉사단",
                                                                      "kind": "other"})
        assert response.status_code in (status, 403)
    typed.refresh_from_db()
    assert typed.organization_direct_input and not Organization.objects.filter(name="새싹 봉사단").exists()


def test_the_directory_search_while_merging_does_not_promise_direct_input(client, staff):
    client.force_login(staff)
    merging = text_of(client.get("/organizations/search/", {"q": "없는기관", "purpose": "directory"}))
    assert "기관 목록에 없습니다. 다른 이름으로 검색하거나 아래에서 새로 만드십시오." in merging
    assert "직접입력" not in merging


def test_the_queue_message_follows_the_readers_language(client, student, staff):
    from django.conf import settings

    first = entry(student, status=EntryStatus.SUBMITTED, data={"test": "TOEIC", "score": 705})
    second = entry(student, status=EntryStatus.SUBMITTED, data={"test": "TOEIC", "score": 855})
    CareerEntry.objects.filter(pk=first.pk).update(submitted_on="2025-01-01")
    CareerEntry.objects.filter(pk=second.pk).update(submitted_on="2025-01-02")
    client.force_login(staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(f"/entries/{first.pk}/approve/", {"queue": "status=submitted", "next_in_queue": "1"},
                           follow=True)
    assert "‘TOEIC 705’ approved · next entry" in text_of(response)
