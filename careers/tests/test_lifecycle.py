"""Entry lifecycle: draft → submitted → approved | rejected → revoked, every transition by role."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from careers import services
from careers.demo import pdf_bytes
from careers.models import CareerEntry, EntryStatus
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.factories import StudentFactory, UserFactory, entry, major, staff_user, write_intro

pytestmark = pytest.mark.django_db

S = EntryStatus


@pytest.fixture
def people():
    owner = StudentFactory()
    write_intro(owner)
    other_major = major("2-2")
    advisor = UserFactory(role=Role.ADVISOR)
    owner.mentor = advisor
    owner.save()
    return {
        "owner": owner.user,
        "other_student": StudentFactory().user,
        "department_staff": staff_user(department=owner.major.department),
        "other_department_staff": staff_user(department=other_major.department),
        "central_staff": staff_user(central_office="취업지원팀"),
        "advisor": advisor,
        "admin": UserFactory(role=Role.ADMIN),
        "_student": owner,
    }


def run(action, actor, e):
    if action == "submit":
        return services.entry_submit(actor=actor, entry=e)
    if action == "withdraw":
        return services.entry_withdraw(actor=actor, entry=e)
    if action == "approve":
        return services.entry_approve(actor=actor, entry=e)
    if action == "reject":
        return services.entry_reject(actor=actor, entry=e, reason="증빙서류가 흐립니다")
    if action == "revoke":
        return services.entry_revoke(actor=actor, entry=e, reason="원본 불일치")
    if action == "edit":
        return services.entry_update(actor=actor, entry=e, data={"test": "TOEIC", "score": "800", "date": "2024-03-10"})
    if action == "delete":
        return services.entry_delete(actor=actor, entry=e)
    raise AssertionError(action)


def with_evidence(e):
    services.evidence_add(actor=e.student.user, entry=e, uploaded_file=SimpleUploadedFile("a.pdf", pdf_bytes()))
    return e


# (action, from status, the roles allowed, the status after)
MATRIX = [
    ("submit", S.DRAFT, {"owner"}, S.SUBMITTED),
    ("submit", S.REJECTED, {"owner"}, S.SUBMITTED),
    ("submit", S.SUBMITTED, set(), None),
    ("submit", S.APPROVED, set(), None),
    ("submit", S.REVOKED, set(), None),
    ("withdraw", S.SUBMITTED, {"owner"}, S.DRAFT),
    ("withdraw", S.APPROVED, set(), None),
    ("approve", S.SUBMITTED, {"department_staff", "central_staff", "admin"}, S.APPROVED),
    ("approve", S.DRAFT, set(), None),
    ("approve", S.REJECTED, set(), None),
    ("approve", S.REVOKED, set(), None),
    ("reject", S.SUBMITTED, {"department_staff", "central_staff", "admin"}, S.REJECTED),
    ("reject", S.DRAFT, set(), None),
    ("reject", S.APPROVED, set(), None),
    ("revoke", S.APPROVED, {"department_staff", "central_staff", "admin"}, S.REVOKED),
    ("revoke", S.SUBMITTED, set(), None),
    ("revoke", S.DRAFT, set(), None),
    ("edit", S.DRAFT, {"owner"}, S.DRAFT),
    ("edit", S.REJECTED, {"owner"}, S.REJECTED),
    ("edit", S.SUBMITTED, set(), None),
    ("edit", S.APPROVED, set(), None),
    ("edit", S.REVOKED, set(), None),
    ("delete", S.DRAFT, {"owner"}, "gone"),
    ("delete", S.SUBMITTED, set(), None),
    ("delete", S.APPROVED, set(), None),
]
ROLES = ["owner", "other_student", "department_staff", "other_department_staff", "central_staff", "advisor", "admin"]


@pytest.mark.parametrize("action,source,allowed,target", MATRIX, ids=[f"{m[0]}-from-{m[1]}" for m in MATRIX])
@pytest.mark.parametrize("role", ROLES)
def test_transition_by_role(people, action, source, allowed, target, role):
    e = with_evidence(entry(people["_student"]))
    CareerEntry.objects.filter(pk=e.pk).update(status=source)
    e.refresh_from_db()
    if role in allowed:
        run(action, people[role], e)
        if target == "gone":
            assert not CareerEntry.objects.filter(pk=e.pk).exists()
        else:
            e.refresh_from_db()
            assert e.status == target
    else:
        with pytest.raises(PermissionDenied):
            run(action, people[role], e)
        e.refresh_from_db()
        assert e.status == source
        assert e.data["score"] == 705  # nothing changed


def test_reject_and_revoke_need_a_reason(people):
    e = with_evidence(entry(people["_student"]))
    services.entry_submit(actor=people["owner"], entry=e)
    with pytest.raises(ValidationError) as err:
        services.entry_reject(actor=people["department_staff"], entry=e, reason="  ")
    assert "reason" in err.value.message_dict
    e.refresh_from_db()
    assert e.status == S.SUBMITTED
    services.entry_approve(actor=people["department_staff"], entry=e)
    with pytest.raises(ValidationError):
        services.entry_revoke(actor=people["department_staff"], entry=e, reason="")
    e.refresh_from_db()
    assert e.status == S.APPROVED


def test_decisions_record_who_when_and_why_in_the_history(people):
    e = with_evidence(entry(people["_student"]))
    services.entry_submit(actor=people["owner"], entry=e)
    services.entry_reject(actor=people["central_staff"], entry=e, reason="기간이 보이지 않습니다")
    e.refresh_from_db()
    assert e.decided_by == people["central_staff"] and e.decision_reason == "기간이 보이지 않습니다"
    assert e.submitted_on is not None
    statuses = list(e.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["draft", "submitted", "rejected"]
    assert e.history.latest().history_change_reason == "기간이 보이지 않습니다"


def test_status_cannot_be_set_directly():
    e = CareerEntry(status=S.DRAFT)
    with pytest.raises(AttributeError):
        e.status = S.APPROVED


def test_students_cannot_create_records_that_come_from_campus_systems(people):
    with pytest.raises(ValidationError) as err:
        services.entry_create(actor=people["owner"], student=people["_student"], kind="course",
                              data={"name": "취업준비 실무", "grade": "A+", "date": "2024-06-01"})
    assert "kind" in err.value.message_dict
